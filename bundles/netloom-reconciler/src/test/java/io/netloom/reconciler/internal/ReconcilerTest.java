package io.netloom.reconciler.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.NotFoundException;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.Subnet;
import io.netloom.api.routing.Route;
import io.netloom.api.realisation.NodeRealisation;
import io.netloom.api.routing.RoutingService;

public class ReconcilerTest {

    private final List<Network> networkList = new ArrayList<>();
    private final List<Port> portList = new ArrayList<>();
    private final Map<String, NetworkDriver> drivers = new LinkedHashMap<>();
    private final MemoryDriver sim = new MemoryDriver();
    /** The gateway of every network's one subnet; {@code null} for a subnet without one. */
    private String gateway = "10.1.1.1";
    private Reconciler reconciler;
    private Reconciler withoutFirewall;

    /** A driver whose data plane is a map, counting the plans it is given. */
    private static final class MemoryDriver implements NetworkDriver {
        final Map<String, ConfigEntry> entries = new LinkedHashMap<>();
        final List<Plan> plans = new ArrayList<>();

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public DriverHealth health() {
            return DriverHealth.up();
        }

        @Override
        public Set<DriverCapability> capabilities() {
            return Set.of();
        }

        @Override
        public NodeConfig readActual(String node) {
            return new NodeConfig(node, entries);
        }

        @Override
        public ApplyResult apply(Plan plan) {
            plans.add(plan);
            for (PlanStep step : plan.steps()) {
                if (step.op() == PlanStep.Op.ADD) {
                    entries.put(step.entry().key(), step.entry());
                } else {
                    entries.remove(step.entry().key());
                }
            }
            return ApplyResult.success();
        }
    }

    private final NetworkService networks = new NetworkService() {
        @Override
        public List<Network> networks(Caller caller) {
            return List.copyOf(networkList);
        }

        @Override
        public Network network(Caller caller, String id) {
            return networkList.stream().filter(n -> n.id().equals(id)).findFirst()
                    .orElseThrow(() -> new NotFoundException("network", id));
        }

        @Override
        public List<Subnet> subnets(Caller caller, String id) {
            return List.of(new Subnet("sub-" + id, "s", "t", id, "10.1.1.0/24", gateway, Instant.EPOCH));
        }

        @Override
        public Subnet subnet(Caller caller, String id) {
            throw new NotFoundException("subnet", id);
        }

        @Override
        public List<StaticRoute> staticRoutes(Caller caller, String id) {
            return List.of();
        }
    };

    private final PortService ports = new PortService() {
        @Override
        public List<Port> ports(Caller caller, Optional<String> network) {
            return List.copyOf(portList);
        }

        @Override
        public Port port(Caller caller, String id) {
            throw new NotFoundException("port", id);
        }
    };

    private final PeeringService peerings = new PeeringService() {
        @Override
        public List<Peering> peerings(Caller caller) {
            return List.of();
        }

        @Override
        public Peering peering(Caller caller, String id) {
            throw new NotFoundException("peering", id);
        }
    };

    private final DriverRegistry registry = new DriverRegistry() {
        @Override
        public List<DriverDescriptor> drivers() {
            return drivers.keySet().stream().map(type -> new DriverDescriptor(type, type, "1", "b", 1, 0,
                    DriverStatus.ACTIVE, "")).toList();
        }

        @Override
        public Optional<NetworkDriver> driver(String type) {
            return Optional.ofNullable(drivers.get(type));
        }

        @Override
        public String defaultType() {
            return "sim";
        }
    };

    private final RoutingService routing = new RoutingService() {
        @Override
        public List<Route> routes(Caller caller, String network) {
            return List.of(new Route("10.1.0.0/16", Route.LOCAL, "local"));
        }

        @Override
        public Optional<Route> lookup(String networkId, String address) {
            return Optional.empty();
        }
    };

    private final FirewallService firewall = new FirewallService() {
        @Override
        public List<FilterRule> compiled(String portId) {
            return List.of(new FilterRule("sg/r1", portId, Direction.INGRESS, Protocol.TCP, 80, 80, "10.0.0.0/8",
                    RuleAction.ALLOW, 100));
        }

        @Override
        public boolean knows(String portId) {
            return true;
        }

        @Override
        public List<String> memberships(String portId) {
            return List.of();
        }

        @Override
        public Map<String, String> addressSet(String setId) {
            return Map.of();
        }

        @Override
        public Decision decide(String portId, Direction d, Protocol p, String remote, int port) {
            return new Decision(RuleAction.ALLOW, null, "default");
        }

        @Override
        public List<LintFinding> lint(Caller caller, String group) {
            return List.of();
        }
    };

    @Before
    public void setUp() {
        drivers.put("sim", sim);
        networkList.add(new Network("net-1", "a", "t", List.of("10.1.0.0/16"), "sim", Instant.EPOCH,
                RealisationStatus.PENDING, ""));
        portList.add(new Port("port-1", "p", "t", "net-1", "sub-net-1", "10.1.1.2", "02:00:00:00:00:02", List.of(),
                null, Instant.EPOCH, RealisationStatus.PENDING, ""));
        reconciler = new Reconciler(networks, ports, peerings, registry, routing, firewall);
        withoutFirewall = new Reconciler(networks, ports, peerings, registry, routing, null);
    }

    private RealisationStatus statusOf(Reconciler r, String id) {
        return r.realisation(id).orElseThrow().status();
    }

    @Test
    public void firstPassRealisesEverythingAndASecondPassAppliesNothing() {
        int applied = reconciler.reconcileNow();
        assertEquals("segment, port, route and one filter", 4, applied);
        assertEquals(RealisationStatus.ACTIVE, statusOf(reconciler, "net-1"));
        assertEquals(RealisationStatus.ACTIVE, statusOf(reconciler, "port-1"));
        assertEquals(0, reconciler.reconcileNow());
        assertEquals(1, sim.plans.size());
    }

    @Test
    public void aDeletedPortIsRemovedWithItsFiltersAndNothingElse() {
        reconciler.reconcileNow();
        portList.clear();
        reconciler.reconcileNow();
        Plan removal = sim.plans.get(1);
        assertEquals(2, removal.steps().size());
        assertTrue(removal.steps().stream().allMatch(s -> s.op() == PlanStep.Op.REMOVE));
        assertTrue(sim.entries.keySet().stream().noneMatch(k -> k.contains("port-1")));
    }

    @Test
    public void aPortWithoutAnAddressIsLeftPendingAndPushesNothing() {
        portList.add(new Port("port-2", "l2", "t", "net-1", null, null, "02:00:00:00:00:03", List.of(), null,
                Instant.EPOCH, RealisationStatus.PENDING, ""));
        assertEquals("segment, port-1, route and one filter: nothing of port-2", 4, reconciler.reconcileNow());
        assertTrue(sim.entries.keySet().stream().noneMatch(k -> k.contains("port-2")));
        assertEquals(RealisationStatus.ACTIVE, statusOf(reconciler, "port-1"));
        assertTrue(reconciler.realisation("port-2").map(r -> r.status() != RealisationStatus.ACTIVE).orElse(true));
        assertEquals(0, reconciler.reconcileNow());
    }

    @Test
    public void aSubnetWithoutAGatewayAndItsPortsAreNotRealised() {
        gateway = null;
        reconciler.reconcileNow();
        assertTrue(sim.entries.keySet().stream().noneMatch(k -> k.contains("sub-net-1") || k.contains("port-1")));
        assertTrue(reconciler.realisation("port-1").map(r -> r.status() != RealisationStatus.ACTIVE).orElse(true));
    }

    @Test
    public void missingDriverLeavesTheDataPlaneAloneAndSaysDriverMissing() {
        reconciler.reconcileNow();
        Map<String, ConfigEntry> before = new LinkedHashMap<>(sim.entries);
        drivers.clear();
        portList.add(new Port("port-2", "q", "t", "net-1", "sub-net-1", "10.1.1.3", "02:00:00:00:00:03", List.of(),
                null, Instant.EPOCH, RealisationStatus.PENDING, ""));
        reconciler.reconcileNow();
        assertEquals(RealisationStatus.DRIVER_MISSING, statusOf(reconciler, "port-2"));
        assertEquals(before, sim.entries);
        drivers.put("sim", sim);
        assertEquals("only the new port and its filter", 2, reconciler.reconcileNow());
        assertEquals(RealisationStatus.ACTIVE, statusOf(reconciler, "port-2"));
    }

    @Test
    public void withoutTheFirewallNothingIsPushed() {
        assertEquals(0, withoutFirewall.reconcileNow());
        assertTrue(sim.plans.isEmpty());
        assertEquals(RealisationStatus.PENDING, statusOf(withoutFirewall, "port-1"));
        assertTrue(withoutFirewall.realisation("port-1").orElseThrow().detail().contains("firewall"));
    }

    @Test
    public void theLastNetworkOfADriverGoneLeavesNothingOnItsNode() {
        reconciler.reconcileNow();
        portList.clear();
        networkList.clear();
        reconciler.reconcileNow();
        assertEquals(Map.of(), sim.entries);
        assertEquals(0, reconciler.reconcileNow());
    }

    @Test
    public void driftOnTheDataPlaneIsRepaired() {
        reconciler.reconcileNow();
        sim.entries.keySet().removeIf(k -> k.startsWith("filter:"));
        assertEquals(1, reconciler.reconcileNow());
        assertEquals(0, reconciler.reconcileNow());
    }

    private Port port(String id, String network, String ip) {
        return new Port(id, id, "t", network, "sub-" + network, ip, "02:00:00:00:00:0" + id.charAt(id.length() - 1),
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "");
    }

    @Test
    public void aWriteIsRealisedOnceItsNodeHasAppliedAndReadItBack() {
        reconciler.reconcileNow();
        Port added = port("port-2", "net-1", "10.1.1.3");
        portList.add(added);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, added, null, 5));
        reconciler.committed(5);
        var waiting = reconciler.whenRealised(5);
        assertFalse(reconciler.realised(5));
        assertFalse(waiting.isDone());
        assertEquals(List.of("node-sim"), reconciler.pending(5).stream().map(NodeRealisation::node).toList());

        reconciler.pass();
        assertTrue(reconciler.realised(5));
        assertTrue(waiting.isDone());
        assertTrue(sim.entries.containsKey("port:port-2"));
        assertEquals(List.of(), reconciler.pending(5));
        NodeRealisation node = reconciler.nodes().get(0);
        assertEquals("node-sim", node.node());
        assertEquals(5, node.realisedRevision());
        assertEquals(0, node.lag());
    }

    @Test
    public void aNodeWithoutItsDriverHoldsBackOnlyTheWritesThatConcernIt() {
        reconciler.reconcileNow();
        Network orphan = new Network("net-2", "b", "t", List.of("10.2.0.0/16"), "ovs", Instant.EPOCH,
                RealisationStatus.PENDING, "");
        networkList.add(orphan);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, orphan, null, 6));
        reconciler.committed(6);
        reconciler.pass();
        assertFalse("no driver of type ovs: not realised", reconciler.realised(6));
        List<NodeRealisation> behind = reconciler.pending(6);
        assertEquals(List.of("node-ovs"), behind.stream().map(NodeRealisation::node).toList());
        assertTrue(behind.get(0).detail(), behind.get(0).detail().contains("No driver of type 'ovs'"));

        Port added = port("port-2", "net-1", "10.1.1.3");
        portList.add(added);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, added, null, 7));
        reconciler.committed(7);
        reconciler.pass();
        assertTrue("a later write on another node is live", reconciler.realised(7));
        assertFalse(reconciler.realised(6));
        Map<String, NodeRealisation> nodes = new LinkedHashMap<>();
        reconciler.nodes().forEach(n -> nodes.put(n.node(), n));
        assertEquals(7, nodes.get("node-sim").realisedRevision());
        assertEquals(0, nodes.get("node-sim").lag());
        assertEquals(1, nodes.get("node-ovs").lag());

        drivers.put("ovs", new MemoryDriver());
        reconciler.resyncAll();
        reconciler.pass();
        assertTrue("realised once its driver came", reconciler.realised(6));
    }

    @Test
    public void withoutTheFirewallNoWriteIsRealised() {
        withoutFirewall.event(new ModelEvent(ModelEvent.Type.CREATED, port("port-2", "net-1", "10.1.1.3"), null,
                3));
        withoutFirewall.committed(3);
        withoutFirewall.pass();
        assertFalse(withoutFirewall.realised(3));
    }

    @Test
    public void aWriteThatChangesNoNodeIsRealisedByTheNextPass() {
        reconciler.reconcileNow();
        SecurityGroup empty = new SecurityGroup("sg-1", "web", "t", "", null, List.of(), Instant.EPOCH);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, empty, null, 9));
        reconciler.committed(9);
        assertFalse("not yet taken in", reconciler.realised(9));
        reconciler.pass();
        assertTrue(reconciler.realised(9));
        assertEquals(0, sim.plans.size() - 1);
    }

    @Test
    public void aWriteOfManyEventsIsNotRealisedBeforeAllOfThemAreHeard() {
        reconciler.reconcileNow();
        Port first = port("port-2", "net-1", "10.1.1.3");
        Port second = port("port-3", "net-1", "10.1.1.4");
        portList.add(first);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, first, null, 5));
        reconciler.pass();
        assertFalse("a pass in the middle of the write's events does not realise it", reconciler.realised(5));
        portList.add(second);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, second, null, 5));
        reconciler.committed(5);
        reconciler.pass();
        assertTrue(reconciler.realised(5));
        assertTrue(sim.entries.containsKey("port:port-3"));
    }

    @Test
    public void aFullPassDoesNotRealiseAWriteWhoseEventsNotEveryListenerHasHad() {
        // The model is at revision 8 (a peering became active, say), but the routing service derives its routes
        // from the events, which are still on their way: a full pass now reads stale routes.
        io.netloom.api.model.ModelRevisions at8 = new io.netloom.api.model.ModelRevisions() {
            @Override
            public long current() {
                return 8;
            }

            @Override
            public <T> Tracked<T> tracked(java.util.function.Supplier<T> work,
                    java.util.function.LongFunction<List<io.netloom.api.store.StoreWrite>> alsoCommit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean awaitHeard(long revision, java.time.Duration timeout) {
                throw new UnsupportedOperationException("the reconciler hears revisions itself");
            }
        };
        Reconciler early = new Reconciler(networks, ports, peerings, registry, routing, firewall, at8);
        early.committed(7);
        early.reconcileNow();
        assertTrue(early.realised(7));
        assertFalse("a full pass before the events of revision 8 reached every listener does not realise it",
                early.realised(8));
        early.event(new ModelEvent(ModelEvent.Type.CREATED, port("port-8", "net-1", "10.1.1.8"), null, 8));
        early.committed(8);
        early.pass();
        assertTrue(early.realised(8));
    }
}
