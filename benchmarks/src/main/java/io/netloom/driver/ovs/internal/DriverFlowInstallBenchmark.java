package io.netloom.driver.ovs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * Issue 6's benchmark (not a test): N flows installed on a userspace Open vSwitch through the OVS driver (a plan of
 * N filter entries applied by the driver's engine: pipeline, encoding and one atomic OpenFlow bundle) and through
 * {@code ovs-ofctl --bundle add-flows} from a file holding the very same flows, on the same switch, in one run.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.netloom.driver.ovs.internal.DriverFlowInstallBenchmark
 * [flows] [runs]} as root (defaults 100000 and 3). ovs-vswitchd runs in a network namespace of its own, so its
 * userspace datapath devices never meet another switch's; everything is stopped by PID and deleted at the end.
 */
public final class DriverFlowInstallBenchmark {

    private DriverFlowInstallBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("nl-bench-ovs-");
        String ns = "nlbench" + Long.toHexString(System.nanoTime() & 0xffffL);
        try {
            startOvs(dir, ns);
            List<Long> driver = new ArrayList<>();
            List<Long> ofctl = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                driver.add(throughDriver(dir, "brd" + run, flows));
                ofctl.add(throughOfctl(dir, "bro" + run, flows));
                System.out.printf("run %d: driver %d ms, ovs-ofctl %d ms%n", run, driver.get(run - 1),
                        ofctl.get(run - 1));
            }
            long d = median(driver);
            long o = median(ofctl);
            System.out.printf("%d flows, median of %d runs: driver %d ms, ovs-ofctl --bundle add-flows %d ms, "
                    + "ratio ovs-ofctl/driver %.2f%n", flows, runs, d, o, (double) o / d);
        } finally {
            stop(dir, ns);
        }
    }

    private static long throughDriver(Path dir, String bridge, int count) throws Exception {
        OvsdbBridgeDb db = new OvsdbBridgeDb("unix:" + dir.resolve("db.sock"), bridge, "netdev", null);
        OpenFlowSwitch flows = new OpenFlowSwitch("unix:" + dir.resolve(bridge + ".mgmt"));
        db.start();
        flows.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(db.connected() && flows.connected())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The driver did not connect to " + bridge);
                }
                Thread.sleep(20);
            }
            // Flows only: no port is plumbed, so there is no tracked connection to cut.
            OvsEngine engine = new OvsEngine(flows, db, new NoPlumbing(), OvsEngine.FRESH);
            engine.readActual("node-ovs"); // installs the base flows, as a driver does once
            List<PlanStep> steps = new ArrayList<>(count);
            for (FilterEntry entry : entries(count)) {
                steps.add(new PlanStep(PlanStep.Op.ADD, entry));
            }
            Plan plan = new Plan("node-ovs", steps);
            long start = System.nanoTime();
            ApplyResult result = engine.apply(plan);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (!result.failures().isEmpty()) {
                throw new IllegalStateException(result.failures().size() + " entries failed, e.g. "
                        + result.failures().entrySet().iterator().next());
            }
            checkCount(dir, bridge, count + Pipeline.baseFlows().size());
            return elapsed;
        } finally {
            flows.close();
            db.close();
        }
    }

    private static long throughOfctl(Path dir, String bridge, int count) throws Exception {
        ovs(dir, "ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "add-br", bridge, "--", "set", "bridge", bridge,
                "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13");
        List<FlowSpec> all = new ArrayList<>(Pipeline.baseFlows());
        for (FilterEntry entry : entries(count)) {
            all.addAll(Pipeline.flows(entry, Optional.empty()));
        }
        Path file = dir.resolve(bridge + ".flows");
        Files.writeString(file, all.stream().map(FlowSpec::toString).collect(Collectors.joining("\n")) + "\n");
        long start = System.nanoTime();
        ovs(dir, "ovs-ofctl", "-O", "OpenFlow13", "--bundle", "add-flows", "unix:" + dir.resolve(bridge + ".mgmt"),
                file.toString());
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        checkCount(dir, bridge, all.size());
        return elapsed;
    }

    /** One ingress rule per entry, each its own flow: tcp to a port from one /32, over 100 ports. */
    private static List<FilterEntry> entries(int count) {
        List<FilterEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String remote = "10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff) + "/32";
            entries.add(new FilterEntry(new FilterRule("bench/r" + i, "port-" + (i % 100), Direction.INGRESS,
                    Protocol.TCP, 1 + (i % 1000), null, remote, RuleAction.ALLOW, 1000)));
        }
        return entries;
    }

    private static void checkCount(Path dir, String bridge, int expected) throws Exception {
        String aggregate = ovs(dir, "ovs-ofctl", "-O", "OpenFlow13", "dump-aggregate",
                "unix:" + dir.resolve(bridge + ".mgmt"));
        if (!aggregate.contains("flow_count=" + expected)) {
            throw new IllegalStateException(bridge + ": expected " + expected + " flows, the switch says "
                    + aggregate.trim());
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void startOvs(Path dir, String ns) throws Exception {
        ovs(dir, "ovsdb-tool", "create", dir.resolve("conf.db").toString(),
                "/usr/share/openvswitch/vswitch.ovsschema");
        ovs(dir, "ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
                "--pidfile=" + dir.resolve("ovsdb.pid"), "--detach", "--log-file=" + dir.resolve("ovsdb.log"));
        ovs(dir, "ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--no-wait", "init");
        ovs(dir, "ip", "netns", "add", ns);
        ovs(dir, "ip", "netns", "exec", ns, "ovs-vswitchd", "unix:" + dir.resolve("db.sock"),
                "--pidfile=" + dir.resolve("vswitchd.pid"), "--detach", "--log-file=" + dir.resolve("vswitchd.log"));
    }

    private static void stop(Path dir, String ns) throws Exception {
        for (String pidfile : List.of("vswitchd.pid", "ovsdb.pid")) {
            Path file = dir.resolve(pidfile);
            if (Files.exists(file)) {
                ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
            }
        }
        // The userspace datapath's tap devices live in the namespace and go with it.
        new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String ovs(Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (String variable : List.of("OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR")) {
            env.put(variable, dir.toString());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output);
        }
        return output;
    }

    /** The benchmark's entries are filter rules: no port is plugged. */
    private static final class NoPlumbing implements PortPlumbing {
        @Override
        public String hostDevice(String portId) {
            return "none";
        }

        @Override
        public Map<String, String> bind(Map<PortEntry, Integer> prefixLengths, OptionalInt mtu) {
            throw new UnsupportedOperationException("no ports in this benchmark");
        }

        @Override
        public boolean isBound(PortEntry port, int prefixLength) {
            return false;
        }

        @Override
        public void unbind(String portId) {
            throw new UnsupportedOperationException("no ports in this benchmark");
        }
    }
}
