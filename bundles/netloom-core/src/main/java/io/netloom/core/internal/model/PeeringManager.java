package io.netloom.core.internal.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import inet.ipaddr.IPAddress;
import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Names;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.PeeringState;
import io.netloom.core.internal.ip.Cidrs;

/**
 * Peerings as stored objects: request, accept, reject and delete, with the checks that belong to the model (one
 * live peering per pair of networks, no overlapping address spaces). Expiry and routes come from the policy
 * bundles that observe these objects.
 */
@Component(service = {PeeringService.class, PeeringAdminService.class})
public class PeeringManager implements PeeringAdminService {

    static final Comparator<Peering> PEERING_ORDER = Comparator.comparing(Peering::createdAt)
            .thenComparing(Peering::id);

    @Reference
    private ModelRepository repository;

    /** Used by the component runtime. */
    public PeeringManager() {
    }

    /** For tests. */
    public PeeringManager(ModelRepository repository) {
        this.repository = repository;
    }

    private boolean sees(Caller caller, Peering p) {
        return caller.canRead(p.tenant()) || sidesOf(p).stream().anyMatch(n -> caller.canRead(n.tenant()));
    }

    /** A peering the caller sees (else not found) and may change from one of its sides (else forbidden). */
    private Peering writablePeering(Caller caller, String idOrName) {
        Peering p = peering(caller, idOrName);
        if (!caller.canWrite(p.tenant()) && sidesOf(p).stream().noneMatch(n -> caller.canWrite(n.tenant()))) {
            throw new ForbiddenException("User '" + caller.user() + "' may change peering " + p.id()
                    + " only with the right to write in the tenant of one of its networks");
        }
        return p;
    }

    private List<Network> sidesOf(Peering p) {
        return Stream.of(p.network(), p.peerNetwork())
                .map(id -> repository.byId(Kind.NETWORK, id))
                .flatMap(Optional::stream)
                .toList();
    }

    @Override
    public List<Peering> peerings(Caller caller) {
        return repository.all(Kind.PEERING, p -> sees(caller, p), PEERING_ORDER);
    }

    @Override
    public Peering peering(Caller caller, String idOrName) {
        return repository.resolve(Kind.PEERING, idOrName, p -> sees(caller, p));
    }

    @Override
    public Peering createPeering(Caller caller, PeeringSpec spec) {
        String name = Names.requireValid(spec.name(), "name");
        if (spec.network() == null) {
            throw new ValidationException("REQUIRED", "The requesting network is required", "network");
        }
        if (spec.peerNetwork() == null) {
            throw new ValidationException("REQUIRED", "The peer network is required", "peerNetwork");
        }
        return repository.write(caller, "peering.create", changes -> {
            Network network = Access.requireWrite(caller, Kind.NETWORK, network(caller, spec.network(), "network"));
            // The peer may belong to another tenant: it is named by id, as in public clouds.
            Network peer = repository.byId(Kind.NETWORK, spec.peerNetwork())
                    .orElseGet(() -> network(caller, spec.peerNetwork(), "peerNetwork"));
            if (peer.id().equals(network.id())) {
                throw new ValidationException("INVALID_PEERING", "A network cannot peer with itself", "peerNetwork");
            }
            for (Peering p : repository.all(Kind.PEERING, Peering::isLive, PEERING_ORDER)) {
                if (p.involves(network.id()) && p.involves(peer.id())) {
                    throw new ConflictException("PEERING_EXISTS", "Networks " + network.name() + " and "
                            + label(caller, peer) + " already have the " + p.state() + " peering " + p.id(),
                            "peerNetwork");
                }
            }
            // A request to another tenant's network (named by id, as in public clouds) is taken as it is and checked
            // when that side accepts, so that no answer here tells the requester anything of that network (its
            // address space, its other peerings) beyond what the requester gave. Both sides the caller sees: refused
            // now, with the reason.
            if (caller.sees(peer.tenant())) {
                requireSameDriver(caller, network, peer);
                requireNoOverlap(caller, network, peer);
                requireUnambiguousRoutes(caller, network, peer);
                requireUnambiguousRoutes(caller, peer, network);
            }
            boolean accepted = spec.autoAccept();
            if (accepted && !caller.canWrite(peer.tenant())) {
                throw new ValidationException("AUTO_ACCEPT_DENIED", "autoAccept needs the right to accept on the peer "
                        + "network's side", "autoAccept");
            }
            var now = repository.now();
            Peering peering = new Peering(repository.newId(Kind.PEERING), name, network.tenant(), network.id(),
                    peer.id(), spec.allowForwardedTraffic(),
                    accepted ? PeeringState.ACTIVE : PeeringState.PENDING_ACCEPTANCE, "", now, now);
            changes.put(Kind.PEERING, null, peering);
            return peering;
        });
    }

    private Network network(Caller caller, String idOrName, String field) {
        try {
            return repository.resolve(Kind.NETWORK, idOrName, n -> caller.sees(n.tenant()));
        } catch (NotFoundException e) {
            throw new ValidationException("UNKNOWN_NETWORK", "No network '" + idOrName + "'", field);
        }
    }

    /** A network as the caller may be told of it: its name when the caller sees it, else only its id. */
    private static String label(Caller caller, Network network) {
        return caller.sees(network.tenant()) ? network.name() : network.id();
    }

    /**
     * A network's routes must stay unambiguous: the new peer's address space may not overlap that of a network
     * already peered (live) with it. The message names only what the caller sees.
     */
    private void requireUnambiguousRoutes(Caller caller, Network network, Network newPeer) {
        ambiguousRoutes(network, newPeer).ifPresent(p -> {
            Network other = repository.byId(Kind.NETWORK, p.network().equals(network.id()) ? p.peerNetwork()
                    : p.network()).orElseThrow();
            boolean seen = caller.sees(network.tenant()) && caller.sees(other.tenant())
                    && caller.sees(newPeer.tenant());
            throw new ConflictException("OVERLAPPING_CIDRS", seen
                    ? "Network " + network.name() + " is already peered with " + other.name() + " (peering " + p.id()
                            + "), whose address space overlaps that of " + newPeer.name()
                    : "One of the two networks is already peered with a network whose address space overlaps the "
                            + "other's", "peerNetwork");
        });
    }

    /** The live peering of {@code network} whose other side overlaps {@code newPeer}, if any. */
    private Optional<Peering> ambiguousRoutes(Network network, Network newPeer) {
        for (Peering p : repository.all(Kind.PEERING, q -> q.isLive() && q.involves(network.id())
                && !q.involves(newPeer.id()), PEERING_ORDER)) {
            String otherId = p.network().equals(network.id()) ? p.peerNetwork() : p.network();
            if (repository.byId(Kind.NETWORK, otherId).flatMap(other -> overlap(other, newPeer)).isPresent()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void requireNoOverlap(Caller caller, Network a, Network b) {
        overlap(a, b).ifPresent(pair -> {
            throw new ConflictException("OVERLAPPING_CIDRS", "The address spaces overlap: " + pair[0] + " of "
                    + label(caller, a) + " and " + pair[1] + " of " + label(caller, b), "peerNetwork");
        });
    }

    /**
     * No data plane carries traffic between networks of different drivers yet: a peering between them would be
     * shown (and explained) as passing traffic that is dropped.
     */
    private static void requireSameDriver(Caller caller, Network a, Network b) {
        if (!a.driver().equals(b.driver())) {
            throw new ConflictException("DRIVER_MISMATCH", "Networks " + label(caller, a) + " (" + a.driver()
                    + ") and " + label(caller, b) + " (" + b.driver() + ") are realised by different drivers; no "
                    + "driver carries a peering between data planes yet", "peerNetwork");
        }
    }

    /** @return the first pair of overlapping prefixes, {@code [of a, of b]} */
    private static Optional<String[]> overlap(Network a, Network b) {
        for (String ca : a.cidrs()) {
            IPAddress pa = Cidrs.parsePrefix(ca, "cidrs");
            for (String cb : b.cidrs()) {
                if (Cidrs.overlaps(pa, Cidrs.parsePrefix(cb, "cidrs"))) {
                    return Optional.of(new String[] {ca, cb});
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Peering accept(Caller caller, String idOrName) {
        Peering result = transition(caller, idOrName, "peering.accept", PeeringState.ACTIVE);
        if (result.state() == PeeringState.FAILED) {
            // The FAILED state is stored (it is the peering's truth now); the caller is told why.
            throw new ConflictException(result.stateDetail().contains("different drivers") ? "DRIVER_MISMATCH"
                    : "OVERLAPPING_CIDRS", result.stateDetail(), null);
        }
        return result;
    }

    @Override
    public Peering reject(Caller caller, String idOrName) {
        return transition(caller, idOrName, "peering.reject", PeeringState.REJECTED);
    }

    @Override
    public Peering expire(Caller caller, String idOrName) {
        return transition(caller, idOrName, "peering.expire", PeeringState.EXPIRED);
    }

    private Peering transition(Caller caller, String idOrName, String action, PeeringState target) {
        return repository.write(caller, action, changes -> {
            Peering p = writablePeering(caller, idOrName);
            Network peer = repository.byId(Kind.NETWORK, p.peerNetwork()).orElseThrow(
                    () -> new NotFoundException("network", p.peerNetwork()));
            if (target != PeeringState.EXPIRED && !caller.canWrite(peer.tenant())) {
                throw new ConflictException("NOT_PEER_SIDE", "Only the peer network's side can accept or reject "
                        + "peering " + p.id(), null);
            }
            if (p.state() != PeeringState.PENDING_ACCEPTANCE) {
                throw new ConflictException("INVALID_STATE", "Peering " + p.id() + " is " + p.state()
                        + "; only a PENDING_ACCEPTANCE peering can be accepted, rejected or expired", null);
            }
            PeeringState state = target;
            String detail = "";
            if (target == PeeringState.ACTIVE) {
                // Checked here too: a request to another tenant's network was taken without these checks. The stored
                // detail is seen by both sides, so it names neither side's address space nor other peerings.
                Network network = repository.byId(Kind.NETWORK, p.network()).orElseThrow();
                if (!network.driver().equals(peer.driver())) {
                    state = PeeringState.FAILED;
                    detail = "The two networks are realised by different drivers; no driver carries a peering between "
                            + "data planes yet";
                } else if (overlap(network, peer).isPresent()) {
                    state = PeeringState.FAILED;
                    detail = "The address spaces of the two networks overlap";
                } else if (ambiguousRoutes(network, peer).isPresent() || ambiguousRoutes(peer, network).isPresent()) {
                    state = PeeringState.FAILED;
                    detail = "One of the two networks is already peered with a network whose address space overlaps "
                            + "the other's: routes would be ambiguous";
                }
            }
            Peering updated = new Peering(p.id(), p.name(), p.tenant(), p.network(), p.peerNetwork(),
                    p.allowForwardedTraffic(), state, detail, p.createdAt(), repository.now());
            changes.put(Kind.PEERING, p, updated);
            return updated;
        });
    }

    @Override
    public void deletePeering(Caller caller, String idOrName) {
        repository.write(caller, "peering.delete", changes -> {
            changes.delete(Kind.PEERING, writablePeering(caller, idOrName));
            return null;
        });
    }
}
