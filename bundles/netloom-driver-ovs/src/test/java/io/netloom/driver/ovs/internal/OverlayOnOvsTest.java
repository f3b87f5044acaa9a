package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

import io.netloom.api.driver.ApplyResult;
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

/**
 * The VXLAN overlay with real packets: three hosts, each a network namespace with its own userspace Open vSwitch
 * (integration bridge made by the driver, {@code br-phy} holding the underlay veth with the host's underlay address)
 * and its own {@link OvsEngine}, joined by a Linux bridge in a fourth namespace (10.200.250.0/24). Ports of network A
 * (two subnets) on hosts 1 and 2 and of network B (peered with A) on host 3 ping each other within a subnet, across
 * subnets and over the peering, and connect over TCP; the destination port's ingress rules refuse on its host; ARP
 * for an unknown address and for the gateway puts nothing on the underlay; each host reads back exactly what it was
 * given. Skipped without Open vSwitch or root.
 */
public class OverlayOnOvsTest {

    private static final String BRIDGE = "nlovbr";
    private static final String PHY = "brphy";
    private static final Pattern MAC = Pattern.compile("link/ether ([0-9a-f:]{17})");

    private final String sfx = String.format("%04x", ProcessHandle.current().pid() & 0xffff);
    private final String underlay = "nlovu" + sfx;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();

    /** One host: its namespace, daemons, connections and engine. */
    private static final class Host {
        final String ns;
        final String address;
        OvsDaemons ovs;
        OvsdbBridgeDb db;
        OpenFlowSwitch flows;
        OvsEngine engine;
        String mac;

        Host(String ns, String address) {
            this.ns = ns;
            this.address = address;
        }
    }

    @After
    public void tearDown() throws Exception {
        for (Host h : hosts) {
            if (h.flows != null) {
                h.flows.close();
            }
            if (h.db != null) {
                h.db.close();
            }
            if (h.ovs != null) {
                h.ovs.close();
            }
        }
        for (String ns : namespaces) {
            EngineOnOvs.run("ip", "netns", "del", ns);
        }
    }

    @Test
    public void portsOnThreeHostsReachEachOtherOverTheTunnelAndOnlyAsTheirRulesAllow() throws Exception {
        assumeTrue(OvsDaemons.available());
        long t0 = System.nanoTime();
        netns(underlay);
        sh("ip", "-n", underlay, "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", underlay, "link", "set", "br0", "up");
        // Counts the VXLAN packets crossing the underlay, as they cross (port statistics of a tunnel lag).
        sh("ip", "netns", "exec", underlay, "nft", "add", "table", "bridge", "nlov");
        sh("ip", "netns", "exec", underlay, "nft", "add", "chain", "bridge", "nlov", "counted", "{", "type", "filter",
                "hook", "forward", "priority", "0", ";", "}");
        sh("ip", "netns", "exec", underlay, "nft", "add", "rule", "bridge", "nlov", "counted", "udp", "dport", "4789",
                "counter");
        Host h1 = host(1);
        Host h2 = host(2);
        Host h3 = host(3);

        SegmentEntry a1 = new SegmentEntry("A", "a1", "10.200.81.0/24", "10.200.81.1");
        SegmentEntry a2 = new SegmentEntry("A", "a2", "10.200.82.0/24", "10.200.82.1");
        SegmentEntry b1 = new SegmentEntry("B", "b1", "10.200.97.0/24", "10.200.97.1");
        Map<String, Integer> vnis = Map.of("a1", 7101, "a2", 7102, "b1", 7117);
        // Every host holds A and B (peered with A), as the reconciler gives them to the nodes of either.
        List<ConfigEntry> common = List.of(a1, a2, b1, new RouteEntry("A", "10.200.80.0/20", "local", null, false),
                new RouteEntry("B", "10.200.96.0/20", "local", null, false),
                new RouteEntry("A", "10.200.96.0/20", "peering:ab", "B", false),
                new RouteEntry("B", "10.200.80.0/20", "peering:ab", "A", false));
        PortEntry pa1 = port("pa1", a1, "10.200.81.10");
        PortEntry pa2 = port("pa2", a2, "10.200.82.10");
        PortEntry pa3 = port("pa3", a1, "10.200.81.13");
        PortEntry pa4 = port("pa4", a1, "10.200.81.14");
        PortEntry pb = port("pb", b1, "10.200.97.10");
        Map<PortEntry, Host> placed = new LinkedHashMap<>();
        placed.put(pa1, h1);
        placed.put(pa2, h2);
        placed.put(pa3, h2);
        placed.put(pa4, h2);
        placed.put(pb, h3);
        Map<Host, List<ConfigEntry>> desired = new LinkedHashMap<>();
        for (Host h : hosts) {
            List<ConfigEntry> entries = new ArrayList<>(common);
            for (SegmentEntry segment : List.of(a1, a2, b1)) {
                entries.add(new TunnelEntry(segment.network(), segment.subnet(), vnis.get(segment.subnet()),
                        h.address));
            }
            placed.forEach((port, on) -> {
                if (on == h) {
                    entries.add(port);
                    entries.add(allow(port, port == pa3 ? "10.200.82.0/24" : "10.200.0.0/16"));
                } else {
                    entries.add(new RemotePortEntry(port.port(), port.network(), port.subnet(), port.ip(),
                            port.mac(), vnis.get(port.subnet()), "node" + on.ns, on.address));
                }
            });
            desired.put(h, entries);
            assertEquals(Map.of(), apply(h, entries).failures());
        }
        // The driver made br-phy, its address and the drop on u0 (the host stack would answer ARP for br-phy's
        // address there too); it does not seed tunnel neighbours, so the test does: no first packet is lost.
        for (Host h : hosts) {
            assertEquals(h.mac, h.ovs.vsctl("get", "Bridge", PHY, "other_config:hwaddr").trim().replace("\"", ""));
            assertTrue(sh("ip", "-n", h.ns, "addr", "show", "dev", PHY).contains(h.address + "/24"));
            assertTrue(sh("ip", "netns", "exec", h.ns, "nft", "list", "table", "netdev", PhyUnderlay.TABLE)
                    .contains("policy drop"));
            for (Host other : hosts) {
                if (other != h) {
                    h.ovs.appctl("tnl/neigh/set", PHY, other.address, other.mac);
                }
            }
        }
        List<ConfigEntry> one = desired.get(h1);
        List<ConfigEntry> two = desired.get(h2);
        assertTrue("pa1 (host 1) -> pb (host 3), over the peering", ping(pa1, "10.200.97.10"));
        assertTrue("pb (host 3) -> pa4 (host 2), over the peering", ping(pb, "10.200.81.14"));
        assertTrue("host 3 reads back what it was given",
                asMap(desired.get(h3)).equals(h3.engine.readActual("h3").entries()));
        String links = sh("ip", "-n", workload(pa1), "-o", "link", "show");
        assertTrue(links, links.contains("mtu 1450"));

        assertTrue("same subnet, across hosts", ping(pa1, "10.200.81.14"));
        assertTrue("across subnets and hosts, routed at the source", ping(pa1, "10.200.82.10"));
        assertTrue("back from host 2", ping(pa4, "10.200.81.10"));
        assertTrue("pa3 accepts a2", ping(pa2, "10.200.81.13"));
        assertTrue("pa3 refuses a1 on its own host", !ping(pa1, "10.200.81.13"));

        Process listener = new ProcessBuilder("ip", "netns", "exec", workload(pa1), "nc", "-lk", "10.200.81.10",
                "8080").redirectErrorStream(true).start();
        try {
            // TCP needs the workload's checksums filled in before the userspace datapath tunnels it.
            assertTrue("TCP pa4 (host 2) -> pa1 (host 1), same subnet", connects(pa4, "10.200.81.10"));
            assertTrue("TCP pa2 (host 2) -> pa1 (host 1), routed", connects(pa2, "10.200.81.10"));
        } finally {
            listener.destroyForcibly();
        }

        long before = vxlanPackets();
        sh("ip", "-n", workload(pa1), "neigh", "flush", "all");
        assertTrue("nothing answers an unknown address", !ping(pa1, "10.200.81.99"));
        ping(pa1, "10.200.81.1");
        assertTrue("pa1 resolved its gateway locally", sh("ip", "-n", workload(pa1), "neigh", "show", "10.200.81.1")
                .contains("lladdr " + Pipeline.macText(Pipeline.gatewayMac("a1"))));
        assertEquals("neither the gateway's ARP nor an unknown address entered the tunnel", before, vxlanPackets());
        assertTrue(ping(pa1, "10.200.81.14"));
        assertTrue("a ping across hosts does", vxlanPackets() >= before + 4);

        // A tunnel from an address this host does not hold is refused with the reason, and nothing else changes.
        TunnelEntry stray = new TunnelEntry("A", "a9", 7109, "10.200.250.99");
        ApplyResult refused = h1.engine.apply(new Plan("h1", List.of(new PlanStep(PlanStep.Op.ADD, stray))));
        assertTrue(refused.failures().toString(), refused.failures().get(stray.key()).contains("10.200.250.99"));
        assertEquals("host 1 reads back what it was given", asMap(one), h1.engine.readActual("h1").entries());
        assertEquals("host 2 reads back what it was given", asMap(two), h2.engine.readActual("h2").entries());
        assertTrue("took " + (System.nanoTime() - t0) / 1_000_000 + " ms",
                System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60));
    }

    private Host host(int i) throws Exception {
        Host h = new Host("nlovh" + i + sfx, "10.200.250." + (10 + i));
        hosts.add(h);
        netns(h.ns);
        sh("ip", "-n", underlay, "link", "add", "hv" + i, "type", "veth", "peer", "name", "u0", "netns", h.ns);
        sh("ip", "-n", underlay, "link", "set", "hv" + i, "master", "br0", "up");
        sh("ip", "-n", h.ns, "link", "set", "lo", "up");
        sh("ip", "-n", h.ns, "link", "set", "u0", "up");
        Matcher mac = MAC.matcher(sh("ip", "-n", h.ns, "-o", "link", "show", "dev", "u0"));
        assertTrue(mac.find());
        h.mac = mac.group(1);
        h.ovs = OvsDaemons.startIn("nlov-h" + i + "-", h.ns);
        h.db = new OvsdbBridgeDb("unix:" + h.ovs.socket(), BRIDGE, "netdev", null, "ovtest" + i);
        h.db.start();
        EngineOnOvs.awaitTrue("connected to OVSDB", h.db::connected);
        h.db.ensureBridge();
        h.flows = new OpenFlowSwitch("unix:" + h.ovs.dir().resolve(BRIDGE + ".mgmt"));
        h.flows.start();
        EngineOnOvs.awaitTrue("connected over OpenFlow", h.flows::connected);
        h.engine = new OvsEngine(h.flows, h.db, new NetnsPlumbing(true, Optional.of(h.ns)), Duration.ZERO)
                .underlay(new PhyUnderlay(h.db, PHY, "u0", h.address + "/24", Optional.of(h.ns),
                        new OvsRouteUnderlay(VswitchdControl.beside("unix:" + h.ovs.socket()), h.db::bridgeNames,
                                true)));
        return h;
    }

    private PortEntry port(String name, SegmentEntry segment, String ip) throws Exception {
        String id = name + sfx;
        String last = ip.substring(ip.lastIndexOf('.') + 1);
        String mac = String.format("02:00:00:%02x:%02x:%02x", (int) segment.subnet().charAt(0),
                Integer.parseInt(segment.subnet().substring(1)), Integer.parseInt(last));
        PortEntry port = new PortEntry(id, segment.network(), segment.subnet(), ip, mac, segment.gateway(), "netns",
                "nlovp" + id);
        netns(workload(port));
        return port;
    }

    private static String workload(PortEntry port) {
        return port.bindingTarget();
    }

    private static FilterEntry allow(PortEntry port, String from) {
        return new FilterEntry(new FilterRule("g/" + port.port() + from, port.port(), Direction.INGRESS, Protocol.ANY,
                null, null, from, RuleAction.ALLOW, 1000));
    }

    private static ApplyResult apply(Host h, List<ConfigEntry> entries) {
        // As the reconciler does: a read first, which installs the base flows.
        assertEquals(Map.of(), h.engine.readActual("h").entries());
        return h.engine.apply(new Plan("h", entries.stream().map(e -> new PlanStep(PlanStep.Op.ADD, e)).toList()));
    }

    private static Map<String, ConfigEntry> asMap(List<ConfigEntry> entries) {
        Map<String, ConfigEntry> map = new HashMap<>();
        entries.forEach(e -> map.put(e.key(), e));
        return map;
    }

    private long vxlanPackets() throws Exception {
        String out = sh("ip", "netns", "exec", underlay, "nft", "list", "chain", "bridge", "nlov", "counted");
        Matcher packets = Pattern.compile("packets (\\d+)").matcher(out);
        assertTrue(out, packets.find());
        return Long.parseLong(packets.group(1));
    }

    private static boolean connects(PortEntry from, String to) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (run("ip", "netns", "exec", workload(from), "nc", "-z", "-w", "2", to, "8080")) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static boolean ping(PortEntry from, String to) throws Exception {
        return run("ip", "netns", "exec", workload(from), "ping", "-c", "2", "-i", "0.2", "-W", "1", to);
    }

    private void netns(String ns) throws Exception {
        EngineOnOvs.run("ip", "netns", "del", ns);
        sh("ip", "netns", "add", ns);
        namespaces.add(ns);
    }

    private static boolean run(String... command) {
        try {
            return EngineOnOvs.run(command);
        } catch (Exception e) {
            return false;
        }
    }

    private static String sh(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " timed out", process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + out, 0, process.exitValue());
        return out;
    }
}
