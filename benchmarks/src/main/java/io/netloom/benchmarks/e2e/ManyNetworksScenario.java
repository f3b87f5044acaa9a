package io.netloom.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 8 (row S2 of the scale issue): {@code N} networks of {@code P} ports each on the simulated driver, every
 * port in its network's default group and in one of {@value #SHARED_GROUPS} shared groups of
 * {@value #RULES_PER_GROUP} rules (half of them from another shared group, half from a prefix). Networks are not
 * peered, so they all use {@code 10.200.0.0/16} as clouds let isolated networks do. Reported: the time from the
 * first write until every port is {@code ACTIVE}, and the used heap after a full GC then.
 */
final class ManyNetworksScenario implements Harness.Scenario {

    static final int SHARED_GROUPS = 10;
    static final int RULES_PER_GROUP = 10;
    private static final int BULK = 1000;
    private static final int HEAP_SAMPLES = 3;
    /** The JVM heap cap this scenario runs Netloom with: the target is about live data, not about the default cap. */
    static final String MAX_HEAP = "2048M";

    @Override
    public String name() {
        return "8: scale, many networks and shared groups (driver sim)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(8);
    }

    @Override
    public void run(Harness.Context ctx) {
        int networks = ctx.options().manyNetworks();
        int perNetwork = ctx.options().portsPerNetwork();
        List<Double> loadMs = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        for (int run = 1; run <= ctx.options().heapRuns(); run++) {
            try (NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), ctx.sandbox(), null,
                    MAX_HEAP)) {
                if (!nl.awaitDriver("sim", Duration.ofSeconds(20))) {
                    throw new IllegalStateException("Driver sim is not registered: " + nl.drivers());
                }
                NetloomRest rest = nl.rest();
                long start = System.nanoTime();
                String[] shared = new String[SHARED_GROUPS];
                for (int g = 0; g < SHARED_GROUPS; g++) {
                    shared[g] = rest.post("/security-groups", "{\"name\":\"shared" + g + "\"}", 201)
                            .getAsJsonObject().get("id").getAsString();
                }
                for (int g = 0; g < SHARED_GROUPS; g++) {
                    for (int r = 0; r < RULES_PER_GROUP; r++) {
                        String remote = r % 2 == 0
                                ? "\"remoteGroup\":\"" + shared[(g + r / 2 + 1) % SHARED_GROUPS] + "\""
                                : "\"remoteCidr\":\"10.200." + r + ".0/24\"";
                        rest.post("/security-groups/" + shared[g] + "/rules", "{\"direction\":\"ingress\","
                                + "\"protocol\":\"tcp\",\"ports\":\"" + (8000 + r) + "\"," + remote + "}", 201);
                    }
                }
                int total = 0;
                for (int n = 0; n < networks; n++) {
                    String network = rest.post("/networks", "{\"name\":\"m" + n + "\",\"cidrs\":[\"10.200.0.0/16\"],"
                            + "\"driver\":\"sim\"}", 201).getAsJsonObject().get("id").getAsString();
                    String subnet = rest.post("/networks/" + network + "/subnets", "{\"name\":\"s\",\"cidr\":"
                            + "\"10.200.0.0/16\",\"gateway\":\"10.200.0.1\"}", 201).getAsJsonObject().get("id")
                            .getAsString();
                    String defaultGroup = defaultGroupOf(rest, network);
                    for (int from = 0; from < perNetwork; from += BULK) {
                        StringBuilder json = new StringBuilder("[");
                        for (int i = from; i < Math.min(perNetwork, from + BULK); i++) {
                            json.append(i == from ? "" : ",").append("{\"name\":\"m").append(n).append('-')
                                    .append(i).append("\",\"network\":\"").append(network).append("\",\"subnet\":\"")
                                    .append(subnet).append("\",\"securityGroups\":[\"").append(defaultGroup)
                                    .append("\",\"").append(shared[(n + i) % SHARED_GROUPS]).append("\"]}");
                        }
                        NetloomRest.Reply reply = rest.send("POST", "/ports", json.append(']').toString());
                        if (reply.status() != 201) {
                            throw new IllegalStateException("POST /ports answered " + reply.status() + " "
                                    + reply.body());
                        }
                        total += Math.min(perNetwork, from + BULK) - from;
                    }
                }
                nl.awaitAllActive(total);
                loadMs.add((System.nanoTime() - start) / 1e6);
                ctx.log(String.format(Locale.ROOT, "run %d: %d ports in %d networks all ACTIVE %.0f ms after the "
                        + "first write", run, total, networks, loadMs.get(loadMs.size() - 1)));
                for (int i = 0; i < HEAP_SAMPLES; i++) {
                    heap.add(nl.usedHeapAfterGc());
                }
            }
        }
        String what = networks + " networks x " + perNetwork + " ports (sim), each port in its default group and one "
                + "of " + SHARED_GROUPS + " shared groups of " + RULES_PER_GROUP + " rules";
        ctx.report().add(new Report.Row("S2", what + ": first write to all ACTIVE", "ms", "Netloom", loadMs,
                "no target (time reported)",
                List.of(), "bulk requests of " + BULK + "; JVM heap cap " + MAX_HEAP));
        ctx.report().add(new Report.Row("S2-heap", "used heap after full GC with those ports", "MiB", "Netloom",
                heap, "target", List.of(1536.0), HEAP_SAMPLES + " samples"));
    }

    /** @return the id of the network's default group, the group whose {@code network} is the network */
    private static String defaultGroupOf(NetloomRest rest, String network) {
        for (var e : rest.getAll("/security-groups")) {
            var group = e.getAsJsonObject();
            if (group.has("network") && !group.get("network").isJsonNull()
                    && network.equals(group.get("network").getAsString())) {
                return group.get("id").getAsString();
            }
        }
        throw new IllegalStateException("Network " + network + " has no default group");
    }
}
