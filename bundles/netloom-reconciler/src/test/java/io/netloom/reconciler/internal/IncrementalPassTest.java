package io.netloom.reconciler.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;

import io.netloom.api.NotFoundException;
import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;
import io.netloom.api.model.NodeStatus;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.Subnet;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;

/**
 * Incremental passes against full ones: after any sequence of port and group changes, a data plane kept current by
 * incremental passes holds exactly what a full pass from nothing puts on an empty one.
 */
public class IncrementalPassTest {

    private static final String[] NETWORKS = {"net-a", "net-b"};
    private static final String[] GROUPS = {"g1", "g2", "g3"};

    /** The model: ports and groups, changed by the test, which announces every change. */
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    /** Ports whose rules the firewall has not compiled yet. */
    private final Set<String> uncompiled = new HashSet<>();

    /** A driver whose data plane is a map, with or without address sets, counting the steps it applies. */
    private static final class MemoryDriver implements NetworkDriver {
        final Map<String, ConfigEntry> entries = new LinkedHashMap<>();
        final boolean sets;
        int steps;

        MemoryDriver(boolean sets) {
            this.sets = sets;
        }

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
            return sets ? EnumSet.of(DriverCapability.ADDRESS_SETS) : Set.of();
        }

        @Override
        public NodeConfig readActual(String node) {
            return new NodeConfig(node, entries);
        }

        @Override
        public ApplyResult apply(Plan plan) {
            for (PlanStep step : plan.steps()) {
                steps++;
                if (step.op() == PlanStep.Op.ADD) {
                    entries.put(step.entry().key(), step.entry());
                } else {
                    entries.remove(step.entry().key());
                }
            }
            return ApplyResult.success();
        }
    }

    private final NetworkService networkService = new NetworkService() {
        @Override
        public List<Network> networks(Caller caller) {
            List<Network> all = new ArrayList<>();
            for (String id : NETWORKS) {
                all.add(network(caller, id));
            }
            return all;
        }

        @Override
        public Network network(Caller caller, String id) {
            return new Network(id, id, "t", List.of(cidr(id)), "mem", Instant.EPOCH, RealisationStatus.PENDING, "");
        }

        @Override
        public List<Subnet> subnets(Caller caller, String id) {
            return List.of(subnet(caller, "sub-" + id));
        }

        @Override
        public Subnet subnet(Caller caller, String id) {
            String network = id.substring("sub-".length());
            String cidr = cidr(network);
            return new Subnet(id, "s", "t", network, cidr, cidr.replace(".0/24", ".1"), Instant.EPOCH);
        }

        @Override
        public List<StaticRoute> staticRoutes(Caller caller, String id) {
            return List.of();
        }
    };

    private static String cidr(String network) {
        return network.equals("net-a") ? "10.200.1.0/24" : "10.200.2.0/24";
    }

    /** How often the whole model's ports were read: once per full pass. */
    private int portReads;

    private final PortService portService = new PortService() {
        @Override
        public List<Port> ports(Caller caller, Optional<String> network) {
            portReads++;
            return ports.values().stream().filter(p -> network.isEmpty() || p.network().equals(network.get()))
                    .toList();
        }

        @Override
        public Port port(Caller caller, String id) {
            Port port = ports.get(id);
            if (port == null) {
                throw new NotFoundException("port", id);
            }
            return port;
        }
    };

    private final List<Peering> peerings = new ArrayList<>();

    private final PeeringService peeringService = new PeeringService() {
        @Override
        public List<Peering> peerings(Caller caller) {
            return List.copyOf(peerings);
        }

        @Override
        public Peering peering(Caller caller, String id) {
            throw new NotFoundException("peering", id);
        }
    };

    private final RoutingService routing = new RoutingService() {
        @Override
        public List<Route> routes(Caller caller, String network) {
            return List.of(new Route(cidr(network), Route.LOCAL, "local"));
        }

        @Override
        public Optional<Route> lookup(String networkId, String address) {
            return Optional.empty();
        }
    };

    /** A firewall over the test's model: a port is in the groups it lists; rules compile one to one. */
    private final FirewallService firewall = new FirewallService() {
        @Override
        public List<FilterRule> compiled(String portId) {
            Port port = ports.get(portId);
            if (port == null) {
                return List.of();
            }
            List<FilterRule> rules = new ArrayList<>();
            for (String groupId : port.securityGroups()) {
                for (Rule rule : groups.get(groupId).rules()) {
                    rules.add(rule.remoteGroup() != null
                            ? new FilterRule(groupId + "/" + rule.id(), portId, rule.direction(), rule.protocol(),
                                    null, null, null, rule.action(), rule.priority(), rule.remoteGroup())
                            : new FilterRule(groupId + "/" + rule.id(), portId, rule.direction(), rule.protocol(),
                                    null, null, rule.remoteCidr(), rule.action(), rule.priority()));
                }
            }
            return rules;
        }

        @Override
        public boolean knows(String portId) {
            return ports.containsKey(portId) && !uncompiled.contains(portId);
        }

        @Override
        public List<String> memberships(String portId) {
            Port port = ports.get(portId);
            return port == null ? List.of() : port.securityGroups();
        }

        @Override
        public Map<String, String> addressSet(String setId) {
            Map<String, String> members = new TreeMap<>();
            ports.values().stream().filter(p -> p.securityGroups().contains(setId))
                    .forEach(p -> members.put(p.id(), p.ip()));
            return members;
        }

        @Override
        public Decision decide(String portId, Direction d, Protocol p, String remote, int port) {
            throw new UnsupportedOperationException("not used by the reconciler");
        }

        @Override
        public List<LintFinding> lint(Caller caller, String group) {
            return List.of();
        }
    };

    private Reconciler reconcilerOver(MemoryDriver driver) {
        DriverRegistry registry = new DriverRegistry() {
            @Override
            public List<DriverDescriptor> drivers() {
                return List.of(new DriverDescriptor("mem", "mem", "1", "b", 1, 0, DriverStatus.ACTIVE, ""));
            }

            @Override
            public Optional<NetworkDriver> driver(String type) {
                return "mem".equals(type) ? Optional.of(driver) : Optional.empty();
            }

            @Override
            public String defaultType() {
                return "mem";
            }
        };
        return new Reconciler(networkService, portService, peeringService, registry, routing, firewall, null,
                nodeService);
    }

    /** Nodes: the local {@code node-mem}, {@code node-h2} (up) and {@code node-h3} (down). */
    private final NodeService nodeService = new NodeService() {
        @Override
        public List<Node> nodes(Caller caller) {
            return List.of(find("node-mem").orElseThrow(), find("node-h2").orElseThrow(),
                    find("node-h3").orElseThrow());
        }

        @Override
        public Node node(Caller caller, String id) {
            return find(id).orElseThrow(() -> new NotFoundException("node", id));
        }

        @Override
        public Optional<Node> find(String id) {
            return switch (id) {
                case "node-mem" -> Optional.of(node(id, true, NodeStatus.UP));
                case "node-h2" -> Optional.of(node(id, false, NodeStatus.UP));
                case "node-h3" -> Optional.of(node(id, false, NodeStatus.DOWN));
                default -> Optional.empty();
            };
        }

        private Node node(String id, boolean local, NodeStatus status) {
            return new Node(id, id, "mem", local ? "" : "10.200.250." + id.charAt(6), local, status, "", "", 0, 0,
                    null, Instant.EPOCH);
        }
    };

    private Port hostPort(String id, String host) {
        Port port = new Port(id, id, "t", "net-a", "sub-net-a", cidr("net-a").replace(".0/24", ".7"),
                "02:00:00:00:00:07", List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, host);
        ports.put(id, port);
        return port;
    }

    @Test
    public void aHostsPortsAndRevisionsFollowWhatItsAgentReports() {
        Reconciler reconciler = reconcilerOver(new MemoryDriver(true));
        reconciler.reconcileNow();
        Port port = hostPort("p-on-h2", "node-h2");
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, port, null, 5));
        reconciler.committed(5);
        reconciler.pass();
        VersionedConfig config = reconciler.config("node-h2").orElseThrow();
        assertTrue(config.config().entries().containsKey(PortEntry.keyOf(port.id())));
        assertEquals(RealisationStatus.PENDING, reconciler.realisation(port.id()).orElseThrow().status());
        CompletableFuture<Void> realised = reconciler.whenRealised(5);
        assertFalse("a write on a host waits for its agent", realised.isDone());

        reconciler.report("node-h2", new AgentReport(config.revision() - 1, "1.0", Map.of()));
        assertEquals(RealisationStatus.PENDING, reconciler.realisation(port.id()).orElseThrow().status());
        assertFalse(realised.isDone());
        reconciler.report("node-h2", new AgentReport(config.revision(), "1.0", Map.of()));
        assertEquals(RealisationStatus.ACTIVE, reconciler.realisation(port.id()).orElseThrow().status());
        assertTrue("realised once the agent reports the configuration's revision", realised.isDone());

        reconciler.report("node-h2", new AgentReport(config.revision(), "1.0",
                Map.of(PortEntry.keyOf(port.id()), "no such namespace")));
        assertEquals(RealisationStatus.ERROR, reconciler.realisation(port.id()).orElseThrow().status());

        // An agent waiting for a newer configuration gets it when a change concerns its host, not before.
        CompletableFuture<VersionedConfig> next = reconciler.newer("node-h2", config.revision());
        reconciler.reconcileNow();
        assertFalse("an unchanged configuration wakes no agent", next.isDone());
        Port second = hostPort("p2-on-h2", "node-h2");
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, second, null, 6));
        reconciler.committed(6);
        reconciler.pass();
        assertTrue(next.isDone());
        assertTrue(next.join().revision() > config.revision());
        assertTrue(next.join().config().entries().containsKey(PortEntry.keyOf(second.id())));
        assertEquals(RealisationStatus.PENDING, reconciler.realisation(second.id()).orElseThrow().status());

        // The host's last port goes: its agent is handed an empty configuration.
        ports.clear();
        reconciler.event(new ModelEvent(ModelEvent.Type.DELETED, port, null, 7));
        reconciler.event(new ModelEvent(ModelEvent.Type.DELETED, second, null, 7));
        reconciler.committed(7);
        reconciler.reconcileNow();
        assertEquals(Map.of(), reconciler.config("node-h2").orElseThrow().config().entries());
    }

    @Test
    public void aHostsConfigurationIsNotPublishedWithoutAPortWhoseRulesAreNotCompiled() {
        Port port = hostPort("p-on-h2", "node-h2");
        uncompiled.add(port.id());
        // A controller (re)starting before the firewall compiled the port: nothing that would remove it is published.
        Reconciler restarted = reconcilerOver(new MemoryDriver(true));
        restarted.reconcileNow();
        assertFalse(restarted.config("node-h2").isPresent());
        assertEquals(RealisationStatus.PENDING, restarted.realisation(port.id()).orElseThrow().status());
        uncompiled.clear();
        restarted.reconcileNow();
        assertTrue(restarted.config("node-h2").orElseThrow().config().entries()
                .containsKey(PortEntry.keyOf(port.id())));
        // Later, the port's rules being recompiled: the host keeps the configuration published before.
        long revision = restarted.config("node-h2").orElseThrow().revision();
        uncompiled.add(port.id());
        restarted.reconcileNow();
        assertEquals(revision, restarted.config("node-h2").orElseThrow().revision());
        assertTrue(restarted.config("node-h2").orElseThrow().config().entries()
                .containsKey(PortEntry.keyOf(port.id())));
    }

    private static final String[] HOSTS = {null, "node-h2", "node-h3"};

    @Test
    public void incrementalPassesLeaveWhatAFullPassBuildsWithAddressSets() {
        randomChanges(true, 17, false);
    }

    @Test
    public void incrementalPassesLeaveWhatAFullPassBuildsWithExpandedSets() {
        randomChanges(false, 23, false);
    }

    @Test
    public void incrementalPassesLeaveWhatAFullPassComputesOnEveryNodeWithPortsPlacedOnThree() {
        randomChanges(true, 29, true);
    }

    private void randomChanges(boolean sets, long seed, boolean placed) {
        Random random = new Random(seed);
        for (String g : GROUPS) {
            groups.put(g, new SecurityGroup(g, g, "t", "", null, List.of(), Instant.EPOCH));
        }
        MemoryDriver plane = new MemoryDriver(sets);
        Reconciler reconciler = reconcilerOver(plane);
        reconciler.reconcileNow();
        int serial = 0;
        int incrementalSteps = 0;
        for (int step = 0; step < 400; step++) {
            ModelEvent event;
            int op = ports.isEmpty() ? 0 : random.nextInt(6);
            switch (op) {
                case 0, 1 -> {
                    String network = NETWORKS[random.nextInt(NETWORKS.length)];
                    String id = "p" + serial++;
                    String ip = cidr(network).replace(".0/24", "." + (10 + random.nextInt(200)));
                    Port port = new Port(id, id, "t", network, "sub-" + network, ip, "02:00:00:00:00:01",
                            pickGroups(random), null, Instant.EPOCH, RealisationStatus.PENDING, "", false,
                            placed ? HOSTS[random.nextInt(HOSTS.length)] : null);
                    ports.put(id, port);
                    event = new ModelEvent(ModelEvent.Type.CREATED, port, null);
                }
                case 2 -> {
                    Port before = anyPort(random);
                    Port after = before.withSecurityGroups(pickGroups(random));
                    ports.put(after.id(), after);
                    event = new ModelEvent(ModelEvent.Type.UPDATED, after, before);
                }
                case 3 -> {
                    Port gone = ports.remove(anyPort(random).id());
                    event = new ModelEvent(ModelEvent.Type.DELETED, gone, null);
                }
                default -> {
                    SecurityGroup before = groups.get(GROUPS[random.nextInt(GROUPS.length)]);
                    List<Rule> rules = new ArrayList<>(before.rules());
                    if (!rules.isEmpty() && random.nextBoolean()) {
                        rules.remove(random.nextInt(rules.size()));
                    } else {
                        boolean toGroup = random.nextBoolean();
                        rules.add(new Rule("r" + serial++, random.nextBoolean() ? Direction.INGRESS
                                : Direction.EGRESS, Protocol.TCP, null, null, toGroup ? null : "10.200.0.0/16",
                                toGroup ? GROUPS[random.nextInt(GROUPS.length)] : null, RuleAction.ALLOW,
                                100 + random.nextInt(5)));
                    }
                    SecurityGroup after = new SecurityGroup(before.id(), before.name(), before.tenant(),
                            before.description(), null, rules, before.createdAt());
                    groups.put(after.id(), after);
                    event = new ModelEvent(ModelEvent.Type.UPDATED, after, before);
                }
            }
            reconciler.event(event);
            incrementalSteps += reconciler.pass();

            MemoryDriver fresh = new MemoryDriver(sets);
            Reconciler full = reconcilerOver(fresh);
            full.reconcileNow();
            assertEquals("after step " + step + " (" + event.type() + " " + event.subject() + ")",
                    new TreeMap<>(fresh.entries), new TreeMap<>(plane.entries));
            for (String host : List.of("node-h2", "node-h3")) {
                assertEquals(host + " after step " + step + " (" + event.type() + " " + event.subject() + ")",
                        new TreeMap<>(full.desiredOf(host)), new TreeMap<>(reconciler.desiredOf(host)));
            }
            for (Port port : ports.values()) {
                RealisationStatus expected = port.host() == null ? RealisationStatus.ACTIVE
                        : port.host().equals("node-h3") ? RealisationStatus.NODE_DOWN : RealisationStatus.PENDING;
                assertEquals(port.id() + " after step " + step, expected,
                        reconciler.realisation(port.id()).orElseThrow().status());
            }
        }
        if (placed) {
            assertTrue("hosts of one type with underlay addresses form an overlay", reconciler.desiredOf("node-h2")
                    .values().stream().anyMatch(e -> e instanceof TunnelEntry));
            assertTrue("a host holds the ports of its networks placed on the other host", reconciler
                    .desiredOf("node-h2").values().stream().anyMatch(e -> e instanceof RemotePortEntry r
                            && r.node().equals("node-h3") && r.remoteAddress().equals("10.200.250.3")));
        }
        assertTrue("the controller's own node (no underlay address) takes no part in the overlay", plane.entries
                .values().stream().noneMatch(e -> e instanceof TunnelEntry || e instanceof RemotePortEntry));
        if (placed) {
            assertTrue("a remote node holds set members placed elsewhere", reconciler.desiredOf("node-h2").values()
                    .stream().anyMatch(e -> e instanceof AddressSetEntry a && !ports.get(a.port()).hostOr("mem")
                            .equals("node-h2")));
        }
        assertTrue("incremental passes did the work", incrementalSteps > 200);
        long setEntries = plane.entries.values().stream().filter(e -> e instanceof AddressSetEntry).count();
        long setRules = plane.entries.values().stream()
                .filter(e -> e instanceof FilterEntry f && f.rule().referencesSet()).count();
        if (sets) {
            assertTrue("the data plane holds set members", setEntries > 0);
            assertTrue("and rules that reference sets", setRules > 0);
        } else {
            assertEquals("no set reaches a driver without them", 0, setEntries + setRules);
        }
    }

    private Port anyPort(Random random) {
        List<Port> all = new ArrayList<>(ports.values());
        return all.get(random.nextInt(all.size()));
    }

    private static List<String> pickGroups(Random random) {
        List<String> picked = new ArrayList<>();
        for (String g : GROUPS) {
            if (random.nextInt(3) == 0) {
                picked.add(g);
            }
        }
        return picked;
    }

    @Test
    public void aPortAddedToALargeGroupChangesItsOwnEntriesOnly() {
        groups.put("g1", new SecurityGroup("g1", "g1", "t", "", null, List.of(new Rule("r1", Direction.INGRESS,
                Protocol.ANY, null, null, null, "g1", RuleAction.ALLOW, 100)), Instant.EPOCH));
        for (int i = 0; i < 500; i++) {
            String id = "p" + i;
            ports.put(id, new Port(id, id, "t", "net-a", "sub-net-a", "10.200.1." + (i % 250 + 2),
                    "02:00:00:00:00:01", List.of("g1"), null, Instant.EPOCH, RealisationStatus.PENDING, ""));
        }
        MemoryDriver plane = new MemoryDriver(true);
        Reconciler reconciler = reconcilerOver(plane);
        reconciler.reconcileNow();
        int before = plane.steps;
        Port added = new Port("new", "new", "t", "net-a", "sub-net-a", "10.200.1.253", "02:00:00:00:00:01",
                List.of("g1"), null, Instant.EPOCH, RealisationStatus.PENDING, "");
        ports.put("new", added);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, added, null));
        assertEquals("the port, its one rule and its one set member", 3, reconciler.pass());
        assertEquals(before + 3, plane.steps);
        assertEquals(RealisationStatus.ACTIVE, reconciler.realisation("new").orElseThrow().status());
    }

    @Test
    public void aPortAddedOnAnotherNodeToALargeGroupCostsItsOwnEntriesAndOneSharedMember() {
        groups.put("g1", new SecurityGroup("g1", "g1", "t", "", null, List.of(new Rule("r1", Direction.INGRESS,
                Protocol.ANY, null, null, null, "g1", RuleAction.ALLOW, 100)), Instant.EPOCH));
        for (int i = 0; i < 500; i++) {
            String id = "p" + i;
            ports.put(id, new Port(id, id, "t", "net-a", "sub-net-a", "10.200.1." + (i % 250 + 2),
                    "02:00:00:00:00:01", List.of("g1"), null, Instant.EPOCH, RealisationStatus.PENDING, "", false,
                    i % 2 == 0 ? null : "node-h2"));
        }
        MemoryDriver plane = new MemoryDriver(true);
        Reconciler reconciler = reconcilerOver(plane);
        reconciler.reconcileNow();
        int reads = portReads;
        // node-h2 holds its 250 ports and the 250 members placed on node-mem; node-mem the other way round.
        assertEquals(250, reconciler.desiredOf("node-h2").values().stream()
                .filter(e -> e instanceof AddressSetEntry a && !"node-h2".equals(ports.get(a.port()).host()))
                .count());
        assertEquals(500, plane.entries.values().stream().filter(e -> e instanceof AddressSetEntry).count());
        int before = plane.steps;
        Port added = new Port("new", "new", "t", "net-a", "sub-net-a", "10.200.1.253", "02:00:00:00:00:01",
                List.of("g1"), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, "node-h2");
        ports.put("new", added);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, added, null));
        assertEquals("on the local node: the new member only", 1, reconciler.pass());
        assertEquals(before + 1, plane.steps);
        assertEquals("an incremental pass: the model was not read", reads, portReads);
        assertTrue(reconciler.desiredOf("node-h2").containsKey("port:new"));
        assertTrue(plane.entries.containsKey(new AddressSetEntry("g1", "new", "10.200.1.253").key()));
        assertEquals(RealisationStatus.PENDING, reconciler.realisation("new").orElseThrow().status());
        assertEquals(RealisationStatus.ACTIVE, reconciler.realisation("p0").orElseThrow().status());
        assertTrue("one host with an underlay address: no overlay", reconciler.desiredOf("node-h2").values().stream()
                .noneMatch(e -> e instanceof TunnelEntry || e instanceof RemotePortEntry));
    }

    @Test
    public void aNodeHoldsOnlyThePortsPlacedOnItTheirNetworksAndTheirPeers() {
        ports.put("pa", new Port("pa", "pa", "t", "net-a", "sub-net-a", "10.200.1.5", "02:00:00:00:00:01",
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, "node-h2"));
        ports.put("pb", new Port("pb", "pb", "t", "net-b", "sub-net-b", "10.200.2.5", "02:00:00:00:00:02",
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false));
        ports.put("pc", new Port("pc", "pc", "t", "net-b", "sub-net-b", "10.200.2.6", "02:00:00:00:00:03",
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, "node-h3"));
        MemoryDriver plane = new MemoryDriver(true);
        Reconciler reconciler = reconcilerOver(plane);
        reconciler.reconcileNow();
        Map<String, ConfigEntry> h2 = reconciler.desiredOf("node-h2");
        assertTrue(h2.containsKey("port:pa"));
        assertTrue(h2.containsKey("segment:sub-net-a"));
        assertTrue("no port of another node", h2.keySet().stream().noneMatch(k -> k.equals("port:pb")
                || k.equals("port:pc")));
        assertTrue("no network it has no port of", h2.keySet().stream().noneMatch(k -> k.contains("net-b")));
        // The local node keeps every network of its type, as with one node, and only its own ports.
        assertTrue(plane.entries.containsKey("segment:sub-net-a"));
        assertTrue(plane.entries.containsKey("port:pb"));
        assertTrue(plane.entries.keySet().stream().noneMatch(k -> k.equals("port:pa") || k.equals("port:pc")));
        assertEquals(RealisationStatus.ACTIVE, reconciler.realisation("pb").orElseThrow().status());
        assertEquals(RealisationStatus.PENDING, reconciler.realisation("pa").orElseThrow().status());
        assertEquals(RealisationStatus.NODE_DOWN, reconciler.realisation("pc").orElseThrow().status());

        // An active peering brings the peer network to a node whose ports' network it is peered with.
        peerings.add(new Peering("peer-1", "ab", "t", "net-a", "net-b", false, PeeringState.ACTIVE, "",
                Instant.EPOCH, Instant.EPOCH));
        reconciler.reconcileNow();
        assertTrue(reconciler.desiredOf("node-h2").containsKey("segment:sub-net-b"));
        assertTrue(reconciler.desiredOf("node-h2").keySet().stream().noneMatch(k -> k.equals("port:pb")));
    }

    @Test
    public void aPortAddedOnAHostCostsItsOwnEntriesThereAndOneRemoteEntryOnEachOtherHostOfItsNetwork() {
        for (int i = 0; i < 300; i++) {
            String id = "p" + i;
            ports.put(id, new Port(id, id, "t", "net-a", "sub-net-a", "10.200.1." + (i % 250 + 2),
                    "02:00:00:00:00:01", List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false,
                    HOSTS[i % 3]));
        }
        MemoryDriver plane = new MemoryDriver(true);
        Reconciler reconciler = reconcilerOver(plane);
        reconciler.reconcileNow();
        Map<String, ConfigEntry> h2Before = reconciler.desiredOf("node-h2");
        Map<String, ConfigEntry> h3Before = reconciler.desiredOf("node-h3");
        TunnelEntry tunnel = (TunnelEntry) h2Before.get("tunnel:sub-net-a");
        assertEquals("both hosts' endpoints of the segment share its VNI", tunnel.vni(),
                ((TunnelEntry) h3Before.get("tunnel:sub-net-a")).vni());
        assertEquals("10.200.250.2", tunnel.localAddress());
        assertEquals("node-h2 holds node-h3's 100 ports as remote", 100, h2Before.values().stream()
                .filter(e -> e instanceof RemotePortEntry).count());
        int reads = portReads;
        int steps = plane.steps;
        Port added = new Port("new", "new", "t", "net-a", "sub-net-a", "10.200.1.253", "02:00:00:00:00:09",
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, "node-h3");
        ports.put("new", added);
        reconciler.event(new ModelEvent(ModelEvent.Type.CREATED, added, null));
        reconciler.pass();
        assertEquals("an incremental pass: the model was not read", reads, portReads);
        assertEquals("nothing on the controller's own node", steps, plane.steps);
        Map<String, ConfigEntry> h2 = reconciler.desiredOf("node-h2");
        Map<String, ConfigEntry> h3 = reconciler.desiredOf("node-h3");
        Map<String, ConfigEntry> h2Added = new TreeMap<>(h2);
        h2Added.keySet().removeAll(h2Before.keySet());
        assertEquals("one remote-port entry on the other host", Map.of(RemotePortEntry.keyOf("new"),
                new RemotePortEntry("new", "net-a", "sub-net-a", "10.200.1.253", "02:00:00:00:00:09", tunnel.vni(),
                        "node-h3", "10.200.250.3")), h2Added);
        assertTrue("the port's own entries on its host", h3.containsKey("port:new"));
        assertTrue("none of the port's own entries elsewhere", h2.keySet().stream()
                .noneMatch(k -> k.contains("new") && !k.equals(RemotePortEntry.keyOf("new"))));
        assertTrue("a host never holds its own ports as remote", h3.values().stream()
                .noneMatch(e -> e instanceof RemotePortEntry r && r.node().equals("node-h3")));

        MemoryDriver fresh = new MemoryDriver(true);
        Reconciler full = reconcilerOver(fresh);
        full.reconcileNow();
        assertEquals(new TreeMap<>(full.desiredOf("node-h2")), new TreeMap<>(h2));
        assertEquals(new TreeMap<>(full.desiredOf("node-h3")), new TreeMap<>(h3));

        ports.remove("new");
        reconciler.event(new ModelEvent(ModelEvent.Type.DELETED, added, null));
        reconciler.pass();
        assertEquals("deleted: its remote entry goes too", new TreeMap<>(h2Before),
                new TreeMap<>(reconciler.desiredOf("node-h2")));
    }

    @Test
    public void aHostHoldsThePortsOfANetworkPeeredWithItsOwnAsRemote() {
        ports.put("pa", new Port("pa", "pa", "t", "net-a", "sub-net-a", "10.200.1.5", "02:00:00:00:00:01",
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, "node-h2"));
        ports.put("pb", new Port("pb", "pb", "t", "net-b", "sub-net-b", "10.200.2.5", "02:00:00:00:00:02",
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "", false, "node-h3"));
        MemoryDriver plane = new MemoryDriver(true);
        Reconciler reconciler = reconcilerOver(plane);
        reconciler.reconcileNow();
        assertTrue("not peered: nothing of net-b on node-h2", reconciler.desiredOf("node-h2").keySet().stream()
                .noneMatch(k -> k.equals("remote:pb") || k.equals("tunnel:sub-net-b")));
        peerings.add(new Peering("peer-1", "ab", "t", "net-a", "net-b", false, PeeringState.ACTIVE, "",
                Instant.EPOCH, Instant.EPOCH));
        reconciler.reconcileNow();
        assertTrue(reconciler.desiredOf("node-h2").containsKey("remote:pb"));
        assertTrue(reconciler.desiredOf("node-h2").containsKey("tunnel:sub-net-b"));
        assertTrue(reconciler.desiredOf("node-h3").containsKey("remote:pa"));
    }
}
