package io.netloom.core.internal.model;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.PeeringUpdate;
import io.netloom.api.model.QuotaService;

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

    @Reference
    private QuotaManager quotas;

    private PeeringRules rules;

    /** Used by the component runtime. */
    public PeeringManager() {
    }

    /** For tests: no quotas. */
    public PeeringManager(ModelRepository repository) {
        this(repository, new QuotaManager(repository, Map.of()));
    }

    /** For tests. */
    public PeeringManager(ModelRepository repository, QuotaManager quotas) {
        this.repository = repository;
        this.quotas = quotas;
        this.rules = new PeeringRules(repository);
    }

    @Activate
    void activate() {
        rules = new PeeringRules(repository);
    }

    private boolean sees(Caller caller, Peering p) {
        return caller.canRead(p.tenant()) || sidesOf(p).stream().anyMatch(n -> caller.canRead(n.tenant()));
    }

    /** A peering the caller sees (else not found) and may change from one of its sides (else forbidden). */
    private Peering writablePeering(Caller caller, String idOrName) {
        Peering p = stored(caller, idOrName);
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
        return repository.all(Kind.PEERING, p -> sees(caller, p), PEERING_ORDER).stream()
                .map(p -> rules.view(caller, p)).toList();
    }

    @Override
    public Peering peering(Caller caller, String idOrName) {
        return rules.view(caller, stored(caller, idOrName));
    }

    /** The peering as stored, if the caller sees it. */
    private Peering stored(Caller caller, String idOrName) {
        return repository.resolve(Kind.PEERING, idOrName, p -> sees(caller, p));
    }

    @Override
    public Peering createPeering(Caller caller, PeeringSpec spec) {
        String name = Kind.requireName(spec.name(), "name");
        if (spec.network() == null) {
            throw new ValidationException("REQUIRED", "The requesting network is required", "network");
        }
        if (spec.peerNetwork() == null) {
            throw new ValidationException("REQUIRED", "The peer network is required", "peerNetwork");
        }
        Peering created = repository.write(caller, "peering.create", changes -> {
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
            requireRoomForAnother(network);
            quotas.require(network.tenant(), QuotaService.PEERINGS, 1);
            boolean accepted = spec.autoAccept();
            if (accepted && !caller.canWrite(peer.tenant())) {
                throw new ValidationException("AUTO_ACCEPT_DENIED", "autoAccept needs the right to accept on the peer "
                        + "network's side", "autoAccept");
            }
            var now = repository.now();
            Peering peering = new Peering(repository.newId(Kind.PEERING), name, network.tenant(), null,
                    network.id(), peer.id(), network.cidrs(), List.of(), spec.allowVirtualNetworkAccess(),
                    spec.allowForwardedTraffic(), spec.autoSync(),
                    accepted ? PeeringState.ACTIVE : PeeringState.PENDING_ACCEPTANCE, "", now, now, null, null, null);
            if (accepted) {
                peering = rules.synced(peering, network, peer);
            }
            changes.put(Kind.PEERING, null, peering);
            return peering;
        });
        return rules.view(caller, created);
    }

    private Network network(Caller caller, String idOrName, String field) {
        try {
            return repository.resolve(Kind.NETWORK, idOrName, n -> caller.sees(n.tenant()));
        } catch (NotFoundException e) {
            throw new ValidationException("UNKNOWN_NETWORK", "No network '" + idOrName + "'", field);
        }
    }

    /** How many live peerings one network may have, as in public clouds. */
    static final int MAX_PEERINGS_PER_NETWORK = 500;

    /** A network has room for one more live peering; else 409 {@code LIMIT_EXCEEDED}. */
    private void requireRoomForAnother(Network network) {
        long live = repository.all(Kind.PEERING, q -> q.isLive() && q.involves(network.id()), PEERING_ORDER).size();
        if (live >= MAX_PEERINGS_PER_NETWORK) {
            throw new ConflictException("LIMIT_EXCEEDED", "Network " + network.name() + " has " + live + " live "
                    + "peerings, the most a network may have", "network");
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
        rules.ambiguousRoutes(network, newPeer.id(), newPeer.cidrs()).ifPresent(p -> {
            Network other = repository.byId(Kind.NETWORK, p.otherSide(network.id())).orElseThrow();
            boolean seen = caller.sees(network.tenant()) && caller.sees(other.tenant())
                    && caller.sees(newPeer.tenant());
            throw new ConflictException("OVERLAPPING_CIDRS", seen
                    ? "Network " + network.name() + " is already peered with " + other.name() + " (peering " + p.id()
                            + "), whose address space overlaps that of " + newPeer.name()
                    : "One of the two networks is already peered with a network whose address space overlaps the "
                            + "other's", "peerNetwork");
        });
    }

    private static void requireNoOverlap(Caller caller, Network a, Network b) {
        PeeringRules.overlap(a.cidrs(), b.cidrs()).ifPresent(pair -> {
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

    @Override
    public Peering accept(Caller caller, String idOrName) {
        Peering result = transition(caller, idOrName, "peering.accept", PeeringState.ACTIVE);
        if (result.state() == PeeringState.FAILED) {
            // The FAILED state is stored (it is the peering's truth now); the caller is told why.
            throw new ConflictException(result.stateDetail().equals(PeeringRules.DIFFERENT_DRIVERS)
                    ? "DRIVER_MISMATCH" : "OVERLAPPING_CIDRS", result.stateDetail(), null);
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
        return rules.view(caller, repository.write(caller, action, changes -> {
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
                for (String side : List.of(p.network(), p.peerNetwork())) {
                    long active = repository.all(Kind.PEERING, q -> q.state() == PeeringState.ACTIVE
                            && q.involves(side), PEERING_ORDER).size();
                    if (active >= MAX_PEERINGS_PER_NETWORK) {
                        throw new ConflictException("LIMIT_EXCEEDED", "One of the two networks has "
                                + MAX_PEERINGS_PER_NETWORK + " active peerings, the most a network may have", null);
                    }
                }
                // Checked here too: a request to another tenant's network was taken without these checks. The stored
                // detail is seen by both sides, so it names neither side's address space nor other peerings.
                Network network = repository.byId(Kind.NETWORK, p.network()).orElseThrow();
                Optional<PeeringRules.Problem> problem = rules.activationProblem(network, peer);
                if (problem.isPresent()) {
                    state = PeeringState.FAILED;
                    detail = problem.get().detail();
                }
            }
            Peering updated = p.withState(state, detail, repository.now());
            if (state == PeeringState.ACTIVE) {
                // Acceptance is the first sync: the peer side's tenant and address space are shown from now on.
                updated = rules.synced(updated, repository.byId(Kind.NETWORK, p.network()).orElseThrow(), peer);
            }
            changes.put(Kind.PEERING, p, updated);
            return updated;
        }));
    }

    @Override
    public void deletePeering(Caller caller, String idOrName) {
        repository.write(caller, "peering.delete", changes -> {
            Peering p = writablePeering(caller, idOrName);
            if (p.state() == PeeringState.DELETED) {
                throw new NotFoundException("peering", idOrName);
            }
            // Kept, DELETED, for the retention of ended peerings: both sides see what happened to it, so the detail
            // says which side deleted it and never who (a user name of one tenant is not the other's business).
            changes.put(Kind.PEERING, p, p.withState(PeeringState.DELETED, deletedBy(caller, p), repository.now()));
            return null;
        });
    }

    /**
     * @return the detail of a deleted peering: the side that deleted it (the requesting or the accepting network's),
     *     or an administrator
     */
    static String deletedBy(Caller caller, Peering p) {
        if (caller.writesEverywhere()) {
            return "Deleted by an administrator";
        }
        return caller.canWrite(p.tenant()) ? "Deleted by the requesting network's side"
                : "Deleted by the accepting network's side";
    }

    @Override
    public void forget(Caller caller, String idOrName) {
        repository.write(caller, "peering.forget", changes -> {
            Peering p = writablePeering(caller, idOrName);
            if (p.isLive()) {
                throw new ConflictException("INVALID_STATE", "Peering " + p.id() + " is " + p.state() + "; only an "
                        + "ended peering is forgotten", null);
            }
            changes.delete(Kind.PEERING, p);
            return null;
        });
    }

    @Override
    public Peering updatePeering(Caller caller, String idOrName, PeeringUpdate update) {
        String name = update.name().map(n -> Kind.requireName(n, "name")).orElse(null);
        return rules.view(caller, repository.write(caller, "peering.update", changes -> {
            Peering p = writablePeering(caller, idOrName);
            if (p.state() == PeeringState.DELETED) {
                throw new NotFoundException("peering", idOrName);
            }
            boolean autoSync = update.autoSync().orElse(p.autoSync());
            Peering updated = p.withSettings(name == null ? p.name() : name,
                    update.allowVirtualNetworkAccess().orElse(p.allowVirtualNetworkAccess()),
                    update.allowForwardedTraffic().orElse(p.allowForwardedTraffic()), autoSync, repository.now());
            if (autoSync && !p.autoSync() && p.state() == PeeringState.ACTIVE) {
                // Turning auto-sync on syncs at once, in the same write, or refuses the whole change.
                updated = syncedOrRefused(updated);
            }
            changes.put(Kind.PEERING, p, updated);
            return updated;
        }));
    }

    @Override
    public Peering sync(Caller caller, String idOrName) {
        return rules.view(caller, repository.write(caller, "peering.sync", changes -> {
            Peering p = writablePeering(caller, idOrName);
            if (p.state() != PeeringState.ACTIVE) {
                throw new ConflictException("INVALID_STATE", "Peering " + p.id() + " is " + p.state() + "; only an "
                        + "ACTIVE peering is synced", null);
            }
            Peering synced = syncedOrRefused(p);
            if (synced.networkCidrs().equals(p.networkCidrs()) && synced.peerCidrs().equals(p.peerCidrs())
                    && Objects.equals(synced.peerTenant(), p.peerTenant())) {
                return p;
            }
            changes.put(Kind.PEERING, p, synced);
            return synced;
        }));
    }

    /**
     * The peering with both current address spaces recorded, after the checks of acceptance.
     *
     * @throws ConflictException the problem's code, with a message that names neither side's address space
     */
    private Peering syncedOrRefused(Peering p) {
        Network network = repository.byId(Kind.NETWORK, p.network()).orElseThrow();
        Network peer = repository.byId(Kind.NETWORK, p.peerNetwork()).orElseThrow();
        rules.activationProblem(network, peer).ifPresent(problem -> {
            throw new ConflictException(problem.code(), problem.detail() + "; peering " + p.id() + " keeps the "
                    + "address spaces of its last sync", null);
        });
        return rules.synced(p, network, peer);
    }
}
