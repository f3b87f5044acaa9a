package io.netloom.topology.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.netloom.api.NotFoundException;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.topology.Link;
import io.netloom.api.topology.Topology;
import io.netloom.api.topology.TopologyNode;

public class TopologyManagerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");
    private static final Caller ALICE = new Caller("alice", "acme", false, "rest");

    private final List<Network> networks = new ArrayList<>();
    private final List<Port> ports = new ArrayList<>();
    private final List<Peering> peerings = new ArrayList<>();
    private final List<DriverDescriptor> drivers = new ArrayList<>();

    private final TopologyManager manager = new TopologyManager(new FakeNetworks(), new FakePorts(),
            new FakePeerings(), new FakeDrivers());

    @Test
    public void smallModelHasRealisationAttachmentAndPeeringLinks() {
        network("n-a", "acme", "sim");
        network("n-b", "acme", "sim");
        port("p-1", "acme", "n-a");
        port("p-2", "acme", "n-b");
        peering("pr-1", "acme", "n-a", "n-b", PeeringState.ACTIVE);
        driver("sim", DriverStatus.ACTIVE);

        Topology topology = manager.topology(ADMIN);

        assertEquals(List.of(new TopologyNode("node-sim", "sim", "ACTIVE")), topology.nodes());
        assertEquals(List.of(
                new Link("n-a", "node-sim", "realisation", null),
                new Link("n-b", "node-sim", "realisation", null),
                new Link("p-1", "n-a", "attachment", null),
                new Link("p-2", "n-b", "attachment", null),
                new Link("n-a", "n-b", "peering", "ACTIVE")), topology.links());
        assertEquals(2, topology.networks().size());
        assertEquals(2, topology.ports().size());
        assertEquals(1, topology.peerings().size());
    }

    @Test
    public void callerSeeingOneNetworkGetsOnlyItsPortsAndNodes() {
        network("n-a", "acme", "sim");
        network("n-b", "bobco", "ovs");
        port("p-1", "acme", "n-a");
        port("p-2", "bobco", "n-b");
        peering("pr-1", "acme", "n-a", "n-b", PeeringState.PENDING_ACCEPTANCE);
        driver("ovs", DriverStatus.ACTIVE);
        driver("sim", DriverStatus.ACTIVE);

        Topology topology = manager.topology(ALICE);

        assertEquals(List.of("n-a"), topology.networks().stream().map(Network::id).toList());
        assertEquals(List.of("p-1"), topology.ports().stream().map(Port::id).toList());
        assertEquals(List.of(new TopologyNode("node-sim", "sim", "ACTIVE")), topology.nodes());
        assertEquals(List.of(
                new Link("n-a", "node-sim", "realisation", null),
                new Link("p-1", "n-a", "attachment", null),
                new Link("n-a", "n-b", "peering", "PENDING_ACCEPTANCE")), topology.links());
    }

    @Test
    public void nodeIsDriverMissingWhenNoDriverOfItsTypeIsRegistered() {
        network("n-a", "acme", "ovs");
        network("n-b", "acme", "sim");
        driver("sim", DriverStatus.ACTIVE);

        Topology topology = manager.topology(ADMIN);

        assertEquals(List.of(new TopologyNode("node-ovs", "ovs", "DRIVER_MISSING"),
                new TopologyNode("node-sim", "sim", "ACTIVE")), topology.nodes());
        assertTrue(topology.links().contains(new Link("n-a", "node-ovs", "realisation", null)));
    }

    @Test
    public void standbyDriversAreIgnoredForANodesStatus() {
        network("n-a", "acme", "ovs");
        network("n-b", "acme", "linuxbridge");
        // The registry lists by descending ranking, so a standby can come first when the selected one is the
        // earlier registration of equal ranking; the standby must not decide the status either way.
        driver("ovs", DriverStatus.STANDBY);
        driver("ovs", DriverStatus.DEGRADED);
        driver("linuxbridge", DriverStatus.STANDBY);

        Topology topology = manager.topology(ADMIN);

        assertEquals(List.of(new TopologyNode("node-linuxbridge", "linuxbridge", "DRIVER_MISSING"),
                new TopologyNode("node-ovs", "ovs", "DEGRADED")), topology.nodes());
    }

    @Test
    public void emptyModelHasNoNodesEvenWithDriversRegistered() {
        driver("sim", DriverStatus.ACTIVE);

        Topology topology = manager.topology(ALICE);

        assertEquals(List.of(), topology.nodes());
        assertEquals(List.of(), topology.links());
    }

    private void network(String id, String tenant, String driver) {
        networks.add(new Network(id, id, tenant, List.of("10.0.0.0/8"), driver, T0, RealisationStatus.PENDING, ""));
    }

    private void port(String id, String tenant, String network) {
        ports.add(new Port(id, id, tenant, network, network + "-s", "10.0.0." + (ports.size() + 2),
                "02:00:00:00:00:0" + ports.size(), List.of(), null, T0, RealisationStatus.PENDING, ""));
    }

    private void peering(String id, String tenant, String network, String peer, PeeringState state) {
        peerings.add(new Peering(id, id, tenant, network, peer, false, state, "", T0, T0));
    }

    private void driver(String type, DriverStatus status) {
        drivers.add(new DriverDescriptor(type, type + " driver", "1.0.0", "io.netloom.driver." + type, 7, 0, status,
                ""));
    }

    private String tenantOf(String networkId) {
        return networks.stream().filter(n -> n.id().equals(networkId)).findFirst().map(Network::tenant)
                .orElseThrow(() -> new NotFoundException("network", networkId));
    }

    private final class FakeNetworks implements NetworkService {
        @Override
        public List<Network> networks(Caller caller) {
            return networks.stream().filter(n -> caller.sees(n.tenant())).toList();
        }

        @Override
        public Network network(Caller caller, String idOrName) {
            return networks(caller).stream().filter(n -> n.id().equals(idOrName)).findFirst()
                    .orElseThrow(() -> new NotFoundException("network", idOrName));
        }

        @Override

        public List<StaticRoute> staticRoutes(Caller caller, String networkIdOrName) {

            return List.of();

        }


        @Override
        public List<Subnet> subnets(Caller caller, String networkIdOrName) {
            throw new UnsupportedOperationException("not used by the topology");
        }

        @Override
        public Subnet subnet(Caller caller, String idOrName) {
            throw new UnsupportedOperationException("not used by the topology");
        }
    }

    private final class FakePorts implements PortService {
        @Override
        public List<Port> ports(Caller caller, Optional<String> networkIdOrName) {
            return ports.stream().filter(p -> caller.sees(p.tenant()))
                    .filter(p -> networkIdOrName.map(p.network()::equals).orElse(true)).toList();
        }

        @Override
        public Port port(Caller caller, String idOrName) {
            return ports(caller, Optional.empty()).stream().filter(p -> p.id().equals(idOrName)).findFirst()
                    .orElseThrow(() -> new NotFoundException("port", idOrName));
        }
    }

    private final class FakePeerings implements PeeringService {
        @Override
        public List<Peering> peerings(Caller caller) {
            return peerings.stream()
                    .filter(p -> caller.sees(tenantOf(p.network())) || caller.sees(tenantOf(p.peerNetwork())))
                    .toList();
        }

        @Override
        public Peering peering(Caller caller, String idOrName) {
            return peerings(caller).stream().filter(p -> p.id().equals(idOrName)).findFirst()
                    .orElseThrow(() -> new NotFoundException("peering", idOrName));
        }
    }

    private final class FakeDrivers implements DriverRegistry {
        @Override
        public List<DriverDescriptor> drivers() {
            return List.copyOf(drivers);
        }

        @Override
        public Optional<NetworkDriver> driver(String type) {
            throw new UnsupportedOperationException("the topology reads statuses from drivers()");
        }

        @Override
        public String defaultType() {
            return "sim";
        }
    }
}
