package io.netloom.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * Time of one reconcile diff (the reconciler's {@code Planner.plan}: desired against actual node configuration,
 * ordered minimal plan) for a node of 10,000 ports on 10 networks, each port with 10 compiled filter rules, so
 * about 110,000 entries on each side.
 *
 * <p>{@code change} is the situation of the pass: {@code none} is the periodic resync over an unchanged model (the
 * plan is empty), {@code onePort} one port added with its rules since the last pass, {@code tenPercent} a tenth of
 * the ports replaced (removed and added under new ids), {@code fromScratch} an empty data plane (a new or wiped
 * node: every entry is added).
 *
 * <p>The planner is package-private in {@code io.netloom.reconciler.internal}; it is reached through a private
 * method-handle lookup (the benchmark runs on the class path, not in OSGi), which the JIT inlines like a direct
 * call.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ReconcileDiffBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ReconcileDiffBenchmark {

    private static final String NODE = "node-bench";
    private static final int NETWORKS = 10;
    private static final int RULES_PER_PORT = 10;
    private static final MethodHandle PLAN = planner();

    /** Ports on the node. */
    @Param({"10000"})
    public int ports;

    /** What changed since the last pass. */
    @Param({"none", "onePort", "tenPercent", "fromScratch"})
    public String change;

    private NodeConfig desired;
    private NodeConfig actual;

    private static MethodHandle planner() {
        try {
            Class<?> planner = Class.forName("io.netloom.reconciler.internal.Planner");
            return MethodHandles.privateLookupIn(planner, MethodHandles.lookup()).findStatic(planner, "plan",
                    MethodType.methodType(Plan.class, NodeConfig.class, NodeConfig.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The reconciler's Planner.plan(NodeConfig, NodeConfig) is not reachable",
                    e);
        }
    }

    /** Builds both configurations, the same for every run of a given size and change. */
    @Setup(Level.Trial)
    public void setUp() {
        List<ConfigEntry> base = new ArrayList<>();
        for (int n = 0; n < NETWORKS; n++) {
            base.add(new SegmentEntry("net-" + n, "sub-" + n, "10." + n + ".0.0/16", "10." + n + ".0.1"));
            base.add(new RouteEntry("net-" + n, "10." + n + ".0.0/16", "local", null, false));
        }
        List<ConfigEntry> portsNow = new ArrayList<>();
        List<ConfigEntry> portsBefore = new ArrayList<>();
        int replaced = "tenPercent".equals(change) ? ports / 10 : 0;
        for (int p = 0; p < ports; p++) {
            boolean isNew = p < replaced;
            portsNow.addAll(port(isNew ? "new-" + p : "port-" + p, p));
            portsBefore.addAll(port("port-" + p, p));
        }
        List<ConfigEntry> want = new ArrayList<>(base);
        want.addAll(portsNow);
        List<ConfigEntry> have = new ArrayList<>(base);
        have.addAll(portsBefore);
        if ("onePort".equals(change)) {
            want.addAll(port("extra", ports));
        }
        desired = NodeConfig.of(NODE, want);
        actual = "fromScratch".equals(change) ? NodeConfig.empty(NODE) : NodeConfig.of(NODE, have);
    }

    private static List<ConfigEntry> port(String id, int index) {
        int n = index % NETWORKS;
        int host = 2 + index / NETWORKS;
        String ip = "10." + n + "." + (host >> 8) + "." + (host & 0xff);
        String mac = String.format("02:00:%02x:%02x:%02x:%02x", n, (index >> 16) & 0xff, (index >> 8) & 0xff,
                index & 0xff);
        List<ConfigEntry> entries = new ArrayList<>(1 + RULES_PER_PORT);
        entries.add(new PortEntry(id, "net-" + n, "sub-" + n, ip, mac, "10." + n + ".0.1", "netns", "ns-" + id));
        for (int r = 0; r < RULES_PER_PORT; r++) {
            entries.add(new FilterEntry(new FilterRule("sg-" + n + "/rule-" + r, id, Direction.INGRESS,
                    Protocol.TCP, 8000 + r, 8000 + r, "10.0.0.0/8", r == 0 ? RuleAction.DENY : RuleAction.ALLOW,
                    100 + r)));
        }
        return entries;
    }

    /**
     * @return the plan that closes the difference
     * @throws Throwable never in practice: the planner throws no checked exception
     */
    @Benchmark
    public Plan plan() throws Throwable {
        return (Plan) PLAN.invokeExact(desired, actual);
    }
}
