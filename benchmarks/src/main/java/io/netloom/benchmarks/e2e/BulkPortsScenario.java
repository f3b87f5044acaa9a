package io.netloom.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios 1 and 2. (1) {@code N} ports on 10 networks ({@code --networks}; one subnet and one security group of
 * 10 rules each), every port bound to a namespace of its own, from the first API call to everything realised:
 * Netloom through REST on a real driver (its last write with {@code ?wait=}, then every port {@code ACTIVE})
 * against OVN through {@code ovn-nbctl} plus the plumbing a CNI plugin would do, ending with
 * {@code ovn-nbctl --wait=hv sync}. (2) On the system loaded with the first size, one more port, from the request to
 * the first ping that passes.
 */
final class BulkPortsScenario implements Harness.Scenario {

    private static final int RULES = 10;
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "1+2: bulk ports and first ping (Netloom vs OVN)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(1) || options.scenarios().contains(2);
    }

    @Override
    public void run(Harness.Context ctx) {
        Options o = ctx.options();
        Map<Integer, List<Double>> netloom = new LinkedHashMap<>();
        Map<Integer, List<Double>> ovn = new LinkedHashMap<>();
        List<Double> pingNetloom = new ArrayList<>();
        List<Double> pingOvn = new ArrayList<>();
        String[] driverUsed = {o.driver()};
        List<String> notes = new ArrayList<>();
        boolean bulk = o.scenarios().contains(1);
        boolean probe = o.scenarios().contains(2);
        for (int run = 1; run <= o.runs(); run++) {
            for (int size : o.ports()) {
                if (!bulk && size != o.ports().get(0)) {
                    continue;
                }
                Workload w = new Workload(o.networks(), size, RULES, false);
                boolean probeNow = probe && size == o.ports().get(0);
                netloomRun(ctx, w, run, probeNow, driverUsed, notes, netloom.computeIfAbsent(size,
                        k -> new ArrayList<>()), pingNetloom);
                ctx.cleanUp();
                if (!o.netloomOnly()) {
                    ovnRun(ctx, w, run, probeNow, ovn.computeIfAbsent(size, k -> new ArrayList<>()), pingOvn);
                    ctx.cleanUp();
                }
            }
        }
        String side = "Netloom REST" + (o.perPort() ? " per port" : " bulk per network") + ", driver "
                + driverUsed[0];
        String note = String.join("; ", notes);
        char variant = 'a';
        if (bulk) {
            for (int size : o.ports()) {
                ctx.report().add(new Report.Row("1" + variant++, size + " ports, " + o.networks()
                        + " networks, 10 rules/group, bound to namespaces: API → realised", "ms", side,
                        netloom.get(size), "OVN ovn-nbctl + veths → --wait=hv",
                        ovn.getOrDefault(size, List.of()), note));
            }
        }
        if (probe) {
            ctx.report().add(new Report.Row("2", "1 port added to " + o.ports().get(0) + " → first ping passes",
                    "ms", side, pingNetloom, "OVN nbctl + veth + iface-id", pingOvn,
                    pingNetloom.isEmpty() ? "pending: needs a driver with a data plane (" + driverUsed[0]
                            + " has none)" + (note.isEmpty() ? "" : "; " + note) : note));
        }
    }

    private void netloomRun(Harness.Context ctx, Workload w, int run, boolean probe, String[] driverUsed,
            List<String> notes, List<Double> times, List<Double> pings) {
        Options o = ctx.options();
        Sandbox sb = ctx.sandbox();
        Ovs ovs = "ovs".equals(o.driver()) ? Ovs.start(sb.newDir("ovs-")) : null;
        NetloomInstance nl = null;
        try {
            nl = NetloomInstance.start(ctx.netloomDistribution(), sb, ovs);
            String driver = o.driver();
            if (!nl.awaitDriver(driver, Duration.ofSeconds(20))) {
                if ("none".equals(o.fallbackDriver()) || !nl.awaitDriver(o.fallbackDriver(), Duration.ofSeconds(20))) {
                    throw new IllegalStateException("Driver " + driver + " is not registered: " + nl.drivers());
                }
                String note = "driver " + driver + " not in the distribution yet, measured on "
                        + o.fallbackDriver() + " (no data plane: not comparable)";
                if (!notes.contains(note)) {
                    notes.add(note);
                }
                driver = o.fallbackDriver();
            }
            driverUsed[0] = driver;
            sb.addNamespaces(w.portSpecs().stream().map(p -> sb.portNamespace(p.name())).toList());
            NetloomInstance.Loaded loaded = nl.load(w, driver, p -> sb.portNamespace(p.name()), o.threads(),
                    !o.perPort());
            times.add(ms(loaded.elapsed()));
            ctx.log("run " + run + " Netloom/" + driver + " " + w.ports() + " ports: " + ms(loaded.elapsed()) + " ms ("
                    + loaded.phases() + ")");
            if (probe && !"sim".equals(driver)) {
                Workload.PortSpec extra = w.extraPort("q" + run, run);
                String ns = sb.portNamespace(extra.name());
                sb.addNamespaces(List.of(ns));
                long t0 = System.nanoTime();
                nl.rest().post("/ports", NetloomInstance.portJson(extra, loaded.networkIds().get(0),
                        loaded.subnetIds().get(0), loaded.groupIds().get(0), ns), 201);
                firstPing(ns, w.portSpecs().get(0).ip());
                pings.add(ms(Duration.ofNanos(System.nanoTime() - t0)));
                ctx.log("run " + run + " Netloom first ping: " + pings.get(pings.size() - 1) + " ms");
            }
        } finally {
            if (nl != null) {
                nl.close();
            }
            if (ovs != null) {
                ovs.close();
            }
        }
    }

    private void ovnRun(Harness.Context ctx, Workload w, int run, boolean probe, List<Double> times,
            List<Double> pings) {
        Sandbox sb = ctx.sandbox();
        Ovs ovs = Ovs.start(sb.newDir("ovs-"));
        Ovn ovn = null;
        try {
            ovn = Ovn.start(sb.newDir("ovn-"), ovs);
            List<Workload.PortSpec> ports = w.portSpecs();
            sb.addNamespaces(ports.stream().map(p -> sb.portNamespace(p.name())).toList());
            long t0 = System.nanoTime();
            for (int n = 0; n < w.networks(); n++) {
                ovn.nbctl(networkCommands(w, n, ports));
            }
            Map<String, String> devices = Plumbing.veths(sb, ports, null);
            for (int n = 0; n < w.networks(); n++) {
                List<String> args = new ArrayList<>();
                for (Workload.PortSpec p : ports) {
                    if (p.network() == n) {
                        bind(args, devices.get(p.name()), p.name());
                    }
                }
                ovs.vsctl(args.subList(1, args.size()));
            }
            ovn.nbctl(List.of("--wait=hv", "--timeout=1200", "sync"));
            times.add(ms(Duration.ofNanos(System.nanoTime() - t0)));
            ctx.log("run " + run + " OVN " + w.ports() + " ports: " + times.get(times.size() - 1) + " ms");
            if (probe) {
                Workload.PortSpec extra = w.extraPort("q" + run, run);
                String ns = sb.portNamespace(extra.name());
                sb.addNamespaces(List.of(ns));
                long p0 = System.nanoTime();
                ovn.nbctl(List.of("--", "--id=@p", "create", "logical_switch_port", "name=" + extra.name(),
                        "addresses=\"" + extra.mac() + " " + extra.ip() + "\"",
                        "--", "add", "logical_switch", "ls0", "ports", "@p",
                        "--", "add", "port_group", extra.group(), "ports", "@p"));
                Map<String, String> device = Plumbing.veths(sb, List.of(extra), null);
                List<String> args = new ArrayList<>();
                bind(args, device.get(extra.name()), extra.name());
                ovs.vsctl(args.subList(1, args.size()));
                firstPing(ns, ports.get(0).ip());
                pings.add(ms(Duration.ofNanos(System.nanoTime() - p0)));
                ctx.log("run " + run + " OVN first ping: " + pings.get(pings.size() - 1) + " ms");
            }
        } finally {
            if (ovn != null) {
                ovn.close();
            }
            ovs.close();
        }
    }

    /** Appends {@code -- add-port br-int DEV -- set interface DEV external_ids:iface-id=PORT}. */
    static void bind(List<String> args, String device, String port) {
        args.addAll(List.of("--", "add-port", Ovn.BRIDGE, device, "--", "set", "interface", device,
                "external_ids:iface-id=" + port));
    }

    /**
     * One ovn-nbctl transaction for a network: its switch, router and ports ({@link #switchCommands}), then per
     * security group its port group and ACLs ({@link #portGroupCommands}) admitting the 10 rules.
     */
    static List<String> networkCommands(Workload w, int n, List<Workload.PortSpec> ports) {
        List<Workload.PortSpec> inNetwork = ports.stream().filter(p -> p.network() == n).toList();
        List<String> a = switchCommands(n, Workload.prefixLength(), inNetwork);
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (Workload.PortSpec p : inNetwork) {
            members.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p.name());
        }
        List<String> admit = new ArrayList<>();
        for (Workload.RuleSpec r : w.rules()) {
            admit.add("ip4.src == " + Workload.SPACE + " && "
                    + ("icmp".equals(r.protocol()) ? "icmp4" : "tcp && tcp.dst == " + r.port()));
        }
        for (Map.Entry<String, List<String>> g : members.entrySet()) {
            a.addAll(portGroupCommands(g.getKey(), g.getValue(), admit));
        }
        return a;
    }

    /**
     * The ovn-nbctl commands for network {@code n}'s switch {@code lsN}, a router {@code lrN} with the subnet
     * gateway as router port (Netloom answers ARP for the gateway and routes between subnets: the same function),
     * and the ports with their addresses.
     */
    static List<String> switchCommands(int n, int prefixLength, List<Workload.PortSpec> ports) {
        String ls = "ls" + n;
        String lr = "lr" + n;
        String lrp = "lrp" + n;
        String rp = "rp" + n;
        List<String> a = new ArrayList<>(List.of("ls-add", ls, "--", "lr-add", lr, "--", "lrp-add", lr, lrp,
                String.format("02:4e:ff:00:00:%02x", n), Workload.gateway(n) + "/" + prefixLength,
                "--", "lsp-add", ls, rp, "--", "lsp-set-type", rp, "router", "--", "lsp-set-addresses", rp, "router",
                "--", "lsp-set-options", rp, "router-port=" + lrp));
        for (Workload.PortSpec p : ports) {
            a.addAll(List.of("--", "lsp-add", ls, p.name(), "--", "lsp-set-addresses", p.name(),
                    p.mac() + " " + p.ip()));
        }
        return a;
    }

    /**
     * The ovn-nbctl commands for a port group of {@code members} and its ACLs: one {@code allow-related}
     * {@code to-lport} ACL per match of {@code admit} (each ANDed with {@code outport == @PG && ip4}), plus the
     * default-deny ingress and allow-related egress that Netloom's stateful groups imply.
     */
    static List<String> portGroupCommands(String pg, List<String> members, List<String> admit) {
        List<String> a = new ArrayList<>(List.of("--", "pg-add", pg));
        a.addAll(members);
        int priority = 2000;
        for (String match : admit) {
            a.addAll(List.of("--", "acl-add", pg, "to-lport", Integer.toString(priority--),
                    "outport == @" + pg + " && ip4 && " + match, "allow-related"));
        }
        a.addAll(List.of("--", "acl-add", pg, "to-lport", "1000", "outport == @" + pg + " && ip4", "drop",
                "--", "acl-add", pg, "from-lport", "1000", "inport == @" + pg + " && ip4", "allow-related"));
        return a;
    }

    /**
     * Pings {@code ip} from {@code ns} until a reply comes back: each attempt sends every 10 ms for up to 30 s and
     * ends at the first reply; an attempt that cannot send at all (no interface or route yet) is repeated.
     */
    static void firstPing(String ns, String ip) {
        long deadline = System.nanoTime() + PING_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Exec.Result r = Exec.run(Duration.ofSeconds(40), Map.of(), List.of("ip", "netns", "exec", ns, "ping",
                    "-c", "1", "-w", "30", "-i", "0.01", "-q", ip), null);
            if (r.ok()) {
                return;
            }
            last = r.output();
            Harness.sleep(10);
        }
        throw new IllegalStateException("No ping reply from " + ip + " in " + ns + " within "
                + PING_TIMEOUT.toSeconds() + " s: " + Exec.abbreviate(last));
    }

    static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
