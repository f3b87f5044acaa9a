package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.NetnsBinding;

/**
 * The driver on the real kernel, as root, without Karaf: two peered networks with three ports bound to namespaces
 * this test makes, realised, read back equal (also by a driver that did not make them), pinged, repaired after a
 * device is deleted by hand and after an address is removed inside a workload's namespace, and removed; and a rule
 * referencing an address set, whose members come and go as set elements while the rules stay.
 */
public class LinuxBridgeDriverRootTest {

    private static final String NODE = "node-linuxbridge";
    /** Short, so that drift inside a workload's namespace shows within the test's patience. */
    private static final int NAMESPACE_CHECK_SECONDS = 1;
    /** How long drift may stay unseen: a reused read, then a namespace check period, and some slack. */
    private static final long DRIFT_MILLIS = (KernelReader.REUSE_SECONDS + NAMESPACE_CHECK_SECONDS + 3) * 1000L;

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final HostCommand host = new HostCommand();
    private final List<String> workloads = List.of("nlt" + run + "-a1", "nlt" + run + "-a2", "nlt" + run + "-b",
            "nlt" + run + "-c");
    private final String netA = "net-t" + run + "a";
    private final String netB = "net-t" + run + "b";
    private LinuxBridgeDriver driver;

    @Before
    public void namespaces() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip and nft", HostCommand.locate("ip").isPresent() && HostCommand.locate("nft").isPresent());
        for (String ns : workloads) {
            host.run(List.of("ip", "netns", "add", ns));
        }
        driver = new LinuxBridgeDriver(host, NAMESPACE_CHECK_SECONDS);
    }

    @After
    public void cleanUp() {
        if (driver != null) {
            driver.deactivate();
        }
        List<String> namespaces = new ArrayList<>(workloads);
        namespaces.addAll(List.of(KernelNames.routerNamespace(netA), KernelNames.routerNamespace(netB)));
        for (String ns : namespaces) {
            if (Iproute2.namespaceExists(ns)) {
                host.execute(List.of("ip", "netns", "del", ns), null);
            }
        }
    }

    private List<ConfigEntry> desired() {
        List<ConfigEntry> e = new ArrayList<>();
        e.add(new SegmentEntry(netA, "sub-t" + run + "a1", "10.200.1.0/24", "10.200.1.1"));
        e.add(new SegmentEntry(netA, "sub-t" + run + "a2", "10.200.2.0/24", "10.200.2.1"));
        e.add(new SegmentEntry(netB, "sub-t" + run + "b1", "10.200.17.0/24", "10.200.17.1"));
        e.add(port("pa1", netA, "a1", "10.200.1.5", "02:00:0a:c8:01:05", "10.200.1.1", 0));
        e.add(port("pa2", netA, "a2", "10.200.2.5", "02:00:0a:c8:02:05", "10.200.2.1", 1));
        e.add(port("pb", netB, "b1", "10.200.17.5", "02:00:0a:c8:11:05", "10.200.17.1", 2));
        e.add(new RouteEntry(netA, "10.200.0.0/20", "local", null, false));
        e.add(new RouteEntry(netB, "10.200.16.0/20", "local", null, false));
        e.add(new RouteEntry(netA, "10.200.16.0/20", "peering:peer-t" + run, netB, false));
        e.add(new RouteEntry(netB, "10.200.0.0/20", "peering:peer-t" + run, netA, false));
        // A static route through an appliance port, and a port bound to nothing.
        e.add(new RouteEntry(netA, "10.200.9.0/24", "10.200.2.5", null, false));
        e.add(new PortEntry("port-t" + run + "pu", netA, "sub-t" + run + "a1", "10.200.1.9", "02:00:0a:c8:01:09",
                "10.200.1.1", null, null));
        for (String p : List.of("pa1", "pa2")) {
            e.add(filter(p, Direction.INGRESS, Protocol.ANY, null, "10.200.0.0/20", RuleAction.ALLOW, 100));
            e.add(filter(p, Direction.EGRESS, Protocol.ANY, null, "0.0.0.0/0", RuleAction.ALLOW, 100));
            e.add(filter(p, Direction.EGRESS, Protocol.ANY, null, "::/0", RuleAction.ALLOW, 100));
        }
        e.add(filter("pb", Direction.INGRESS, Protocol.ICMP, null, "10.200.0.0/20", RuleAction.ALLOW, 100));
        e.add(filter("pb", Direction.INGRESS, Protocol.TCP, 80, "10.200.0.0/20", RuleAction.ALLOW, 100));
        e.add(filter("pb", Direction.INGRESS, Protocol.TCP, 80, "10.200.2.0/24", RuleAction.DENY, 10));
        e.add(filter("pb", Direction.INGRESS, Protocol.ANY, 1000, "10.200.1.5/32", RuleAction.ALLOW, 100));
        return e;
    }

    private PortEntry port(String name, String network, String subnet, String ip, String mac, String gw, int ns) {
        return new PortEntry("port-t" + run + name, network, "sub-t" + run + subnet, ip, mac, gw, "netns",
                workloads.get(ns));
    }

    private FilterEntry filter(String port, Direction d, Protocol p, Integer min, String remote, RuleAction a,
            int priority) {
        return new FilterEntry(new FilterRule("sg-t" + run + "/rule-" + d + p + a + priority, "port-t" + run + port,
                d, p, min, min == null ? null : (min == 1000 ? 2000 : min), remote, a, priority));
    }

    /** The planner's order: set members, filters, segments, ports, routes. */
    private static Plan adds(List<ConfigEntry> entries) {
        List<Class<?>> order = List.of(AddressSetEntry.class, FilterEntry.class, SegmentEntry.class, PortEntry.class,
                RouteEntry.class);
        List<ConfigEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt((ConfigEntry e) -> order.indexOf(e.getClass()))
                .thenComparing(ConfigEntry::key));
        return new Plan(NODE, sorted.stream().map(e -> new PlanStep(PlanStep.Op.ADD, e)).toList());
    }

    private Map<String, ConfigEntry> ours() {
        Map<String, ConfigEntry> all = new java.util.TreeMap<>(driver.readActual(NODE).entries());
        all.values().removeIf(e -> !e.toString().contains("t" + run));
        return all;
    }

    /** Reads until the entry is no longer reported as realised; false when it still is after {@link #DRIFT_MILLIS}. */
    private boolean driftSeen(String key) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DRIFT_MILLIS;
        while (ours().containsKey(key)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private boolean ping(int from, String to) {
        return host.execute(Iproute2.inNamespace(workloads.get(from), "ping", "-n", "-c", "1", "-W", "1", to), null)
                .exitCode() == 0;
    }

    @Test
    public void twoPeeredNetworksAreRealisedReadBackPingedRepairedAndRemoved() throws InterruptedException {
        List<ConfigEntry> desired = desired();
        ApplyResult result = driver.apply(adds(desired));
        assertEquals(Map.of(), result.failures());
        Map<String, ConfigEntry> want = new java.util.TreeMap<>(NodeConfig.of(NODE, desired).entries());
        assertEquals(want, ours());
        // A driver that did not make them (Netloom restarted) reads every namespace end and finds the same.
        assertEquals(want, adopted());

        assertTrue("pa1 -> pa2 across subnets", ping(0, "10.200.2.5"));
        assertTrue("pa1 -> pb across the peering", ping(0, "10.200.17.5"));
        assertFalse("pb -> pa1: pa1 only admits A's space", ping(2, "10.200.1.5"));
        assertFalse("pa1 -> an address no port has", ping(0, "10.200.3.9"));
        assertFalse("pa1 -> the unbound port", ping(0, "10.200.1.9"));

        // Drift: a port's veth deleted by hand is missing from what the driver reads, and re-adding repairs it.
        String pb = "port-t" + run + "pb";
        host.run(List.of("ip", "-n", KernelNames.routerNamespace(netB), "link", "del", NetnsBinding.hostDevice(pb)));
        assertTrue("a deleted veth shows", driftSeen("port:" + pb));
        assertEquals(Map.of(), driver.apply(new Plan(NODE, List.of(new PlanStep(PlanStep.Op.ADD,
                want.get("port:" + pb))))).failures());
        assertEquals(want, ours());
        assertTrue("pa1 -> pb again", ping(0, "10.200.17.5"));

        // Drift the host end cannot show: the address removed inside the workload's namespace.
        host.run(List.of("ip", "-n", workloads.get(2), "addr", "flush", "dev", NetnsBinding.namespaceDevice(pb)));
        assertTrue("an address removed inside the namespace shows", driftSeen("port:" + pb));
        assertEquals(Map.of(), driver.apply(new Plan(NODE, List.of(new PlanStep(PlanStep.Op.ADD,
                want.get("port:" + pb))))).failures());
        assertEquals(want, ours());
        assertTrue("pa1 -> pb after the repair", ping(0, "10.200.17.5"));

        // Drift in nftables, which the driver had just written: pb's ingress rules flushed by hand.
        host.run(Iproute2.inNamespace(KernelNames.routerNamespace(netB), "nft", "flush", "chain", "inet",
                KernelNames.NFT_TABLE, KernelNames.ingressChain(pb)));
        List<PlanStep> pbRules = new ArrayList<>();
        for (ConfigEntry e : want.values()) {
            if (e instanceof FilterEntry f && f.rule().portId().equals(pb)
                    && f.rule().direction() == Direction.INGRESS) {
                pbRules.add(new PlanStep(PlanStep.Op.ADD, e));
            }
        }
        assertTrue("flushed rules show", driftSeen(pbRules.get(0).entry().key()));
        assertEquals(Map.of(), driver.apply(new Plan(NODE, pbRules)).failures());
        assertEquals(want, ours());

        List<PlanStep> removes = new ArrayList<>();
        List<ConfigEntry> reversed = new ArrayList<>(adds(desired).steps().stream().map(PlanStep::entry).toList());
        java.util.Collections.reverse(reversed);
        reversed.forEach(e -> removes.add(new PlanStep(PlanStep.Op.REMOVE, e)));
        assertEquals(Map.of(), driver.apply(new Plan(NODE, removes)).failures());
        assertEquals(Map.of(), ours());
        assertFalse(Iproute2.namespaceExists(KernelNames.routerNamespace(netA)));
        assertFalse(Iproute2.namespaceExists(KernelNames.routerNamespace(netB)));
    }

    /** What a driver that did not make them (Netloom restarted) reads of this test's entries. */
    private Map<String, ConfigEntry> adopted() {
        LinuxBridgeDriver restarted = new LinuxBridgeDriver(host, NAMESPACE_CHECK_SECONDS);
        try {
            Map<String, ConfigEntry> adopted = new java.util.TreeMap<>(restarted.readActual(NODE).entries());
            adopted.values().removeIf(e -> !e.toString().contains("t" + run));
            return adopted;
        } finally {
            restarted.deactivate();
        }
    }

    /** Applies one step, which must succeed, and checks that the driver then reads back {@code desired} with it. */
    private void step(List<ConfigEntry> desired, PlanStep.Op op, ConfigEntry entry) {
        assertEquals(Map.of(), driver.apply(new Plan(NODE, List.of(new PlanStep(op, entry)))).failures());
        if (op == PlanStep.Op.ADD) {
            desired.add(entry);
        } else {
            desired.remove(entry);
        }
        assertEquals(new java.util.TreeMap<>(NodeConfig.of(NODE, desired).entries()), ours());
    }

    /** The router namespace's tables with their handles: a rewrite makes new tables, with new handles. */
    private String tables(String network) {
        return host.run(Iproute2.inNamespace(KernelNames.routerNamespace(network), "nft", "-j", "list", "tables"))
                .stdout();
    }

    @Test
    public void aRuleReferencingAnAddressSetAdmitsItsMembersAsTheyComeAndGo() {
        // Server s admits ICMP from the set's members only; m is a member, x is not. mb, in network B (not peered,
        // the same subnet), has m's address: while either holds it, the address is in the set.
        String set = "sg-t" + run + "set";
        SegmentEntry a = new SegmentEntry(netA, "sub-t" + run + "a1", "10.200.1.0/24", "10.200.1.1");
        SegmentEntry b = new SegmentEntry(netB, "sub-t" + run + "b1", "10.200.1.0/24", "10.200.1.1");
        PortEntry s = port("s", netA, "a1", "10.200.1.10", "02:00:0a:c8:01:0a", "10.200.1.1", 0);
        PortEntry m = port("m", netA, "a1", "10.200.1.11", "02:00:0a:c8:01:0b", "10.200.1.1", 1);
        PortEntry x = port("x", netA, "a1", "10.200.1.12", "02:00:0a:c8:01:0c", "10.200.1.1", 2);
        PortEntry mb = port("mb", netB, "b1", "10.200.1.11", "02:00:0a:c8:01:1b", "10.200.1.1", 3);
        FilterEntry admit = new FilterEntry(new FilterRule("sg-t" + run + "/rule-icmp", s.port(), Direction.INGRESS,
                Protocol.ICMP, null, null, null, RuleAction.ALLOW, 100, set));
        AddressSetEntry memberM = new AddressSetEntry(set, m.port(), m.ip());
        AddressSetEntry memberX = new AddressSetEntry(set, x.port(), x.ip());
        AddressSetEntry memberMb = new AddressSetEntry(set, mb.port(), mb.ip());
        List<ConfigEntry> desired = new ArrayList<>(List.of(a, b, s, m, x, mb, admit, memberM));
        assertEquals(Map.of(), driver.apply(adds(desired)).failures());
        assertEquals(new java.util.TreeMap<>(NodeConfig.of(NODE, desired).entries()), ours());
        assertTrue("member m -> s", ping(1, s.ip()));
        assertFalse("non-member x -> s", ping(2, s.ip()));

        String rules = tables(netA);
        step(desired, PlanStep.Op.ADD, memberX);
        assertTrue("x, now a member -> s", ping(2, s.ip()));

        step(desired, PlanStep.Op.ADD, memberMb);
        step(desired, PlanStep.Op.REMOVE, memberM);
        assertTrue("m's address is still held by mb", ping(1, s.ip()));

        step(desired, PlanStep.Op.REMOVE, memberMb);
        step(desired, PlanStep.Op.REMOVE, memberX);
        assertFalse("m, no longer a member -> s", ping(1, s.ip()));
        assertFalse("x, no longer a member -> s", ping(2, s.ip()));
        assertEquals("members came and went as elements: the rules were never rewritten", rules, tables(netA));

        // A driver that did not write them reads the members back from the kernel alone.
        step(desired, PlanStep.Op.ADD, memberX);
        assertEquals(new java.util.TreeMap<>(NodeConfig.of(NODE, desired).entries()), adopted());
        assertTrue("x, a member again -> s", ping(2, s.ip()));
    }
}
