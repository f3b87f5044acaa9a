package io.netloom.reconciler.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.netloom.api.NotFoundException;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.driver.NetworkDriver;
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
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupService;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.Subnet;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;
import io.netloom.driver.sim.internal.SimulatedDriver;
import io.netloom.firewall.internal.FirewallManager;

/**
 * The cost of one change on a loaded system, in process (row S3 of the scale issue; the rule part is what the REST
 * API cannot observe yet): the real firewall and reconciler over an in-memory model and the simulated data plane
 * (address sets), one network's default group of {@code N} ports (members reach each other). Measured, each
 * {@value #REPEATS} times: a port added (firewall event plus the reconciler pass that realises it), and a rule added
 * to the default group (every member's rules change). Prints medians.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.netloom.reconciler.internal.ChangeCostBenchmark 10000}
 */
public final class ChangeCostBenchmark {

    private static final int REPEATS = 20;
    private static final String NETWORK = "net-scale";
    private static final String GROUP = "sg-default";

    private final Map<String, Port> ports = new LinkedHashMap<>();
    private SecurityGroup group = new SecurityGroup(GROUP, "default", "t", "", NETWORK, List.of(new Rule("r-members",
            Direction.INGRESS, Protocol.ANY, null, null, null, GROUP, RuleAction.ALLOW, 1000)), Instant.EPOCH);

    private ChangeCostBenchmark() {
    }

    /**
     * @param args the number of ports (default 10000)
     */
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        new ChangeCostBenchmark().run(count);
    }

    private void run(int count) {
        for (int i = 0; i < count; i++) {
            ports.put("p" + i, port("p" + i, i));
        }
        FirewallManager firewall = new FirewallManager(portService, groupService, networkService, peeringService);
        firewall.activate();
        Reconciler reconciler = new Reconciler(networkService, portService, peeringService, registry, routing,
                firewall);
        long t0 = System.nanoTime();
        reconciler.reconcileNow();
        int entries = driver.readActual("node-sim").entries().size();
        System.out.printf(Locale.ROOT, "%d ports: first full pass %.0f ms, %d entries on the data plane (%.1f per "
                + "port)%n", count, (System.nanoTime() - t0) / 1e6, entries, entries / (double) count);
        // The first event makes the firewall re-read the model: send one that changes nothing first.
        firewall.event(new ModelEvent(ModelEvent.Type.UPDATED, group, group));
        List<Double> portMs = new ArrayList<>();
        List<Double> ruleMs = new ArrayList<>();
        // CPU time of this thread too: on a busy machine wall time also counts waiting for a core.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> portCpuMs = new ArrayList<>();
        List<Double> ruleCpuMs = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            Port added = port("extra" + r, count + r);
            long start = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            ports.put(added.id(), added);
            ModelEvent event = new ModelEvent(ModelEvent.Type.CREATED, added, null);
            firewall.event(event);
            reconciler.event(event);
            int steps = reconciler.pass();
            portMs.add((System.nanoTime() - start) / 1e6);
            portCpuMs.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
            // The port, its set membership and its rules.
            check(reconciler, added.id(), steps, 2 + firewall.compiled(added.id()).size());

            SecurityGroup before = group;
            List<Rule> rules = new ArrayList<>(before.rules());
            rules.add(new Rule("r-extra" + r, Direction.INGRESS, Protocol.TCP, 9000 + r, 9000 + r, "10.200.0.0/16",
                    null, RuleAction.ALLOW, 100 + r));
            start = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            group = new SecurityGroup(GROUP, before.name(), before.tenant(), before.description(), NETWORK, rules,
                    before.createdAt());
            event = new ModelEvent(ModelEvent.Type.UPDATED, group, before);
            firewall.event(event);
            reconciler.event(event);
            steps = reconciler.pass();
            ruleMs.add((System.nanoTime() - start) / 1e6);
            ruleCpuMs.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
            check(reconciler, added.id(), steps, ports.size());
            // Back to one rule, so that every repetition adds a rule to the same group.
            event = new ModelEvent(ModelEvent.Type.UPDATED, before, group);
            group = before;
            firewall.event(event);
            reconciler.event(event);
            reconciler.pass();
        }
        System.out.printf(Locale.ROOT, "one port added, realised: median %.2f ms (CPU %.2f ms)%n", median(portMs),
                median(portCpuMs));
        System.out.printf(Locale.ROOT, "one rule added to the default group of %d members, realised: median %.2f ms"
                + " (CPU %.2f ms)%n", ports.size(), median(ruleMs), median(ruleCpuMs));
    }

    private static void check(Reconciler reconciler, String portId, int steps, int expected) {
        RealisationStatus status = reconciler.realisation(portId).orElseThrow().status();
        if (status != RealisationStatus.ACTIVE || steps != expected) {
            throw new IllegalStateException(portId + " is " + status + " after " + steps + " step(s), expected "
                    + expected);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Port port(String id, int index) {
        int host = 10 + index;
        return new Port(id, id, "t", NETWORK, "sub-scale", "10.200." + host / 256 + "." + host % 256,
                String.format("02:00:00:%02x:%02x:%02x", (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff),
                List.of(), null, Instant.EPOCH, RealisationStatus.PENDING, "");
    }

    private final PortService portService = new PortService() {
        @Override
        public List<Port> ports(Caller caller, Optional<String> network) {
            return List.copyOf(ports.values());
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

    private final SecurityGroupService groupService = new SecurityGroupService() {
        @Override
        public List<SecurityGroup> groups(Caller caller) {
            return List.of(group);
        }

        @Override
        public SecurityGroup group(Caller caller, String id) {
            if (!GROUP.equals(id)) {
                throw new NotFoundException("security group", id);
            }
            return group;
        }
    };

    private final NetworkService networkService = new NetworkService() {
        @Override
        public List<Network> networks(Caller caller) {
            return List.of(network(caller, NETWORK));
        }

        @Override
        public Network network(Caller caller, String id) {
            return new Network(NETWORK, "scale", "t", List.of("10.200.0.0/16"), "sim", Instant.EPOCH,
                    RealisationStatus.PENDING, "");
        }

        @Override
        public List<Subnet> subnets(Caller caller, String id) {
            return List.of(subnet(caller, "sub-scale"));
        }

        @Override
        public Subnet subnet(Caller caller, String id) {
            return new Subnet("sub-scale", "all", "t", NETWORK, "10.200.0.0/16", "10.200.0.1", Instant.EPOCH);
        }

        @Override
        public List<StaticRoute> staticRoutes(Caller caller, String id) {
            return List.of();
        }
    };

    private final PeeringService peeringService = new PeeringService() {
        @Override
        public List<Peering> peerings(Caller caller) {
            return List.of();
        }

        @Override
        public Peering peering(Caller caller, String id) {
            throw new NotFoundException("peering", id);
        }
    };

    private final RoutingService routing = new RoutingService() {
        @Override
        public List<Route> routes(Caller caller, String network) {
            return List.of(new Route("10.200.0.0/16", Route.LOCAL, "local"));
        }

        @Override
        public Optional<Route> lookup(String networkId, String address) {
            return Optional.empty();
        }
    };

    /** The simulated data plane: address sets, entries kept by key. */
    private final NetworkDriver driver = new SimulatedDriver();

    private final DriverRegistry registry = new DriverRegistry() {
        @Override
        public List<DriverDescriptor> drivers() {
            return List.of(new DriverDescriptor("sim", "sim", "1", "b", 1, 0, DriverStatus.ACTIVE, ""));
        }

        @Override
        public Optional<NetworkDriver> driver(String type) {
            return "sim".equals(type) ? Optional.of(driver) : Optional.empty();
        }

        @Override
        public String defaultType() {
            return "sim";
        }
    };
}
