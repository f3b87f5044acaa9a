package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scenario 4: {@code N} ports with their rules on the Linux bridge data plane. Netloom through REST on driver
 * {@code linuxbridge} (the workload of scenario 1, every port bound to its own namespace) against the same
 * configuration written directly with the kernel tools' batch interfaces: one {@code ip -batch} for the bridges
 * and veths, one {@code ip -n NS -batch} per namespace, and one {@code nft -f} transaction holding every port's
 * stateful filter chain.
 *
 * <p>This kernel has no {@code nf_conntrack_bridge} ({@code CONFIG_NF_CONNTRACK_BRIDGE} is not set: {@code ct} in
 * a {@code bridge}-family table fails with "Protocol error"), so the stateful rules are in an {@code inet} table on
 * the forward hook, which bridged IPv4 traverses through {@code br_netfilter}
 * ({@code net.bridge.bridge-nf-call-iptables=1} in the run's namespace); there a port is told apart by its
 * address, not its device.
 */
final class LinuxBridgeScenario implements Harness.Scenario {

    private static final int RULES = 10;

    @Override
    public String name() {
        return "4: Linux bridge (Netloom driver linuxbridge vs ip -batch + nft -f)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(4);
    }

    @Override
    public void run(Harness.Context ctx) {
        Options o = ctx.options();
        Workload w = new Workload(o.networks(), o.lbPorts(), RULES, false);
        List<Double> netloom = new ArrayList<>();
        List<Double> tools = new ArrayList<>();
        String note = "";
        boolean driverPresent = true;
        for (int run = 1; run <= o.runs(); run++) {
            if (driverPresent) {
                try (NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), ctx.sandbox(), null)) {
                    if (nl.awaitDriver("linuxbridge", Duration.ofSeconds(20))) {
                        Sandbox sb = ctx.sandbox();
                        sb.addNamespaces(w.portSpecs().stream().map(p -> sb.portNamespace(p.name())).toList());
                        NetloomInstance.Loaded loaded = nl.load(w, "linuxbridge", p -> sb.portNamespace(p.name()),
                                o.threads(), !o.perPort());
                        double ms = BulkPortsScenario.ms(loaded.elapsed());
                        netloom.add(ms);
                        ctx.log("run " + run + " Netloom/linuxbridge " + w.ports() + " ports: " + ms + " ms ("
                                + loaded.phases() + ")");
                    } else {
                        driverPresent = false;
                        note = "pending: driver linuxbridge is not registered in the distribution yet";
                    }
                }
                ctx.cleanUp();
            }
            if (o.netloomOnly()) {
                continue;
            }
            tools.add(toolsRun(ctx, w.portSpecs(), w.networks(), Workload.prefixLength(),
                    table -> ruleset(table, "", w.portSpecs(), ruleLines(w)), () -> { }));
            ctx.log("run " + run + " ip -batch + nft -f " + w.ports() + " ports: " + tools.get(tools.size() - 1)
                    + " ms");
            ctx.cleanUp();
        }
        ctx.report().add(new Report.Row("4", w.ports() + " ports, " + w.networks()
                + " networks, 10 rules/group on Linux bridges, bound to namespaces", "ms",
                "Netloom REST" + (o.perPort() ? " per port" : " bulk per network") + ", driver linuxbridge",
                netloom, "ip -batch + nft -f", tools, note));
    }

    /**
     * Builds the ports' bridges, veths and filters with the kernel tools' batch interfaces: one {@code ip -batch}
     * for a bridge per network and every veth, one {@code ip -n NS -batch} per namespace, then one {@code nft -f}
     * transaction. Then runs {@code check} (not timed) and deletes the table.
     *
     * @param ruleset the nftables transaction, given the table's name
     * @return the time from the first command to the end of the {@code nft -f} transaction, in ms
     */
    static double toolsRun(Harness.Context ctx, List<Workload.PortSpec> ports, int networks, int prefixLength,
            Function<String, String> ruleset, Runnable check) {
        Sandbox sb = ctx.sandbox();
        sb.addNamespaces(ports.stream().map(p -> sb.portNamespace(p.name())).toList());
        String table = "nlb" + sb.id();
        try {
            Files.writeString(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"), "1");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot send bridged traffic through nftables' inet hooks", e);
        }
        long t0 = System.nanoTime();
        Map<Integer, String> bridges = new LinkedHashMap<>();
        StringBuilder batch = new StringBuilder();
        for (int n = 0; n < networks; n++) {
            String bridge = sb.newDevice("b");
            bridges.put(n, bridge);
            batch.append("link add ").append(bridge).append(" type bridge\n");
            batch.append("link set ").append(bridge).append(" up\n");
        }
        Sandbox.ipBatch(batch.toString());
        Plumbing.veths(sb, ports, bridges, prefixLength);
        Exec.check(Duration.ofMinutes(5), Map.of(), List.of("nft", "-f", "-"), ruleset.apply(table));
        double elapsed = (System.nanoTime() - t0) / 1e6;
        try {
            check.run();
        } finally {
            Exec.check(Duration.ofMinutes(1), Map.of(), List.of("nft", "delete", "table", "inet", table));
        }
        return elapsed;
    }

    /** @return a port chain's lines for the workload's rules: each admits its protocol from the whole space */
    private static List<String> ruleLines(Workload w) {
        List<String> lines = new ArrayList<>();
        for (Workload.RuleSpec r : w.rules()) {
            lines.add("ip saddr " + Workload.SPACE + ("icmp".equals(r.protocol()) ? " meta l4proto icmp accept"
                    : " tcp dport " + r.port() + " accept"));
        }
        return lines;
    }

    /**
     * One nftables transaction: an {@code inet} table whose forward chain sends the traffic to each port (by its
     * address, through a verdict map) to the port's chain: return traffic accepted, invalid dropped, the lines that
     * admit traffic, then drop (default-deny ingress; egress is open).
     *
     * @param declarations what the table holds besides the chains (such as named sets), or empty
     * @param admit the rules of every port's chain between the conntrack rules and the final drop
     */
    static String ruleset(String table, String declarations, List<Workload.PortSpec> ports, List<String> admit) {
        StringBuilder nft = new StringBuilder();
        nft.append("table inet ").append(table).append(" {\n").append(declarations);
        for (Workload.PortSpec p : ports) {
            nft.append("  chain port").append(p.index()).append(" {\n");
            nft.append("    ct state established,related accept\n");
            nft.append("    ct state invalid drop\n");
            for (String line : admit) {
                nft.append("    ").append(line).append('\n');
            }
            nft.append("    drop\n  }\n");
        }
        nft.append("  chain ports_in {\n    type filter hook forward priority 0; policy accept;\n");
        nft.append("    ip daddr vmap {\n");
        for (int i = 0; i < ports.size(); i++) {
            Workload.PortSpec p = ports.get(i);
            nft.append("      ").append(p.ip()).append(" : jump port").append(p.index())
                    .append(i + 1 < ports.size() ? ",\n" : "\n");
        }
        nft.append("    }\n  }\n}\n");
        return nft.toString();
    }
}
