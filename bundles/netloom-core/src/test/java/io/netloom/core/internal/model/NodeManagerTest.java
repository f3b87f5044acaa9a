package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.ForbiddenException;
import io.netloom.api.NetloomException;
import io.netloom.api.NotFoundException;
import io.netloom.api.codec.JsonCodec;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeHeartbeat;
import io.netloom.api.model.NodeSpec;
import io.netloom.api.model.NodeStatus;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.store.StoreWrite;

/**
 * Nodes: the local one there without configuration, registration, heartbeats and liveness, draining, removal, who
 * may read and change them, and placing ports on them.
 */
public class NodeManagerTest {

    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");
    private static final Caller VIEWER = Caller.of("vera", List.of(Caller.VIEWER_ROLE), "rest");
    private static final Caller ALICE = new Caller("alice", "acme", false, "rest");

    /** A clock the test moves. */
    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Ticking clock = new Ticking();
    private InMemoryModelStore store;
    private ModelRepository repository;
    private NodeManager nodes;
    private NetworkManager networks;
    private PortManager ports;
    private Network net;

    @Before
    public void setUp() {
        store = new InMemoryModelStore();
        repository = new ModelRepository(store, clock);
        nodes = new NodeManager(repository, ModelManagersTest.SIM_ONLY);
        nodes.setTimeout(Duration.ofSeconds(15));
        networks = new NetworkManager(repository, ModelManagersTest.SIM_ONLY);
        ports = new PortManager(repository, ModelManagersTest.SIM_ONLY,
                new QuotaManager(repository, Map.of()), nodes);
        net = networks.createNetwork(ADMIN, new NetworkSpec("net", List.of("10.200.0.0/16"), null));
        networks.createSubnet(ADMIN, "net", new SubnetSpec("s", "10.200.1.0/24", null));
    }

    private static void assertCode(String code, String field, Runnable r) {
        NetloomException e = assertThrows(NetloomException.class, r::run);
        assertEquals(e.getMessage(), code, e.code());
        assertEquals(e.getMessage(), field, e.field().orElse(null));
    }

    @Test
    public void theControllersOwnNodeIsThereWithoutConfigurationAndTakesPortsByDefault() {
        List<Node> all = nodes.nodes(ADMIN);
        assertEquals(1, all.size());
        Node local = all.get(0);
        assertEquals("node-sim", local.id());
        assertTrue(local.local());
        assertEquals(NodeStatus.UP, local.status());
        Port p = ports.createPort(ADMIN, new PortSpec("p1", "net", null, null, null, null, null));
        assertEquals("node-sim", p.host());
        assertEquals(1, nodes.node(VIEWER, "node-sim").portCount());
        assertCode("LOCAL_NODE", null, () -> nodes.remove(ADMIN, "node-sim"));
    }

    @Test
    public void aRegisteredNodeIsDownUntilItsHeartbeatAndAgainWhenItStops() {
        Node n = nodes.register(ADMIN, new NodeSpec("host2", "sim", "10.200.250.2"));
        assertTrue(n.id().matches("node-[0-9a-f]{12}"));
        assertEquals(NodeStatus.DOWN, n.status());
        Node up = nodes.heartbeat(ADMIN, "host2", new NodeHeartbeat(7, "0.1.0"));
        assertEquals(NodeStatus.UP, up.status());
        assertEquals(7, up.realisedRevision());
        assertEquals("0.1.0", up.agentVersion());
        assertEquals(clock.now, up.lastHeartbeat());
        clock.now = clock.now.plusSeconds(16);
        assertEquals(NodeStatus.DOWN, nodes.node(ADMIN, n.id()).status());
        assertEquals(NodeStatus.DOWN, nodes.find(n.id()).orElseThrow().status());
        assertEquals(List.of("node-sim", n.id()), nodes.nodes(ADMIN).stream().map(Node::id).toList());
    }

    @Test
    public void registrationIsValidatedAndNamesAndAddressesAreUnique() {
        nodes.register(ADMIN, new NodeSpec("host2", "sim", "10.200.250.2"));
        assertCode("NODE_EXISTS", "name", () -> nodes.register(ADMIN, new NodeSpec("host2", "sim", "10.200.250.3")));
        assertCode("NODE_EXISTS", "name", () -> nodes.register(ADMIN, new NodeSpec("node-sim", "sim",
                "10.200.250.3")));
        assertCode("NODE_EXISTS", "underlayAddress", () -> nodes.register(ADMIN, new NodeSpec("host3", "sim",
                "10.200.250.2")));
        assertCode("INVALID_ADDRESS", "underlayAddress", () -> nodes.register(ADMIN, new NodeSpec("host3", "sim",
                "10.200.250.300")));
        assertCode("INVALID_DRIVER", "driver", () -> nodes.register(ADMIN, new NodeSpec("host3", "Bad Type",
                "10.200.250.3")));
        assertCode("INVALID_NAME", "name", () -> nodes.register(ADMIN, new NodeSpec("-x", "sim", "10.200.250.3")));
        assertCode("INVALID_REVISION", "realisedRevision", () -> nodes.heartbeat(ADMIN, "host2",
                new NodeHeartbeat(-1, "1")));
        assertEquals(2, nodes.nodes(ADMIN).size());
    }

    @Test
    public void viewersReadNodesOnlyAdministratorsChangeThemAndTenantsSeeNone() {
        nodes.register(ADMIN, new NodeSpec("host2", "sim", "10.200.250.2"));
        assertEquals(2, nodes.nodes(VIEWER).size());
        assertThrows(ForbiddenException.class, () -> nodes.nodes(ALICE));
        assertThrows(ForbiddenException.class, () -> nodes.node(ALICE, "host2"));
        assertThrows(ForbiddenException.class, () -> nodes.register(VIEWER, new NodeSpec("h3", "sim", "10.0.0.3")));
        assertThrows(ForbiddenException.class, () -> nodes.setDraining(VIEWER, "host2", true));
        assertThrows(ForbiddenException.class, () -> nodes.remove(ALICE, "host2"));
        assertThrows(ForbiddenException.class, () -> nodes.heartbeat(VIEWER, "host2", new NodeHeartbeat(1, "1")));
        assertThrows(NotFoundException.class, () -> nodes.node(ADMIN, "nowhere"));
    }

    @Test
    public void portsArePlacedOnNamedNodesOfTheirDriverAndADrainingNodeTakesNoNewPorts() {
        Node host2 = nodes.register(ADMIN, new NodeSpec("host2", "sim", "10.200.250.2"));
        Node other = nodes.register(ADMIN, new NodeSpec("ovs2", "ovs", "10.200.250.3"));
        Port p = ports.createPort(ADMIN, new PortSpec("p1", "net", null, null, null, null, null, "host2"));
        assertEquals(host2.id(), p.host());
        assertCode("UNKNOWN_NODE", "host", () -> ports.createPort(ADMIN, new PortSpec("p2", "net", null, null, null,
                null, null, "nowhere")));
        assertCode("DRIVER_MISMATCH", "host", () -> ports.createPort(ADMIN, new PortSpec("p2", "net", null, null,
                null, null, null, other.id())));
        assertCode("IN_USE", null, () -> nodes.remove(ADMIN, "host2"));

        // Never heard of, it is down; drained, it says so; alive, it is draining.
        Node drained = nodes.setDraining(ADMIN, "host2", true);
        assertEquals(NodeStatus.DOWN, drained.status());
        assertTrue(drained.statusDetail(), drained.statusDetail().contains("drained"));
        assertEquals(NodeStatus.DRAINING, nodes.heartbeat(ADMIN, "host2", new NodeHeartbeat(0, "1")).status());
        assertCode("NODE_DRAINING", "host", () -> ports.createPort(ADMIN, new PortSpec("p2", "net", null, null,
                null, null, null, "host2")));
        assertCode("NODE_DRAINING", "[1].host", () -> ports.createPorts(ADMIN, List.of(
                new PortSpec("p3", "net", null, null, null, null, null),
                new PortSpec("p4", "net", null, null, null, null, null, "host2"))));
        assertEquals("a refused bulk create changes nothing", 1, ports.ports(ADMIN, Optional.empty())
                .size());
        // Draining the controller's own node refuses the ports that would go there by default.
        nodes.setDraining(ADMIN, "node-sim", true);
        assertEquals(NodeStatus.DRAINING, nodes.node(ADMIN, "node-sim").status());
        assertCode("NODE_DRAINING", "host", () -> ports.createPort(ADMIN, new PortSpec("p5", "net", null, null,
                null, null, null)));
        nodes.setDraining(ADMIN, "node-sim", false);
        ports.createPort(ADMIN, new PortSpec("p5", "net", null, null, null, null, null));

        ports.deletePort(ADMIN, "p1");
        nodes.remove(ADMIN, "host2");
        assertThrows(NotFoundException.class, () -> nodes.node(ADMIN, "host2"));
    }

    @Test
    public void aPortStoredBeforePortsHadHostsIsOnTheLocalNodeOfItsDriver() {
        Port p = ports.createPort(ADMIN, new PortSpec("p1", "net", null, null, null, null, null));
        store.commit(List.of(StoreWrite.put(Kind.PORT.collection(), p.id(),
                JsonCodec.gson().toJson(p.withHost(null)))));
        ModelRepository reloaded = new ModelRepository(store, clock);
        assertEquals("node-sim", reloaded.byId(Kind.PORT, p.id()).orElseThrow().host());
    }

    @Test
    public void onlyThoseWhoReadNodesNameAHost() {
        Network own = networks.createNetwork(ALICE, new NetworkSpec("mine", List.of("10.201.0.0/16"), null));
        networks.createSubnet(ALICE, own.id(), new SubnetSpec("s", "10.201.1.0/24", null));
        assertThrows(ForbiddenException.class, () -> ports.createPort(ALICE, new PortSpec("p", "mine", null, null,
                null, null, null, "node-sim")));
        assertEquals("node-sim", ports.createPort(ALICE, new PortSpec("p", "mine", null, null, null, null, null))
                .host());
    }
}
