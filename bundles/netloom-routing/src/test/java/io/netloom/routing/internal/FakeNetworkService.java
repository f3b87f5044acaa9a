package io.netloom.routing.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.StaticRoute;

/** Networks held in a map, with the tenancy rule of the real service: another tenant's network is not found. */
final class FakeNetworkService implements NetworkService {

    private final Map<String, Network> networks = new ConcurrentHashMap<>();

    /** Stores a network of tenant {@code t1} whose name is its id in upper case. */
    Network add(String id, String... cidrs) {
        return addInTenant(id, "t1", cidrs);
    }

    Network addInTenant(String id, String tenant, String... cidrs) {
        Network network = new Network(id, id.toUpperCase(), tenant, List.of(cidrs), "sim", Instant.EPOCH,
                RealisationStatus.PENDING, "");
        networks.put(id, network);
        return network;
    }

    void put(Network network) {
        networks.put(network.id(), network);
    }

    Network remove(String id) {
        return networks.remove(id);
    }

    @Override
    public List<Network> networks(Caller caller) {
        return networks.values().stream().filter(n -> caller.sees(n.tenant())).toList();
    }

    @Override
    public Network network(Caller caller, String idOrName) {
        Network byId = networks.get(idOrName);
        if (byId != null && caller.sees(byId.tenant())) {
            return byId;
        }
        return networks.values().stream()
                .filter(n -> n.name().equals(idOrName) && caller.sees(n.tenant()))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("network", idOrName));
    }

    @Override
    public List<StaticRoute> staticRoutes(Caller caller, String networkIdOrName) {
        return staticRoutes.stream().filter(r -> r.network().equals(networkIdOrName)).toList();
    }

    /** Static routes the fake serves, for every network. */
    final List<StaticRoute> staticRoutes = new CopyOnWriteArrayList<>();

    @Override
    public List<Subnet> subnets(Caller caller, String networkIdOrName) {
        throw new UnsupportedOperationException("routing does not read subnets");
    }

    @Override
    public Subnet subnet(Caller caller, String idOrName) {
        throw new UnsupportedOperationException("routing does not read subnets");
    }
}
