package io.netloom.itests.conformance;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.netloom.api.model.Protocol;

/**
 * The {@link NetnsReachabilityProbe} itself, without Karaf or any driver: two of its namespaces joined by a veth
 * pair by hand (10.200.251.0/24), then real pings, TCP connections and UDP datagrams, with nftables rules put in
 * one namespace to drop traffic and to make it stateful. Needs root, iproute2, nftables and ping; skipped otherwise.
 */
public class NetnsReachabilityProbeIT {

    private NetnsReachabilityProbe probe;
    private String x;
    private String y;
    private ScenarioPort px;
    private ScenarioPort py;

    @Before
    public void twoNamespacesJoinedByAVethPair() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        for (String tool : new String[] {"ip", "nft", "ping"}) {
            assumeTrue("needs " + tool, HostProcesses.installed(tool));
        }
        String prefix = NetnsReachabilityProbe.newRunPrefix();
        probe = new NetnsReachabilityProbe(prefix, () -> { });
        x = probe.namespace("x");
        y = probe.namespace("y");
        HostProcesses.run("ip", "-n", x, "link", "add", prefix + "x", "type", "veth", "peer", "name", prefix + "y",
                "netns", y);
        HostProcesses.run("ip", "-n", x, "addr", "add", "10.200.251.1/24", "dev", prefix + "x");
        HostProcesses.run("ip", "-n", y, "addr", "add", "10.200.251.2/24", "dev", prefix + "y");
        HostProcesses.run("ip", "-n", x, "link", "set", "dev", prefix + "x", "up");
        HostProcesses.run("ip", "-n", y, "link", "set", "dev", prefix + "y", "up");
        px = new ScenarioPort("x", "port-x", "10.200.251.1", "net");
        py = new ScenarioPort("y", "port-y", "10.200.251.2", "net");
    }

    @After
    public void removeEverything() {
        if (probe != null) {
            probe.close();
            assertFalse("namespace " + x + " removed", Files.exists(Path.of("/run/netns", x)));
            assertFalse("namespace " + y + " removed", Files.exists(Path.of("/run/netns", y)));
        }
    }

    private static void nft(String namespace, String... command) {
        String[] argv = new String[command.length + 1];
        argv[0] = "nft";
        System.arraycopy(command, 0, argv, 1, command.length);
        HostProcesses.run(HostProcesses.inNamespace(namespace, argv).toArray(new String[0]));
    }

    @Test
    public void aReachablePairDeliversEveryProtocolAndItsReplies() {
        for (Protocol p : new Protocol[] {Protocol.ICMP, Protocol.TCP, Protocol.UDP}) {
            int port = p == Protocol.ICMP ? 0 : 80;
            ReachabilityProbe.Outcome sent = probe.newFlow(px, py, p, port);
            assertTrue(sent.detail(), sent.delivered());
            ReachabilityProbe.Outcome reply = probe.reply(px, py, p, port);
            assertTrue(reply.detail(), reply.delivered());
            ReachabilityProbe.Outcome back = probe.newFlow(py, px, p, port);
            assertTrue(back.detail(), back.delivered());
        }
    }

    @Test
    public void anNftDropRuleInOneNamespaceStopsDelivery() {
        assertTrue(probe.newFlow(px, py, Protocol.ICMP, 0).delivered());
        nft(y, "add", "table", "inet", "probetest");
        nft(y, "add", "chain", "inet", "probetest", "input", "{ type filter hook input priority 0; policy accept; }");
        nft(y, "add", "rule", "inet", "probetest", "input", "icmp", "type", "echo-request", "drop");
        nft(y, "add", "rule", "inet", "probetest", "input", "tcp", "dport", "80", "drop");
        nft(y, "add", "rule", "inet", "probetest", "input", "udp", "dport", "53", "drop");
        probe.forgetFlows();
        long start = System.nanoTime();
        assertFalse(probe.newFlow(px, py, Protocol.ICMP, 0).delivered());
        assertFalse(probe.newFlow(px, py, Protocol.TCP, 80).delivered());
        assertFalse(probe.newFlow(px, py, Protocol.UDP, 53).delivered());
        assertTrue("a dropped flow costs about a second", System.nanoTime() - start < 10_000_000_000L);
        assertTrue("other ports still pass", probe.newFlow(px, py, Protocol.TCP, 81).delivered());
    }

    @Test
    public void aStatefulFirewallPassesRepliesOfHeldFlowsOnly() {
        // x accepts nothing but the replies of its own flows.
        nft(x, "add", "table", "inet", "probetest");
        nft(x, "add", "chain", "inet", "probetest", "input", "{ type filter hook input priority 0; policy drop; }");
        nft(x, "add", "rule", "inet", "probetest", "input", "ct", "state", "established,related", "accept");
        nft(x, "add", "rule", "inet", "probetest", "input", "iifname", "lo", "accept");
        for (Protocol p : new Protocol[] {Protocol.TCP, Protocol.UDP, Protocol.ICMP}) {
            int port = p == Protocol.ICMP ? 0 : 80;
            probe.forgetFlows();
            assertEquals(p + ": unsolicited reply", false, probe.reply(px, py, p, port).delivered());
            assertEquals(p + ": new flow", true, probe.newFlow(px, py, p, port).delivered());
            assertEquals(p + ": reply of the held flow", true, probe.reply(px, py, p, port).delivered());
            assertEquals(p + ": new flow the other way", false, probe.newFlow(py, px, p, port).delivered());
            probe.forgetFlows();
            assertEquals(p + ": reply once forgotten", false, probe.reply(px, py, p, port).delivered());
        }
    }
}
