package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * The pipeline's flows, as {@code ovs-ofctl} installs them from their text, on a real userspace Open vSwitch with
 * real namespaces: checks the forwarding semantics (ARP responder, routing across subnets, peering, non-transitivity,
 * ordered deny, stateful return) independently of the OpenFlow codec; and address sets, whose members and rules go
 * through the {@link OvsEngine} and the OpenFlow codec as the driver sends them. Skipped without Open vSwitch or root.
 */
public class PipelineOnOvsTest {

    private static final String BRIDGE = "brpipe";
    private final List<String> namespaces = new ArrayList<>();
    private OvsDaemons ovs;
    private OpenFlowSwitch channel;

    private record Host(PortEntry port, int ofport, int prefix) {
        String ns() {
            return "nlpipe-" + port.port();
        }
    }

    @After
    public void tearDown() throws Exception {
        if (channel != null) {
            channel.close();
        }
        for (String ns : namespaces) {
            run(false, "ip", "netns", "del", ns);
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @Test
    public void pipelineForwardsAsTheSimulatorDoes() throws Exception {
        assumeTrue(OvsDaemons.available());
        ovs = OvsDaemons.start("nl-pipe-");
        ovs.addBridge(BRIDGE);
        Map<String, SegmentEntry> segments = new LinkedHashMap<>();
        segments.put("a1", new SegmentEntry("A", "a1", "10.200.81.0/24", "10.200.81.1"));
        segments.put("a2", new SegmentEntry("A", "a2", "10.200.82.0/24", "10.200.82.1"));
        segments.put("b1", new SegmentEntry("B", "b1", "10.200.97.0/24", "10.200.97.1"));
        segments.put("c1", new SegmentEntry("C", "c1", "10.200.113.0/24", "10.200.113.1"));
        List<Host> hosts = List.of(host("pa1", "A", segments.get("a1"), "10.200.81.10", 1),
                host("pa3", "A", segments.get("a1"), "10.200.81.11", 2),
                host("pa2", "A", segments.get("a2"), "10.200.82.10", 3),
                host("pb", "B", segments.get("b1"), "10.200.97.10", 4),
                host("pc", "C", segments.get("c1"), "10.200.113.10", 5));
        List<ConfigEntry> entries = new ArrayList<>(segments.values());
        entries.add(new RouteEntry("A", "10.200.80.0/20", "local", null, false));
        entries.add(new RouteEntry("B", "10.200.96.0/20", "local", null, false));
        entries.add(new RouteEntry("C", "10.200.112.0/20", "local", null, false));
        entries.add(new RouteEntry("A", "10.200.96.0/20", "peering:ab", "B", false));
        entries.add(new RouteEntry("B", "10.200.80.0/20", "peering:ab", "A", false));
        entries.add(new RouteEntry("B", "10.200.112.0/20", "peering:bc", "C", false));
        entries.add(new RouteEntry("C", "10.200.96.0/20", "peering:bc", "B", false));
        for (String p : List.of("pa1", "pa2", "pa3")) {
            entries.add(filter(p, Protocol.ANY, null, "10.200.0.0/16", RuleAction.ALLOW, 1000));
        }
        entries.add(filter("pb", Protocol.ICMP, null, "10.200.80.0/20", RuleAction.ALLOW, 1000));
        entries.add(filter("pb", Protocol.TCP, 80, "10.200.80.0/20", RuleAction.ALLOW, 1000));
        entries.add(filter("pc", Protocol.ICMP, null, "10.0.0.0/8", RuleAction.ALLOW, 1000));
        FilterEntry deny = filter("pb", Protocol.TCP, 80, "10.200.82.0/24", RuleAction.DENY, 10);

        List<FlowSpec> flows = new ArrayList<>(Pipeline.baseFlows());
        for (Host h : hosts) {
            flows.addAll(Pipeline.flows(h.port(), Optional.of(h.ofport())));
        }
        for (ConfigEntry e : entries) {
            flows.addAll(Pipeline.flows(e, Optional.empty()));
        }
        install(flows);
        for (Host h : hosts) {
            plug(h);
        }

        assertEquals("same subnet", true, ping(hosts.get(0), "10.200.81.11"));
        assertEquals("across subnets, routed", true, ping(hosts.get(0), "10.200.82.10"));
        assertEquals("across an active peering", true, ping(hosts.get(0), "10.200.97.10"));
        assertEquals("not transitive: A has no route to C", false, ping(hosts.get(0), "10.200.113.10"));
        assertEquals("B reaches C over its own peering", true, ping(hosts.get(3), "10.200.113.10"));
        assertEquals("pb only accepts icmp from A: unsolicited from C is dropped", false,
                ping(hosts.get(4), "10.200.97.10"));
        assertEquals("pa3 accepts 10.200/16, so B reaches it back over the peering", true,
                ping(hosts.get(3), "10.200.81.11"));
        assertEquals("tcp/80 from a2 to pb allowed", true, tcp(hosts.get(2), hosts.get(3), 80));
        assertEquals("tcp/81 to pb not allowed", false, tcp(hosts.get(2), hosts.get(3), 81));

        List<FlowSpec> withDeny = new ArrayList<>(flows);
        withDeny.addAll(Pipeline.flows(deny, Optional.empty()));
        install(withDeny);
        assertEquals("the priority-10 deny wins for a2", false, tcp(hosts.get(2), hosts.get(3), 80));
        assertEquals("a1 is not denied", true, tcp(hosts.get(0), hosts.get(3), 80));
        install(flows);
        assertEquals("deny removed", true, tcp(hosts.get(2), hosts.get(3), 80));
    }

    @Test
    public void aRuleReferencingASetAdmitsItsMembersOnlyAsMembershipChanges() throws Exception {
        assumeTrue(OvsDaemons.available());
        ovs = OvsDaemons.start("nl-sets-");
        ovs.addBridge(BRIDGE);
        SegmentEntry segment = new SegmentEntry("A", "s1", "10.200.81.0/24", "10.200.81.1");
        Host h1 = host("sh1", "A", segment, "10.200.81.10", 1);
        Host h2 = host("sh2", "A", segment, "10.200.81.11", 2);
        Host h3 = host("sh3", "A", segment, "10.200.81.12", 3);
        Host srv = host("ssrv", "A", segment, "10.200.81.20", 4);
        List<FlowSpec> flows = new ArrayList<>(Pipeline.baseFlows());
        flows.addAll(Pipeline.flows(segment, Optional.empty()));
        flows.addAll(Pipeline.flows(new RouteEntry("A", "10.200.80.0/20", "local", null, false), Optional.empty()));
        for (Host h : List.of(h1, h2, h3, srv)) {
            flows.addAll(Pipeline.flows(h.port(), Optional.of(h.ofport())));
        }
        for (Host h : List.of(h1, h2, h3)) {
            flows.addAll(Pipeline.flows(filter(h.port().port(), Protocol.ANY, null, "10.200.0.0/16",
                    RuleAction.ALLOW, 1000), Optional.empty()));
        }
        install(flows);
        for (Host h : List.of(h1, h2, h3, srv)) {
            plug(h);
        }

        // Sets through the engine and the codec, as the driver sends them: srv admits @web; h3 may not reach @db.
        channel = new OpenFlowSwitch("unix:" + ovs.dir().resolve(BRIDGE + ".mgmt"));
        channel.start();
        for (int i = 0; i < 100 && !channel.connected(); i++) {
            Thread.sleep(100);
        }
        OvsEngine engine = new OvsEngine(channel, new NoDevices(), new NoDevices(), Duration.ZERO);
        FilterEntry fromWeb = new FilterEntry(new FilterRule("web/in", "ssrv", Direction.INGRESS, Protocol.ANY, null,
                null, null, RuleAction.ALLOW, 1000, "web"));
        FilterEntry notToDb = new FilterEntry(new FilterRule("db/out", "sh3", Direction.EGRESS, Protocol.ANY, null,
                null, null, RuleAction.DENY, 10, "db"));
        // h1 is in "ops" first (a set a rule references, so it takes a slot), so that its "web" slot is the second.
        FilterEntry fromOps = new FilterEntry(new FilterRule("ops/in", "sh2", Direction.INGRESS, Protocol.ANY, null,
                null, null, RuleAction.ALLOW, 1000, "ops"));
        AddressSetEntry h1Ops = member("ops", h1);
        AddressSetEntry h1Web = member("web", h1);
        List<ConfigEntry> desired = new ArrayList<>(List.of(h1Ops, h1Web, member("web", h3), member("db", srv),
                new AddressSetEntry("web", "sh1v6", "fd00::10"), member("unnamed", h2), fromWeb, notToDb, fromOps));
        apply(engine, desired.stream().map(e -> new PlanStep(PlanStep.Op.ADD, e)).toList());
        assertEquals(keys(desired), engine.readActual("node-ovs").entries().keySet());
        assertEquals(Set.of(Pipeline.SETS + 1, Pipeline.SETS + Pipeline.SLOTS + 1), tablesOf(h1Web));

        assertEquals("a member is admitted (its address in the set's second slot)", true, ping(h1, srv));
        assertEquals("a non-member is refused", false, ping(h2, srv));
        assertEquals("a rule to a set denies its member", false, ping(h3, srv));
        assertEquals("but not what is not in the set", true, ping(h3, h1));

        AddressSetEntry h2Web = member("web", h2);
        apply(engine, List.of(new PlanStep(PlanStep.Op.ADD, h2Web)));
        assertEquals("a member added is admitted", true, ping(h2, srv));

        apply(engine, List.of(new PlanStep(PlanStep.Op.REMOVE, h1Web)));
        ovs.appctl("dpctl/flush-conntrack");
        assertEquals("a member removed is refused", false, ping(h1, srv));
        assertEquals("the others stay members", true, ping(h2, srv));
        desired.remove(h1Web);
        desired.add(h2Web);
        assertEquals(keys(desired), engine.readActual("node-ovs").entries().keySet());
    }

    private static AddressSetEntry member(String set, Host h) {
        return new AddressSetEntry(set, h.port().port(), h.port().ip());
    }

    private static void apply(OvsEngine engine, List<PlanStep> steps) {
        assertEquals(Map.of(), engine.apply(new Plan("node-ovs", steps)).failures());
    }

    private static Set<String> keys(List<ConfigEntry> entries) {
        return entries.stream().map(ConfigEntry::key).collect(Collectors.toSet());
    }

    /** The tables holding the flows of an entry, as the switch dumps them. */
    private Set<Integer> tablesOf(ConfigEntry entry) throws Exception {
        String dump = ovs.run("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", "unix:" + ovs.dir().resolve(BRIDGE
                + ".mgmt"), "cookie=0x" + Long.toHexString(Pipeline.cookie(entry)) + "/-1");
        return Stream.of(dump.split("\n")).filter(l -> l.contains("table="))
                .map(l -> Integer.parseInt(l.replaceAll(".*table=(\\d+).*", "$1"))).collect(Collectors.toSet());
    }

    /** Sets only: the engine never plumbs a port here. */
    private static final class NoDevices implements BridgeDb, PortPlumbing {
        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void ensureBridge() {
        }

        @Override
        public Map<String, BridgePort> ports() {
            return Map.of();
        }

        @Override
        public Numbered addPorts(Map<String, String> devices) {
            throw new UnsupportedOperationException("no ports here");
        }

        @Override
        public void removePort(String portId) {
            throw new UnsupportedOperationException("no ports here");
        }

        @Override
        public int ensureTunnel() {
            throw new UnsupportedOperationException("no tunnel here");
        }

        @Override
        public Optional<Integer> tunnelPort() {
            return Optional.empty();
        }

        @Override
        public String hostDevice(String portId) {
            throw new UnsupportedOperationException("no ports here");
        }

        @Override
        public Map<String, String> bind(Map<PortEntry, Integer> prefixLengths, OptionalInt mtu) {
            throw new UnsupportedOperationException("no ports here");
        }

        @Override
        public boolean isBound(PortEntry port, int prefixLength) {
            return false;
        }

        @Override
        public void unbind(String portId) {
            throw new UnsupportedOperationException("no ports here");
        }
    }

    private static Host host(String id, String network, SegmentEntry segment, String ip, int ofport) {
        String mac = String.format("02:00:00:00:%02x:%02x", ofport, ofport);
        return new Host(new PortEntry(id, network, segment.subnet(), ip, mac, segment.gateway(), "netns",
                "nlpipe-" + id), ofport, Integer.parseInt(segment.cidr().substring(segment.cidr().indexOf('/') + 1)));
    }

    private static FilterEntry filter(String port, Protocol protocol, Integer tcpPort, String remote,
            RuleAction action, int priority) {
        return new FilterEntry(new FilterRule("g/" + port + protocol + tcpPort + action, port, Direction.INGRESS,
                protocol, tcpPort, null, remote, action, priority));
    }

    private void install(List<FlowSpec> flows) throws Exception {
        Path file = ovs.dir().resolve("flows.txt");
        Files.writeString(file, flows.stream().map(FlowSpec::toString).collect(Collectors.joining("\n")) + "\n");
        String mgmt = "unix:" + ovs.dir().resolve(BRIDGE + ".mgmt");
        ovs.run("ovs-ofctl", "-O", "OpenFlow13", "del-flows", mgmt);
        ovs.run("ovs-ofctl", "-O", "OpenFlow13", "--bundle", "add-flows", mgmt, file.toString());
        // Established connections of the previous rule set must not decide the next check.
        ovs.appctl("dpctl/flush-conntrack");
    }

    private void plug(Host h) throws Exception {
        String ns = h.ns();
        String host = "nlpipeh" + h.ofport();
        String peer = "nlpipep" + h.ofport();
        run(false, "ip", "netns", "del", ns);
        // A namespace is destroyed, with the veth in it, only once no process holds it: a previous run's may linger.
        run(false, "ip", "link", "del", host);
        run(true, "ip", "netns", "add", ns);
        namespaces.add(ns);
        run(true, "ip", "link", "add", host, "type", "veth", "peer", "name", peer);
        run(true, "ip", "link", "set", peer, "netns", ns);
        run(true, "ip", "-n", ns, "link", "set", peer, "address", h.port().mac());
        run(true, "ip", "-n", ns, "addr", "add", h.port().ip() + "/" + h.prefix(), "dev", peer);
        run(true, "ip", "-n", ns, "link", "set", peer, "up");
        run(true, "ip", "-n", ns, "link", "set", "lo", "up");
        run(true, "ip", "-n", ns, "route", "replace", "default", "via", h.port().gateway());
        run(true, "ip", "netns", "exec", ns, "ethtool", "-K", peer, "tx", "off");
        run(true, "ip", "link", "set", host, "up");
        ovs.vsctl("add-port", BRIDGE, host, "--", "set", "interface", host, "ofport_request=" + h.ofport());
    }

    private static boolean ping(Host from, Host to) throws Exception {
        return ping(from, to.port().ip());
    }

    private static boolean ping(Host from, String address) throws Exception {
        return run(false, "ip", "netns", "exec", from.ns(), "ping", "-c", "1", "-W", "1", address);
    }

    private static boolean tcp(Host from, Host to, int port) throws Exception {
        // ip netns exec execs nc in its own process, so destroying this process stops the listener (a wrapper such
        // as timeout(1) would leave nc behind, holding the namespace and its veth).
        Process server = new ProcessBuilder("ip", "netns", "exec", to.ns(), "nc", "-l", to.port().ip(),
                Integer.toString(port)).redirectErrorStream(true).start();
        try {
            Thread.sleep(300);
            return run(false, "ip", "netns", "exec", from.ns(), "nc", "-z", "-w", "2", to.port().ip(),
                    Integer.toString(port));
        } finally {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static boolean run(boolean mustSucceed, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output);
        }
        return process.exitValue() == 0;
    }
}
