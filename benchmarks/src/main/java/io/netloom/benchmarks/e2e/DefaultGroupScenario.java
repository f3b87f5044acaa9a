package io.netloom.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 9 (row S4 of the scale issue): {@code N} ports ({@code --group-ports}) bound to namespaces of their own in
 * one network ({@code 10.200.0.0/16}, one subnet, gateway {@code .1}) with no group of their own, so every port is
 * in the network's default group, whose rule admits ingress from the group's own members: a rule over an address
 * set, on a real data plane.
 * <ul>
 * <li>S4-ovs: Netloom on driver {@code ovs}, from the first request to every port {@code ACTIVE}, against OVN on the
 * same kind of userspace switch: one logical switch (with a router port for the gateway, as in scenario 1), the
 * ports, a port group of them all whose ACL admits {@code ip4.src == $PG_ip4} (the port group's own address set)
 * plus the default-deny ingress and allow-related egress pair, the plumbing, {@code ovn-nbctl --wait=hv sync}.</li>
 * <li>S4-flows: flows on the integration bridge per port once realised: Netloom's (its cookie prefix), and every
 * flow ovn-controller installed.</li>
 * <li>S4-lb: Netloom on driver {@code linuxbridge} against the kernel tools' batches as in scenario 4, each port's
 * chain admitting {@code ip saddr @members}, a named set holding every port's address; at most
 * {@value #LINUX_BRIDGE_PORTS} ports, since a subnet is one Linux bridge.</li>
 * </ul>
 * After every side, untimed, a few members ping other members, so that a fast but wrong data plane cannot pass.
 */
final class DefaultGroupScenario implements Harness.Scenario {

    private static final String CIDR = "10.200.0.0/16";
    private static final int PREFIX_LENGTH = 16;
    /** The top 16 bits of every cookie Netloom's OVS driver writes ("NL"). */
    private static final long COOKIE_PREFIX = 0x4e4cL << 48;
    private static final long COOKIE_PREFIX_MASK = 0xffffL << 48;
    /**
     * Ports of the Linux bridge rows at most: a Linux bridge takes at most 1,023 ports ({@code BR_MAX_PORTS} is
     * 1,024 with number 0 reserved; one more fails with "Exchange full"), and a subnet is one bridge, for Netloom's
     * driver as for the tools.
     */
    static final int LINUX_BRIDGE_PORTS = 1000;
    /** The OVN port group, and so its address set {@code $members_ip4}, and the nftables set. */
    private static final String GROUP = "members";

    @Override
    public String name() {
        return "9: scale on a data plane, one network's default group (OVS vs OVN, Linux bridge vs ip + nft)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(9);
    }

    @Override
    public void run(Harness.Context ctx) {
        List<Workload.PortSpec> ports = new Workload(1, ctx.options().groupPorts(), 1, false).portSpecs();
        // The two data planes are independent measurements: one failing must not lose the other's figures.
        try {
            ovs(ctx, ports);
        } catch (RuntimeException e) {
            ctx.report().failed(name() + ", OVS", e);
            ctx.cleanUp();
        }
        try {
            linuxBridge(ctx, ports.subList(0, Math.min(ports.size(), LINUX_BRIDGE_PORTS)));
        } catch (RuntimeException e) {
            ctx.report().failed(name() + ", Linux bridge", e);
        }
    }

    private void ovs(Harness.Context ctx, List<Workload.PortSpec> ports) {
        Options o = ctx.options();
        Sandbox sb = ctx.sandbox();
        List<Double> netloom = new ArrayList<>();
        List<Double> ovn = new ArrayList<>();
        List<Double> netloomFlows = new ArrayList<>();
        List<Double> ovnFlows = new ArrayList<>();
        int pinged = 0;
        for (int run = 1; run <= o.runs(); run++) {
            try (Ovs ovs = patient(Ovs.start(sb.newDir("ovs-")));
                    NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), sb, ovs)) {
                if (!nl.awaitDriver("ovs", Duration.ofSeconds(20))) {
                    throw new IllegalStateException("Driver ovs is not registered or not active: " + nl.drivers());
                }
                netloom.add(load(nl, "ovs", sb, ports, o.threads()));
                long flows = ovs.flowCount(Ovn.BRIDGE, COOKIE_PREFIX, COOKIE_PREFIX_MASK);
                netloomFlows.add((double) flows / ports.size());
                pinged = pingSample(sb, ports);
                ctx.log(String.format(Locale.ROOT, "run %d Netloom/ovs %d ports: %.0f ms, %d flows (%.1f per port)",
                        run, ports.size(), netloom.get(netloom.size() - 1), flows, (double) flows / ports.size()));
            }
            ctx.cleanUp();
            if (o.netloomOnly()) {
                continue;
            }
            try (Ovs ovs = patient(Ovs.start(sb.newDir("ovs-"))); Ovn central = Ovn.start(sb.newDir("ovn-"), ovs)) {
                sb.addNamespaces(ports.stream().map(p -> sb.portNamespace(p.name())).toList());
                ipv6Off(sb, ports, o.threads());
                long t0 = System.nanoTime();
                List<String> nb = BulkPortsScenario.switchCommands(0, PREFIX_LENGTH, ports);
                nb.addAll(BulkPortsScenario.portGroupCommands(GROUP,
                        ports.stream().map(Workload.PortSpec::name).toList(),
                        List.of("ip4.src == $" + GROUP + "_ip4")));
                central.nbctl(nb);
                Map<String, String> devices = Plumbing.veths(sb, ports, null, PREFIX_LENGTH);
                List<String> args = new ArrayList<>();
                for (Workload.PortSpec p : ports) {
                    BulkPortsScenario.bind(args, devices.get(p.name()), p.name());
                }
                ovs.vsctl(args.subList(1, args.size()));
                central.nbctl(List.of("--wait=hv", "--timeout=1200", "sync"));
                ovn.add(BulkPortsScenario.ms(Duration.ofNanos(System.nanoTime() - t0)));
                long flows = ovs.flowCount(Ovn.BRIDGE, 0, 0);
                ovnFlows.add((double) flows / ports.size());
                pingSample(sb, ports);
                ctx.log(String.format(Locale.ROOT, "run %d OVN %d ports: %.0f ms, %d flows on %s (%.1f per port)",
                        run, ports.size(), ovn.get(ovn.size() - 1), flows, Ovn.BRIDGE, (double) flows / ports.size()));
            }
            ctx.cleanUp();
        }
        String pings = pinged + " member-to-member pings passed after every side";
        ctx.report().add(new Report.Row("S4-ovs", ports.size() + " ports bound to namespaces in one network's default "
                + "group (a rule over the group's own address set): API → realised", "ms",
                "Netloom REST bulk, driver ovs", netloom,
                "OVN port group, ACL ip4.src == $pg_ip4, nbctl + veths → --wait=hv", ovn,
                pings + "; OVN's namespaces without IPv6 (OVN floods their multicast to every port); OpenFlow "
                + "bundle idle timeout 300 s on both switches; target: ratio ≥ 1"));
        ctx.report().add(new Report.Row("S4-flows", "flows on " + Ovn.BRIDGE + " per port once realised", "flows/port",
                "Netloom (cookie prefix 0x4e4c)", netloomFlows, "OVN (every flow of the bridge)", ovnFlows,
                String.format(Locale.ROOT, "target for Netloom: ≤ 40 per port; per-port figures: Netloom %s, OVN %s",
                        oneDecimal(netloomFlows), oneDecimal(ovnFlows))));
    }

    private void linuxBridge(Harness.Context ctx, List<Workload.PortSpec> ports) {
        Options o = ctx.options();
        Sandbox sb = ctx.sandbox();
        List<Double> netloom = new ArrayList<>();
        List<Double> tools = new ArrayList<>();
        int[] pinged = {0};
        for (int run = 1; run <= o.runs(); run++) {
            try (NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), sb, null)) {
                if (!nl.awaitDriver("linuxbridge", Duration.ofSeconds(20))) {
                    throw new IllegalStateException("Driver linuxbridge is not registered or not active: "
                            + nl.drivers());
                }
                netloom.add(load(nl, "linuxbridge", sb, ports, o.threads()));
                pinged[0] = pingSample(sb, ports);
                ctx.log(String.format(Locale.ROOT, "run %d Netloom/linuxbridge %d ports: %.0f ms", run, ports.size(),
                        netloom.get(netloom.size() - 1)));
            } finally {
                ctx.cleanUp();
            }
            if (o.netloomOnly()) {
                continue;
            }
            try {
                tools.add(LinuxBridgeScenario.toolsRun(ctx, ports, 1, PREFIX_LENGTH,
                        table -> LinuxBridgeScenario.ruleset(table, memberSet(ports), ports,
                                List.of("ip saddr @" + GROUP + " accept")),
                        () -> pingSample(sb, ports)));
                ctx.log(String.format(Locale.ROOT, "run %d ip -batch + nft -f %d ports: %.0f ms", run, ports.size(),
                        tools.get(tools.size() - 1)));
            } finally {
                ctx.cleanUp();
            }
        }
        ctx.report().add(new Report.Row("S4-lb", ports.size() + " ports bound to namespaces in one network's default "
                + "group on Linux bridges: API → realised", "ms", "Netloom REST bulk, driver linuxbridge", netloom,
                "ip -batch + nft -f, named set", tools, pinged[0] + " member-to-member pings passed after every side; "
                + (ports.size() < ctx.options().groupPorts() ? "at most " + LINUX_BRIDGE_PORTS + " ports: a Linux "
                + "bridge takes at most 1,023; " : "") + "target: ratio ≥ 1"));
    }

    /**
     * Creates the network, its subnet and the ports, bound to their namespaces, in bulk requests (at most
     * {@value NetloomInstance#BULK} ports each, {@code threads} at a time), and waits until every port is
     * {@code ACTIVE}. The namespaces are created first, outside the clock, as in scenario 1.
     *
     * @return the time from the first request to every port {@code ACTIVE}, in ms
     */
    private static double load(NetloomInstance nl, String driver, Sandbox sb, List<Workload.PortSpec> ports,
            int threads) {
        sb.addNamespaces(ports.stream().map(p -> sb.portNamespace(p.name())).toList());
        NetloomRest rest = nl.rest();
        long t0 = System.nanoTime();
        String network = rest.post("/networks", "{\"name\":\"one\",\"cidrs\":[\"" + CIDR + "\"],\"driver\":\""
                + driver + "\"}", 201).getAsJsonObject().get("id").getAsString();
        String subnet = rest.post("/networks/" + network + "/subnets", "{\"name\":\"all\",\"cidr\":\"" + CIDR
                + "\",\"gateway\":\"" + Workload.gateway(0) + "\"}", 201).getAsJsonObject().get("id").getAsString();
        List<List<Workload.PortSpec>> requests = NetloomInstance.bulkRequests(ports);
        NetloomInstance.parallel(requests.size(), threads, i -> nl.addPorts(requests.get(i),
                p -> NetloomInstance.portJson(p, network, subnet, null, sb.portNamespace(p.name()))));
        nl.awaitAllActive(ports.size());
        return BulkPortsScenario.ms(Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Pings between a few pairs of members, spread over the ports (first and last, the middle and the second), in
     * both directions; fails when one gets no reply.
     *
     * @return how many pings passed
     */
    static int pingSample(Sandbox sb, List<Workload.PortSpec> ports) {
        int n = ports.size();
        int[][] pairs = {{0, n - 1}, {n - 1, 0}, {n / 2, 1}, {1, n / 2}};
        int passed = 0;
        for (int[] pair : pairs) {
            if (pair[0] != pair[1]) {
                BulkPortsScenario.firstPing(sb.portNamespace(ports.get(pair[0]).name()), ports.get(pair[1]).ip());
                passed++;
            }
        }
        return passed;
    }

    /**
     * Gives OpenFlow bundles 300 s of idleness instead of 10 s, on both sides' switches. While ovs-vswitchd adds
     * 2,000 ports it stays busy for longer than 10 s, times out ovn-controller's flow bundle
     * ({@code OFPBFC_TIMEOUT}), and after reconnecting ovn-controller never acknowledged: {@code --wait=hv} did not
     * return within 5 minutes (OVN 23.03; the bundle timeout came back with IPv6 off).
     */
    private static Ovs patient(Ovs ovs) {
        ovs.vsctl(List.of("set", "open_vswitch", ".", "other_config:bundle-idle-timeout=300"));
        return ovs;
    }

    /**
     * Turns IPv6 off in the ports' namespaces (outside the clock), so that their interfaces send no router
     * solicitations, neighbour discovery or MLD: OVN floods such multicast to every port of the switch through one
     * resubmit per port, and with 2,000 ports every such packet ends in "Too many resubmits" on ovs-vswitchd, busy
     * enough already. Netloom's pipeline floods nothing, so its side is left as it is; this favours OVN.
     */
    private static void ipv6Off(Sandbox sb, List<Workload.PortSpec> ports, int threads) {
        NetloomInstance.parallel(ports.size(), threads, i -> Exec.check(Duration.ofSeconds(30), Map.of(),
                List.of("ip", "netns", "exec", sb.portNamespace(ports.get(i).name()), "sysctl", "-q", "-w",
                        "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")));
    }

    /** @return the declaration of the nftables set holding every port's address */
    private static String memberSet(List<Workload.PortSpec> ports) {
        StringBuilder set = new StringBuilder("  set " + GROUP + " {\n    type ipv4_addr\n    elements = { ");
        for (int i = 0; i < ports.size(); i++) {
            set.append(i == 0 ? "" : ", ").append(ports.get(i).ip());
        }
        return set.append(" }\n  }\n").toString();
    }

    private static String oneDecimal(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList().toString();
    }
}
