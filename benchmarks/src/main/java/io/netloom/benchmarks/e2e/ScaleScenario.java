package io.netloom.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Scenario 7 (rows S1 and S3 of the scale issue): one network {@code 10.200.0.0/16} with one subnet on the
 * simulated driver, {@code N} ports created in bulk requests of 1,000 with no group of their own, so every port is
 * in the network's default group (members reach each other: one rule whose remote is the group itself).
 * <ul>
 * <li>S1: the time from the answer to the last write until every port is {@code ACTIVE}, and the used heap after
 * a full GC once they are;</li>
 * <li>S3: on that loaded system, one more port created with {@code ?wait=} (answered once it is {@code ACTIVE}),
 * {@value #SINGLE_PORTS} times, each timed from request to answer.</li>
 * </ul>
 */
final class ScaleScenario implements Harness.Scenario {

    private static final int BULK = 1000;
    private static final int SINGLE_PORTS = 20;
    private static final int HEAP_SAMPLES = 3;

    @Override
    public String name() {
        return "7: scale, one network's default group (driver sim)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(7);
    }

    @Override
    public void run(Harness.Context ctx) {
        int count = ctx.options().scalePorts();
        List<Double> convergeMs = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> oneMoreMs = new ArrayList<>();
        List<Double> loadMs = new ArrayList<>();
        for (int run = 1; run <= ctx.options().heapRuns(); run++) {
            try (NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), ctx.sandbox(), null)) {
                if (!nl.awaitDriver("sim", Duration.ofSeconds(20))) {
                    throw new IllegalStateException("Driver sim is not registered: " + nl.drivers());
                }
                NetloomRest rest = nl.rest();
                String network = rest.post("/networks", "{\"name\":\"scale\",\"cidrs\":[\"10.200.0.0/16\"],"
                        + "\"driver\":\"sim\"}", 201).getAsJsonObject().get("id").getAsString();
                String subnet = rest.post("/networks/" + network + "/subnets", "{\"name\":\"all\",\"cidr\":"
                        + "\"10.200.0.0/16\",\"gateway\":\"10.200.0.1\"}", 201).getAsJsonObject().get("id")
                        .getAsString();
                long start = System.nanoTime();
                for (int from = 0; from < count; from += BULK) {
                    StringBuilder json = new StringBuilder("[");
                    for (int i = from; i < Math.min(count, from + BULK); i++) {
                        json.append(i == from ? "" : ",").append(portJson("s" + i, network, subnet, i));
                    }
                    NetloomRest.Reply reply = rest.send("POST", "/ports", json.append(']').toString());
                    if (reply.status() != 201) {
                        throw new IllegalStateException("POST /ports answered " + reply.status() + " "
                                + reply.body());
                    }
                }
                long lastWrite = System.nanoTime();
                nl.awaitAllActive(count);
                long active = System.nanoTime();
                convergeMs.add((active - lastWrite) / 1e6);
                loadMs.add((active - start) / 1e6);
                ctx.log(String.format(Locale.ROOT, "run %d: %d ports written in %.0f ms, all ACTIVE %.0f ms after "
                        + "the last write", run, count, (lastWrite - start) / 1e6, (active - lastWrite) / 1e6));
                for (int i = 0; i < HEAP_SAMPLES; i++) {
                    heap.add(nl.usedHeapAfterGc());
                }
                for (int i = 0; i < SINGLE_PORTS; i++) {
                    long t0 = System.nanoTime();
                    NetloomRest.Reply reply = rest.send("POST", "/ports?wait=30s",
                            portJson("extra" + run + "-" + i, network, subnet, count + i));
                    long t1 = System.nanoTime();
                    JsonObject port = JsonParser.parseString(reply.body()).getAsJsonObject();
                    if (reply.status() != 201 || !"ACTIVE".equals(port.get("status").getAsString())) {
                        throw new IllegalStateException("POST /ports?wait=30s answered " + reply.status() + " "
                                + reply.body());
                    }
                    oneMoreMs.add((t1 - t0) / 1e6);
                }
                ctx.log("run " + run + ": one more port ACTIVE in " + Report.median(oneMoreMs).orElse(0)
                        + " ms (median of " + SINGLE_PORTS + ")");
            }
        }
        ctx.report().add(new Report.Row("S1", count + " ports in one network's default group (sim): from the "
                + "last write to all ACTIVE", "ms", "Netloom", convergeMs, "target", List.of(5000.0),
                String.format(Locale.ROOT, "bulk requests of %d; whole load %.0f ms median", BULK,
                        Report.median(loadMs).orElse(0))));
        ctx.report().add(new Report.Row("S1-heap", "used heap after full GC with those " + count + " ports", "MiB",
                "Netloom", heap, "target", List.of(256.0), HEAP_SAMPLES + " samples per load"));
        ctx.report().add(new Report.Row("S3", "on that system, one more port created with ?wait=, to its answer "
                + "(ACTIVE)", "ms", "Netloom", oneMoreMs, "target", List.of(50.0), SINGLE_PORTS
                + " ports one after the other"));
    }

    private static String portJson(String name, String network, String subnet, int index) {
        int host = 10 + index;
        return "{\"name\":\"" + name + "\",\"network\":\"" + network + "\",\"subnet\":\"" + subnet
                + "\",\"ip\":\"10.200."
                + (host / 256) + "." + (host % 256) + "\"}";
    }
}
