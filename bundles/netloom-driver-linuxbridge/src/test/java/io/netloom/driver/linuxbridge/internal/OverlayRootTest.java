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
import java.util.Optional;
import java.util.TreeMap;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.NetnsBinding;

/**
 * The VXLAN overlay on the real kernel, as root, with real packets: three hosts (network namespaces {@code nlh...}
 * joined by an underlay bridge in 10.200.250.0/24), each with its own Linux bridge driver (its node's router
 * namespaces, its tunnels' sockets in the host's namespace). Network A has two subnets with ports on hosts 1 and 2,
 * network B (peered with A) a port on host 3. Checks: same subnet, routed and peered traffic across hosts; a
 * security group deny enforced at the destination's host; nothing crosses the underlay for an unknown address or
 * for the gateway's ARP (no flooding, the gateway stays local) while a ping across hosts does; every host reads back
 * exactly what it was given (applying again changes nothing). Names carry a random run id: other tests may run at
 * the same time.
 */
public class OverlayRootTest {

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final HostCommand host = new HostCommand();
    private final String underlay = "nlh" + run + "u";
    private final List<String> hosts = List.of("nlh" + run + "1", "nlh" + run + "2", "nlh" + run + "3");
    private final List<String> nodes = List.of("node-t" + run + "1", "node-t" + run + "2", "node-t" + run + "3");
    /** pa1 on host 1; pa1b and pa2 on host 2; pb on host 3. */
    private final List<String> workloads = List.of("nlt" + run + "-1", "nlt" + run + "-2", "nlt" + run + "-3",
            "nlt" + run + "-4", "nlt" + run + "-5");
    private final String netA = "net-o" + run + "a";
    private final String netB = "net-o" + run + "b";
    private final List<LinuxBridgeDriver> drivers = new ArrayList<>();

    @Before
    public void hosts() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip, bridge and nft", HostCommand.locate("ip").isPresent()
                && HostCommand.locate("bridge").isPresent() && HostCommand.locate("nft").isPresent());
        host.run(List.of("ip", "netns", "add", underlay));
        quietIpv6(underlay);
        host.run(Iproute2.ip(Optional.of(underlay), "link", "add", "ubr", "type", "bridge"));
        host.run(Iproute2.ip(Optional.of(underlay), "link", "set", "ubr", "up"));
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            host.run(List.of("ip", "netns", "add", h));
            quietIpv6(h);
            host.run(List.of("ip", "-n", underlay, "link", "add", "uh" + i, "type", "veth", "peer", "name", "u0",
                    "netns", h));
            host.run(List.of("ip", "-n", underlay, "link", "set", "uh" + i, "master", "ubr", "up"));
            host.run(List.of("ip", "-n", h, "addr", "add", underlayAddress(i) + "/24", "dev", "u0"));
            host.run(List.of("ip", "-n", h, "link", "set", "u0", "up"));
            LinuxBridgeDriver driver = new LinuxBridgeDriver(host, 1);
            driver.underlay("u0", "", h);
            drivers.add(driver);
        }
        for (String w : workloads) {
            host.run(List.of("ip", "netns", "add", w));
        }
    }

    private void quietIpv6(String ns) {
        host.run(Iproute2.inNamespace(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"));
        host.run(Iproute2.inNamespace(ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"));
    }

    @After
    public void cleanUp() {
        drivers.forEach(LinuxBridgeDriver::deactivate);
        List<String> namespaces = new ArrayList<>(workloads);
        for (String node : nodes) {
            namespaces.add(KernelNames.routerNamespace(netA, node));
            namespaces.add(KernelNames.routerNamespace(netB, node));
        }
        namespaces.addAll(hosts);
        namespaces.add(underlay);
        for (String ns : namespaces) {
            if (Iproute2.namespaceExists(ns)) {
                host.execute(List.of("ip", "netns", "del", ns), null);
            }
        }
    }

    private static String underlayAddress(int host) {
        return "10.200.250." + (11 + host);
    }

    private String id(String name) {
        return name + "-o" + run;
    }

    private PortEntry port(String name, String network, String subnet, String ip, String mac, String gateway,
            int workload) {
        return new PortEntry(id(name), network, id(subnet), ip, mac, gateway, "netns", workloads.get(workload));
    }

    private List<PortEntry> ports() {
        return List.of(port("pa1", netA, "a1", "10.200.1.5", "02:00:0a:c8:01:05", "10.200.1.1", 0),
                port("pa1b", netA, "a1", "10.200.1.6", "02:00:0a:c8:01:06", "10.200.1.1", 1),
                port("pa2", netA, "a2", "10.200.2.5", "02:00:0a:c8:02:05", "10.200.2.1", 2),
                port("pb", netB, "b1", "10.200.17.5", "02:00:0a:c8:11:05", "10.200.17.1", 3));
    }

    /** Where each port is: pa1 on host 1, pa1b and pa2 on host 2, pb on host 3. */
    private static int hostOf(int port) {
        return port == 0 ? 0 : port < 3 ? 1 : 2;
    }

    private FilterEntry filter(String port, Direction d, Protocol p, String remote, RuleAction a) {
        return new FilterEntry(new FilterRule(id("sg") + "/" + port + d + p, id(port), d, p, null, null, remote, a,
                100));
    }

    /** What a host holds: every segment and route of A and B (its networks and their peers), its ports, tunnels. */
    private List<ConfigEntry> desired(int h) {
        List<ConfigEntry> e = new ArrayList<>();
        List<SegmentEntry> segments = List.of(new SegmentEntry(netA, id("a1"), "10.200.1.0/24", "10.200.1.1"),
                new SegmentEntry(netA, id("a2"), "10.200.2.0/24", "10.200.2.1"),
                new SegmentEntry(netB, id("b1"), "10.200.17.0/24", "10.200.17.1"));
        e.addAll(segments);
        e.add(new RouteEntry(netA, "10.200.0.0/20", "local", null, false));
        e.add(new RouteEntry(netB, "10.200.16.0/20", "local", null, false));
        e.add(new RouteEntry(netA, "10.200.16.0/20", "peering:" + id("peer"), netB, false));
        e.add(new RouteEntry(netB, "10.200.0.0/20", "peering:" + id("peer"), netA, false));
        for (int s = 0; s < segments.size(); s++) {
            e.add(new TunnelEntry(segments.get(s).network(), segments.get(s).subnet(), vni(s), underlayAddress(h)));
        }
        List<PortEntry> ports = ports();
        for (int p = 0; p < ports.size(); p++) {
            PortEntry port = ports.get(p);
            if (hostOf(p) == h) {
                e.add(port);
                String name = port.port().substring(0, port.port().indexOf("-o"));
                if (name.equals("pb")) {
                    // pb admits ICMP from subnet a1 only: pa2's pings are refused here, at the destination.
                    e.add(filter(name, Direction.INGRESS, Protocol.ICMP, "10.200.1.0/24", RuleAction.ALLOW));
                } else {
                    e.add(filter(name, Direction.INGRESS, Protocol.ANY, "10.200.0.0/16", RuleAction.ALLOW));
                }
            } else {
                int s = port.subnet().equals(id("a1")) ? 0 : port.subnet().equals(id("a2")) ? 1 : 2;
                e.add(new RemotePortEntry(port.port(), port.network(), port.subnet(), port.ip(), port.mac(), vni(s),
                        nodes.get(hostOf(p)), underlayAddress(hostOf(p))));
            }
        }
        return e;
    }

    private static int vni(int segment) {
        return 7100 + segment;
    }

    private Plan adds(int h) {
        return new Plan(nodes.get(h), desired(h).stream().map(e -> new PlanStep(PlanStep.Op.ADD, e)).toList());
    }

    private Map<String, ConfigEntry> keyed(List<ConfigEntry> entries) {
        Map<String, ConfigEntry> map = new TreeMap<>();
        entries.forEach(e -> map.put(e.key(), e));
        return map;
    }

    private boolean ping(int from, String to) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (host.execute(Iproute2.inNamespace(workloads.get(from), "ping", "-n", "-c", "1", "-W", "1", to), null)
                    .exitCode() == 0) {
                return true;
            }
        }
        return false;
    }

    private int mtu(int workload, String portId) {
        String json = host.run(List.of("ip", "-n", workloads.get(workload), "-j", "link", "show",
                NetnsBinding.namespaceDevice(portId))).stdout();
        return JsonParser.parseString(json).getAsJsonArray().get(0).getAsJsonObject().get("mtu").getAsInt();
    }

    private boolean connects(int from, String to, int port) throws InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (host.execute(Iproute2.inNamespace(workloads.get(from), "nc", "-z", "-w", "2", to,
                    Integer.toString(port)), null).exitCode() == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** VXLAN packets host {@code h} has sent, counted by a rule of the test's own in the host's namespace. */
    private long tunnelled(int h) {
        String json = host.run(Iproute2.inNamespace(hosts.get(h), "nft", "-j", "list", "table", "inet", "ovltest"))
                .stdout();
        for (JsonElement e : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("nftables")) {
            if (e.getAsJsonObject().has("rule")) {
                for (JsonElement x : e.getAsJsonObject().getAsJsonObject("rule").getAsJsonArray("expr")) {
                    if (x.getAsJsonObject().has("counter")) {
                        return x.getAsJsonObject().getAsJsonObject("counter").get("packets").getAsLong();
                    }
                }
            }
        }
        throw new AssertionError("no counter in " + json);
    }

    @Test
    public void portsOnThreeHostsReachEachOtherOverVxlanAndNothingFloods() throws Exception {
        for (int h = 0; h < hosts.size(); h++) {
            assertEquals("host " + (h + 1), Map.of(), drivers.get(h).apply(adds(h)).failures());
        }
        for (int h = 0; h < hosts.size(); h++) {
            assertEquals("host " + (h + 1) + " reads back what it was given: applying again changes nothing",
                    keyed(desired(h)), new TreeMap<>(drivers.get(h).readActual(nodes.get(h)).entries()));
        }
        assertTrue("pa1 (host 1) -> pa1b (host 2), same subnet", ping(0, "10.200.1.6"));
        assertTrue("pa1 (host 1) -> pa2 (host 2), routed at the source", ping(0, "10.200.2.5"));
        assertTrue("pa2 (host 2) -> pa1 (host 1), routed back", ping(2, "10.200.1.5"));
        assertTrue("pa1 (host 1) -> pb (host 3), over the peering", ping(0, "10.200.17.5"));
        assertTrue("pb (host 3) -> pa1b (host 2), over the peering", ping(3, "10.200.1.6"));
        assertFalse("pa2 (host 2) -> pb (host 3): pb's group refuses it on host 3", ping(2, "10.200.17.5"));
        Process listener = new ProcessBuilder(Iproute2.inNamespace(workloads.get(0), "nc", "-lk", "10.200.1.5",
                "8080")).redirectErrorStream(true).start();
        try {
            assertTrue("TCP pb (host 3) -> pa1 (host 1) over the peering: the reply is routed on host 1",
                    connects(3, "10.200.1.5", 8080));
            assertTrue("TCP pa1b (host 2) -> pa1 (host 1), same subnet", connects(1, "10.200.1.5", 8080));
        } finally {
            listener.destroyForcibly();
        }

        host.run(Iproute2.inNamespace(hosts.get(0), "nft", "-f", "-"), "table inet ovltest {\n  chain out {\n"
                + "    type filter hook output priority 0; policy accept;\n    udp dport 4789 counter\n  }\n}\n");
        long before = tunnelled(0);
        assertFalse("an address no port has", ping(0, "10.200.1.77"));
        host.run(Iproute2.inNamespace(workloads.get(0), "ip", "neigh", "flush", "all"));
        // The router answers no ping (its input chain drops all), but the ping resolves the gateway first.
        ping(0, "10.200.1.1");
        String bridgeMac = JsonParser.parseString(host.run(List.of("ip", "-n", KernelNames.routerNamespace(netA,
                nodes.get(0)), "-j", "link", "show", KernelNames.bridge(id("a1")))).stdout()).getAsJsonArray().get(0)
                .getAsJsonObject().get("address").getAsString();
        assertTrue("pa1 resolved its gateway to host 1's bridge", host.run(Iproute2.inNamespace(workloads.get(0),
                "ip", "neigh", "show", "10.200.1.1")).stdout().contains("lladdr " + bridgeMac));
        assertEquals("nothing entered a tunnel: no flooding, the gateway's ARP stayed local", before, tunnelled(0));
        assertTrue(ping(0, "10.200.1.6"));
        assertTrue("a ping across hosts does enter it", tunnelled(0) > before);

        assertEquals("workload veths leave room for VXLAN", 1450, mtu(0, id("pa1")));

        // A port added on host 1 later, as an incremental pass realises it: its own entries on host 1 (a plan
        // without overlay entries there) and one remote entry on host 2.
        PortEntry late = port("pa1c", netA, "a1", "10.200.1.7", "02:00:0a:c8:01:07", "10.200.1.1", 4);
        assertEquals(Map.of(), drivers.get(0).apply(new Plan(nodes.get(0), List.of(new PlanStep(PlanStep.Op.ADD,
                late), new PlanStep(PlanStep.Op.ADD, filter("pa1c", Direction.INGRESS, Protocol.ANY, "10.200.0.0/16",
                RuleAction.ALLOW))))).failures());
        assertEquals(Map.of(), drivers.get(1).apply(new Plan(nodes.get(1), List.of(new PlanStep(PlanStep.Op.ADD,
                new RemotePortEntry(late.port(), netA, late.subnet(), late.ip(), late.mac(), vni(0), nodes.get(0),
                        underlayAddress(0)))))).failures());
        assertEquals("a port made on a node with an overlay gets the overlay's MTU", 1450, mtu(4, late.port()));
        assertTrue("pa1b (host 2) -> the new port (host 1)", ping(1, "10.200.1.7"));

        // A remote port that leaves: its entries go, and it is no longer reached.
        RemotePortEntry gone = (RemotePortEntry) keyed(desired(0)).get(RemotePortEntry.keyOf(id("pa1b")));
        assertEquals(Map.of(), drivers.get(0).apply(new Plan(nodes.get(0), List.of(new PlanStep(PlanStep.Op.REMOVE,
                gone)))).failures());
        assertFalse(drivers.get(0).readActual(nodes.get(0)).entries().containsKey(gone.key()));
        assertFalse("pa1 -> pa1b once host 1 no longer knows it", ping(0, "10.200.1.6"));
        assertTrue("pa1 -> pa2 still", ping(0, "10.200.2.5"));
    }
}
