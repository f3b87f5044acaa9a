package io.netloom.core.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import inet.ipaddr.IPAddress;
import io.netloom.api.ConflictException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.PeeringSyncState;
import io.netloom.core.internal.ip.Cidrs;

/**
 * The address-space rules of peerings, shared by the peering manager (request, accept, sync) and the network
 * manager (a change of a peered network's address space): no overlap between the two sides, no ambiguous routes on
 * either side, the same driver, and which address spaces an active peering routes (those recorded at its last
 * sync).
 */
final class PeeringRules {

    static final String DIFFERENT_DRIVERS = "The two networks are realised by different drivers; no driver carries "
            + "a peering between data planes yet";
    static final String OVERLAP = "The address spaces of the two networks overlap";
    static final String AMBIGUOUS = "One of the two networks is already peered with a network whose address space "
            + "overlaps the other's: routes would be ambiguous";

    /** Why two networks cannot be (or stay) peered: an error code and a sentence that names neither side. */
    record Problem(String code, String detail) {
    }

    private final ModelRepository repository;

    PeeringRules(ModelRepository repository) {
        this.repository = repository;
    }

    /**
     * The checks of acceptance and sync, on the networks' current address spaces. The detail is stored in the
     * peering, which both sides see, so it names neither side's address space nor other peerings.
     */
    Optional<Problem> activationProblem(Network network, Network peer) {
        if (!network.driver().equals(peer.driver())) {
            return Optional.of(new Problem("DRIVER_MISMATCH", DIFFERENT_DRIVERS));
        }
        if (overlap(network.cidrs(), peer.cidrs()).isPresent()) {
            return Optional.of(new Problem("OVERLAPPING_CIDRS", OVERLAP));
        }
        if (ambiguousRoutes(network, peer.id(), peer.cidrs()).isPresent()
                || ambiguousRoutes(peer, network.id(), network.cidrs()).isPresent()) {
            return Optional.of(new Problem("OVERLAPPING_CIDRS", AMBIGUOUS));
        }
        return Optional.empty();
    }

    /**
     * The live peering of {@code network} (other than with {@code newPeerId}) whose other side's address space
     * overlaps {@code newPeerCidrs}, if any: routes of {@code network} would be ambiguous.
     */
    Optional<Peering> ambiguousRoutes(Network network, String newPeerId, List<String> newPeerCidrs) {
        for (Peering p : repository.all(Kind.PEERING, q -> q.isLive() && q.involves(network.id())
                && !q.involves(newPeerId), PeeringManager.PEERING_ORDER)) {
            Optional<Network> other = repository.byId(Kind.NETWORK, p.otherSide(network.id()));
            if (other.isPresent() && overlap(other.get().cidrs(), newPeerCidrs).isPresent()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return the first pair of overlapping prefixes, {@code [of a, of b]} */
    static Optional<String[]> overlap(List<String> a, List<String> b) {
        for (String ca : a) {
            IPAddress pa = Cidrs.parsePrefix(ca, "cidrs");
            for (String cb : b) {
                if (Cidrs.overlaps(pa, Cidrs.parsePrefix(cb, "cidrs"))) {
                    return Optional.of(new String[] {ca, cb});
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @return the peering as the caller is shown it: an active one with its sync state from the caller's side (the
     *     requesting side when the caller reads that tenant, else the peer side)
     */
    Peering view(Caller caller, Peering p) {
        if (p.state() != PeeringState.ACTIVE) {
            return p;
        }
        Optional<Network> requesting = repository.byId(Kind.NETWORK, p.network());
        Optional<Network> peer = repository.byId(Kind.NETWORK, p.peerNetwork());
        if (requesting.isEmpty() || peer.isEmpty()) {
            return p;
        }
        boolean requestingChanged = !p.isInSyncWith(requesting.get());
        boolean peerChanged = !p.isInSyncWith(peer.get());
        boolean fromRequestingSide = caller.canRead(p.tenant());
        boolean local = fromRequestingSide ? requestingChanged : peerChanged;
        boolean remote = fromRequestingSide ? peerChanged : requestingChanged;
        PeeringSyncState state = local && remote ? PeeringSyncState.LOCAL_AND_REMOTE_NOT_IN_SYNC
                : local ? PeeringSyncState.LOCAL_NOT_IN_SYNC
                : remote ? PeeringSyncState.REMOTE_NOT_IN_SYNC : PeeringSyncState.IN_SYNC;
        return p.withSyncState(state);
    }

    /** The peering with both sides' current address spaces recorded. */
    Peering synced(Peering p, Network requesting, Network peer) {
        return p.withRecorded(peer.tenant(), requesting.cidrs(), peer.cidrs(), repository.now());
    }

    /**
     * Checks a change of a network's address space against its active peerings and stages the re-recording of
     * those with {@code autoSync}, in the network's write.
     *
     * @throws ConflictException {@code CIDR_IN_USE} when a removed prefix is routed by an active peering,
     *     {@code OVERLAPPING_CIDRS} when an added prefix overlaps a peer's address space (current or routed), or,
     *     for an auto-synced peering, would make a peer's routes ambiguous
     */
    void addressSpaceChanging(Caller caller, ModelRepository.Changes changes, Network before, Network after) {
        List<String> removed = new ArrayList<>(before.cidrs());
        removed.removeAll(after.cidrs());
        List<String> added = new ArrayList<>(after.cidrs());
        added.removeAll(before.cidrs());
        // A pending request shows the peer side the requester's address space as it is now: what acceptance records.
        for (Peering p : repository.all(Kind.PEERING, q -> q.state() == PeeringState.PENDING_ACCEPTANCE
                && q.network().equals(before.id()), PeeringManager.PEERING_ORDER)) {
            changes.put(Kind.PEERING, p, p.withRecorded(p.peerTenant(), after.cidrs(), p.peerCidrs(),
                    repository.now()));
        }
        for (Peering p : repository.all(Kind.PEERING, q -> q.state() == PeeringState.ACTIVE
                && q.involves(before.id()), PeeringManager.PEERING_ORDER)) {
            Network other = repository.byId(Kind.NETWORK, p.otherSide(before.id())).orElseThrow();
            List<String> routed = p.routedCidrs(before);
            for (String prefix : removed) {
                if (routed.contains(prefix)) {
                    throw new ConflictException("CIDR_IN_USE", prefix + " is routed by the active peering " + p.name()
                            + " (" + p.id() + ") as of its last sync; delete the peering before removing it",
                            "cidrs");
                }
            }
            List<String> otherSpace = new ArrayList<>(other.cidrs());
            otherSpace.addAll(p.routedCidrs(other));
            overlap(added, otherSpace).ifPresent(pair -> {
                boolean seen = caller.sees(other.tenant());
                throw new ConflictException("OVERLAPPING_CIDRS", pair[0] + " overlaps the address space of "
                        + (seen ? "network " + other.name() + " (" + pair[1] + ")" : "the other network")
                        + ", peered through the active peering " + p.name() + " (" + p.id() + ")", "cidrs");
            });
            if (p.autoSync()) {
                if (ambiguousRoutes(other, before.id(), after.cidrs()).isPresent()) {
                    throw new ConflictException("OVERLAPPING_CIDRS", "The auto-synced peering " + p.name() + " ("
                            + p.id() + ") would make routes ambiguous: " + AMBIGUOUS, "cidrs");
                }
                Network requesting = p.network().equals(after.id()) ? after : other;
                Network peer = p.peerNetwork().equals(after.id()) ? after : other;
                changes.put(Kind.PEERING, p, synced(p, requesting, peer));
            }
        }
    }
}
