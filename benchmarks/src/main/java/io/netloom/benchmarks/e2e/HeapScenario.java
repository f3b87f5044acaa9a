package io.netloom.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 6: Netloom's used heap after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}) once
 * {@code N} ports and {@code N × R} rules are loaded on the simulated driver: 10 networks, each port in a security
 * group of its own with {@code R} rules, so the firewall also holds {@code N × R} compiled rules. The comparison
 * row is the same Netloom idle, right after start; the load's duration is reported too.
 */
final class HeapScenario implements Harness.Scenario {

    private static final int SAMPLES = 3;

    @Override
    public String name() {
        return "6: heap after loading ports and rules (driver sim)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(6);
    }

    @Override
    public void run(Harness.Context ctx) {
        Options o = ctx.options();
        Workload w = new Workload(o.networks(), o.heapPorts(), o.heapRulesPerPort(), true);
        List<Double> idle = new ArrayList<>();
        List<Double> loadedHeap = new ArrayList<>();
        List<Double> loadMs = new ArrayList<>();
        for (int run = 1; run <= o.heapRuns(); run++) {
            try (NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), ctx.sandbox(), null)) {
                if (!nl.awaitDriver("sim", Duration.ofSeconds(20))) {
                    throw new IllegalStateException("Driver sim is not registered: " + nl.drivers());
                }
                for (int i = 0; i < SAMPLES; i++) {
                    idle.add(nl.usedHeapAfterGc());
                }
                double ms = BulkPortsScenario.ms(nl.load(w, "sim", null, Math.max(o.threads(), 8), !o.perPort())
                        .elapsed());
                loadMs.add(ms);
                ctx.log("run " + run + " loaded " + w.ports() + " ports, " + w.ports() * w.rulesPerGroup()
                        + " rules in " + ms + " ms");
                for (int i = 0; i < SAMPLES; i++) {
                    loadedHeap.add(nl.usedHeapAfterGc());
                }
            }
        }
        int writes = w.networks() * 2 + w.groups() * (1 + w.rulesPerGroup()) + w.ports();
        double median = Report.median(loadMs).orElse(0);
        ctx.report().add(new Report.Row("6", "used heap after full GC, " + w.ports() + " ports + "
                + w.ports() * w.rulesPerGroup() + " rules loaded (sim)", "MiB", "Netloom loaded", loadedHeap,
                "same Netloom idle after start", idle, String.format(Locale.ROOT,
                        "%d samples per load; the load (%d REST writes) took %.0f ms median = %.0f writes/s",
                        SAMPLES, writes, median, median > 0 ? writes / (median / 1000) : 0)));
    }
}
