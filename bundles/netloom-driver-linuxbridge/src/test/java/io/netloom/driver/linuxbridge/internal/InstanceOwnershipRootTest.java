package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

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

/**
 * Two Netloom instances on one kernel, as root: each driver reads, repairs and deletes only the router namespaces
 * its instance made for its node. Run it in a private mount namespace with its own {@code /run/netns}
 * ({@code unshare --mount --propagation private sh -c 'mount -t tmpfs x /run/netns && mvn ...'}), as the other root
 * tests.
 */
public class InstanceOwnershipRootTest {

    private static final String NODE = "node-linuxbridge";

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final HostCommand host = new HostCommand();
    private final String wlA = "nlt" + run + "-oa";
    private final String wlB = "nlt" + run + "-ob";
    private final String wlA2 = "nlt" + run + "-oc";
    private final String netA = "net-o" + run + "a";
    private final String netB = "net-o" + run + "b";
    private LinuxBridgeDriver first;
    private LinuxBridgeDriver second;

    @Before
    public void namespaces() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip and nft", HostCommand.locate("ip").isPresent() && HostCommand.locate("nft").isPresent());
        host.run(List.of("ip", "netns", "add", wlA));
        host.run(List.of("ip", "netns", "add", wlB));
        host.run(List.of("ip", "netns", "add", wlA2));
        first = new LinuxBridgeDriver(host, 1, "one" + run);
        second = new LinuxBridgeDriver(host, 1, "two" + run);
    }

    @After
    public void cleanUp() {
        for (LinuxBridgeDriver d : new LinuxBridgeDriver[] {first, second}) {
            if (d != null) {
                d.deactivate();
            }
        }
        for (String ns : List.of(wlA, wlB, wlA2, KernelNames.routerNamespace(netA, NODE),
                KernelNames.routerNamespace(netB, NODE))) {
            if (Iproute2.namespaceExists(ns)) {
                host.execute(List.of("ip", "netns", "del", ns), null);
            }
        }
    }

    /** One network with a subnet, a port bound to each workload namespace, and their rules. */
    private List<ConfigEntry> network(String net, String tag, int third, String... workloads) {
        String prefix = "10.200." + third + ".";
        List<ConfigEntry> e = new ArrayList<>();
        e.add(new SegmentEntry(net, "sub-o" + run + tag, prefix + "0/24", prefix + "1"));
        e.add(new RouteEntry(net, prefix + "0/24", "local", null, false));
        for (int i = 0; i < workloads.length; i++) {
            String port = "port-o" + run + tag + i;
            e.add(new PortEntry(port, net, "sub-o" + run + tag, prefix + (5 + i), "02:00:0a:c8:" + third + ":0" + i,
                    prefix + "1", "netns", workloads[i]));
            e.add(new FilterEntry(new FilterRule("sg-o" + run + "/r", port, Direction.INGRESS, Protocol.ICMP, null,
                    null, "10.200.0.0/16", RuleAction.ALLOW, 100)));
        }
        return e;
    }

    private static Plan plan(PlanStep.Op op, List<ConfigEntry> entries) {
        List<Class<?>> order = List.of(FilterEntry.class, SegmentEntry.class, PortEntry.class, RouteEntry.class);
        List<ConfigEntry> sorted = new ArrayList<>(entries);
        sorted.sort((x, y) -> Integer.compare(order.indexOf(x.getClass()), order.indexOf(y.getClass())));
        if (op == PlanStep.Op.REMOVE) {
            java.util.Collections.reverse(sorted);
        }
        return new Plan(NODE, sorted.stream().map(e -> new PlanStep(op, e)).toList());
    }

    private static Map<String, ConfigEntry> read(LinuxBridgeDriver driver) {
        return new TreeMap<>(driver.readActual(NODE).entries());
    }

    private boolean ping(String workload, String to) {
        return host.execute(Iproute2.inNamespace(workload, "ping", "-n", "-c", "1", "-W", "1", to), null)
                .exitCode() == 0;
    }

    @Test
    public void neitherInstanceReadsRepairsOrDeletesTheOthersNamespaces() {
        List<ConfigEntry> a = network(netA, "a", 31, wlA, wlA2);
        List<ConfigEntry> b = network(netB, "b", 32, wlB);
        assertEquals(Map.of(), first.apply(plan(PlanStep.Op.ADD, a)).failures());
        assertEquals(Map.of(), second.apply(plan(PlanStep.Op.ADD, b)).failures());
        Map<String, ConfigEntry> wantA = new TreeMap<>(NodeConfig.of(NODE, a).entries());
        Map<String, ConfigEntry> wantB = new TreeMap<>(NodeConfig.of(NODE, b).entries());

        // Each reads its own only: to a reconciler, the other's network is nothing to remove.
        assertEquals(wantA, read(first));
        assertEquals(wantB, read(second));
        String alias = host.run(Iproute2.inNamespace(KernelNames.routerNamespace(netA, NODE), "ip", "-o", "link",
                "show", "lo")).stdout();
        assertTrue(alias, alias.contains("netloom network " + netA + " one" + run + " " + NODE));
        assertTrue("A forwards", ping(wlA, "10.200.31.6"));

        // The second instance removes everything it holds (its model emptied): the first's network stays whole.
        assertEquals(Map.of(), second.apply(plan(PlanStep.Op.REMOVE, b)).failures());
        assertFalse(Iproute2.namespaceExists(KernelNames.routerNamespace(netB, NODE)));
        assertTrue(Iproute2.namespaceExists(KernelNames.routerNamespace(netA, NODE)));
        assertEquals(wantA, read(first));
        assertTrue("A still forwards", ping(wlA, "10.200.31.6"));
        assertEquals(Map.of(), read(second));

        // A copied model: the second instance asked for the first's network fails there and changes nothing.
        Map<String, String> failures = second.apply(plan(PlanStep.Op.ADD, a)).failures();
        assertFalse("refused", failures.isEmpty());
        assertTrue(failures.toString(), failures.values().stream().anyMatch(f -> f.contains("one" + run)));
        assertEquals(wantA, read(first));
        alias = host.run(Iproute2.inNamespace(KernelNames.routerNamespace(netA, NODE), "ip", "-o", "link", "show",
                "lo")).stdout();
        assertTrue(alias, alias.contains(" one" + run + " "));

        // Another node of the same instance (a host namespace sharing the kernel) leaves it alone too.
        Map<String, ConfigEntry> otherNode = new TreeMap<>(first.readActual("node-other").entries());
        assertEquals(Map.of(), otherNode);

        // Driven by its own instance, it is repaired and removed as before.
        assertEquals(Map.of(), first.apply(plan(PlanStep.Op.REMOVE, a)).failures());
        assertFalse(Iproute2.namespaceExists(KernelNames.routerNamespace(netA, NODE)));
    }

    @Test
    public void aNamespaceMadeBeforeOwnersWereRecordedIsAdoptedAndThenOwned() {
        List<ConfigEntry> a = network(netA, "a", 33, wlA);
        assertEquals(Map.of(), first.apply(plan(PlanStep.Op.ADD, a)).failures());
        // As an older Netloom left it: the alias names the network only.
        host.run(Iproute2.inNamespace(KernelNames.routerNamespace(netA, NODE), "ip", "link", "set", "dev", "lo",
                "alias", "netloom network " + netA));
        LinuxBridgeDriver upgraded = new LinuxBridgeDriver(host, 1, "one" + run);
        try {
            assertEquals(new TreeMap<>(NodeConfig.of(NODE, a).entries()), read(upgraded));
            // Its next write there records the owner.
            assertEquals(Map.of(), upgraded.apply(new Plan(NODE, List.of(new PlanStep(PlanStep.Op.ADD,
                    a.get(0))))).failures());
            String alias = host.run(Iproute2.inNamespace(KernelNames.routerNamespace(netA, NODE), "ip", "-o", "link",
                    "show", "lo")).stdout();
            assertTrue(alias, alias.contains("netloom network " + netA + " one" + run + " " + NODE));
            assertEquals(Map.of(), read(second));
        } finally {
            upgraded.deactivate();
        }
    }
}
