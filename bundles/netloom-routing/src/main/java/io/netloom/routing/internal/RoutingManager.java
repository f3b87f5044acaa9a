package io.netloom.routing.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;

/**
 * The {@link RoutingService}: keeps one {@link RouteTable} per network, derived from the model.
 *
 * <p>Tables are derived state, never stored: activation builds all of them from the model, so restarting this
 * bundle loses nothing. Afterwards each model event rebuilds only the tables it can change: a peering event those
 * of its two networks, a network event that network's and those of its active peers (their tables hold its
 * address space). Rebuilding reads the current model rather than the event's content, so a table always converges
 * to the model whatever order events arrive in.
 *
 * <p>Events arrive on one thread, reads on any: a rebuilt table replaces the old one in a concurrent map in one
 * step, so a reader sees either the old or the new table, never one half built.
 */
@Component(service = {RoutingService.class, ModelListener.class},
        // Derived state: applied before the reconciler, which reads it, hears of the same event.
        property = "service.ranking:Integer=100")
public class RoutingManager implements RoutingService, ModelListener {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingManager.class);

    @Reference
    private NetworkService networkService;

    @Reference
    private PeeringService peeringService;

    /** Published tables by network id; each is immutable and replaced whole. */
    private final Map<String, RouteTable> tables = new ConcurrentHashMap<>();

    /** Serialises the writers (activation and events), so an older rebuild never overwrites a newer one. */
    private final Object writeLock = new Object();

    /** Used by the component runtime, which then calls {@link #activate}. */
    public RoutingManager() {
    }

    /**
     * For tests: a manager over the given services; call {@link #activate} before use.
     */
    RoutingManager(NetworkService networkService, PeeringService peeringService) {
        this.networkService = networkService;
        this.peeringService = peeringService;
    }

    @Activate
    void activate() {
        synchronized (writeLock) {
            Caller system = Caller.system();
            List<Network> networks = networkService.networks(system);
            Map<String, Network> byId = new HashMap<>();
            networks.forEach(n -> byId.put(n.id(), n));
            List<Peering> peerings = peeringService.peerings(system);
            tables.clear();
            int routes = 0;
            for (Network network : networks) {
                RouteTable table = build(network, peerings, id -> Optional.ofNullable(byId.get(id)));
                tables.put(network.id(), table);
                routes += table.size();
            }
            LOG.info("Routing started: {} route tables with {} routes built from {} networks and {} peerings",
                    tables.size(), routes, networks.size(), peerings.size());
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (writeLock) {
            tables.clear();
        }
        LOG.info("Routing stopped");
    }

    @Override
    public List<Route> routes(Caller caller, String networkIdOrName) {
        Objects.requireNonNull(caller, "caller");
        Network network = networkService.network(caller, networkIdOrName);
        return tableOf(network).routes();
    }

    @Override
    public Optional<Route> lookup(String networkId, String address) {
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(address, "address");
        RouteTable table = tables.get(networkId);
        if (table == null) {
            Network network = findNetwork(networkId).orElseThrow(() -> new NotFoundException("network", networkId));
            table = tableOf(network);
        }
        return table.lookup(address);
    }

    /**
     * The published table of a network or, in the moment between a network's creation and the event announcing
     * it, one built from the model now. Such a table is not published: only the event thread publishes, so that a
     * reader cannot put back a table older than the one an event has just built.
     */
    private RouteTable tableOf(Network network) {
        RouteTable table = tables.get(network.id());
        if (table != null) {
            return table;
        }
        LOG.debug("No route table of network {} yet; building one for this read", network.id());
        return build(network, peeringService.peerings(Caller.system()), this::findNetwork);
    }

    /**
     * @param networkId a network id
     * @return the published table of that network, if there is one (for tests)
     */
    Optional<RouteTable> table(String networkId) {
        return Optional.ofNullable(tables.get(networkId));
    }

    @Override
    public void event(ModelEvent event) {
        Set<String> affected = affectedNetworks(event);
        if (affected.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            List<Peering> peerings = peeringService.peerings(Caller.system());
            for (String networkId : affected) {
                recompute(networkId, peerings);
            }
        }
    }

    /** The networks whose tables the event can change. */
    private Set<String> affectedNetworks(ModelEvent event) {
        Set<String> affected = new LinkedHashSet<>();
        if (event.subject() instanceof Peering peering) {
            affected.add(peering.network());
            affected.add(peering.peerNetwork());
        } else if (event.subject() instanceof StaticRoute route) {
            affected.add(route.network());
        } else if (event.subject() instanceof Network network) {
            if (event.type() == ModelEvent.Type.UPDATED && event.previous() instanceof Network before
                    && before.cidrs().equals(network.cidrs())) {
                // A status change: routes depend on nothing but the address space.
                return affected;
            }
            affected.add(network.id());
            for (Peering peering : peeringService.peerings(Caller.system())) {
                if (peering.state() == PeeringState.ACTIVE && peering.involves(network.id())) {
                    affected.add(otherSide(peering, network.id()));
                }
            }
        }
        return affected;
    }

    private void recompute(String networkId, List<Peering> peerings) {
        try {
            Optional<Network> network = findNetwork(networkId);
            if (network.isEmpty()) {
                if (tables.remove(networkId) != null) {
                    LOG.info("Route table of network {} removed: the network is gone", networkId);
                }
                return;
            }
            RouteTable table = build(network.get(), peerings, this::findNetwork);
            RouteTable before = tables.put(networkId, table);
            if (before == null || !before.routes().equals(table.routes())) {
                long viaPeerings = table.routes().stream().filter(r -> !Route.LOCAL.equals(r.target())).count();
                LOG.info("Route table of network {} ({}) now has {} routes, {} of them over peerings", networkId,
                        network.get().name(), table.size(), viaPeerings);
            } else {
                LOG.debug("Route table of network {} rebuilt unchanged", networkId);
            }
        } catch (RuntimeException e) {
            // Fail closed: a table that could not be rebuilt is dropped rather than left stale; reads then rebuild
            // it from the model and report the failure to their caller.
            tables.remove(networkId);
            LOG.warn("Could not rebuild the route table of network {}; it is dropped until the next change", networkId,
                    e);
        }
    }

    private RouteTable build(Network network, List<Peering> peerings, Function<String, Optional<Network>> networks) {
        List<PeeredNetwork> peers = new ArrayList<>();
        for (Peering peering : peerings) {
            // Only active peerings add routes; skipping the others here spares looking up their peers.
            if (peering.state() != PeeringState.ACTIVE || !peering.involves(network.id())) {
                continue;
            }
            String peerId = otherSide(peering, network.id());
            Optional<Network> peer = peerId.equals(network.id()) ? Optional.empty() : networks.apply(peerId);
            if (peer.isEmpty()) {
                LOG.warn("Active peering {} of network {} leads to network {}, which does not exist; it adds no route",
                        peering.id(), network.id(), peerId);
                continue;
            }
            peers.add(new PeeredNetwork(peering, peer.get()));
        }
        return RouteTable.forNetwork(network, networkService.staticRoutes(Caller.system(), network.id()), peers);
    }

    private static String otherSide(Peering peering, String networkId) {
        return peering.network().equals(networkId) ? peering.peerNetwork() : peering.network();
    }

    /** The network with exactly this id; the service also resolves names, which must not stand in for an id. */
    private Optional<Network> findNetwork(String networkId) {
        try {
            Network network = networkService.network(Caller.system(), networkId);
            return network.id().equals(networkId) ? Optional.of(network) : Optional.empty();
        } catch (NotFoundException e) {
            LOG.debug("Network {} not found: {}", networkId, e.getMessage());
            return Optional.empty();
        } catch (ConflictException e) {
            // AMBIGUOUS_NAME: no network has this id, and several are named like it.
            LOG.debug("Network {} not found by id: {}", networkId, e.getMessage());
            return Optional.empty();
        }
    }
}
