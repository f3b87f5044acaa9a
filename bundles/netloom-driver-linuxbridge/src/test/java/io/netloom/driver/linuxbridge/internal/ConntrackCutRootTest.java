package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
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
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.testing.TcpSession;

/**
 * Established connections obey a deny on the real kernel, as root: a server port admits TCP from the members of an
 * address set and from one client's address by a prefix rule; two clients hold long-lived sessions (a numbered line
 * every 100 ms). A member leaving the set, and then the prefix rule being removed, cuts that client's session at
 * once (no line written after the apply returns arrives), while the other client's session, still permitted, goes
 * on.
 */
public class ConntrackCutRootTest {

    private static final String NODE = "node-linuxbridge";
    /** How long the test watches the sessions after a change. */
    private static final long WATCH_MILLIS = 2000;

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final HostCommand host = new HostCommand();
    private final List<String> workloads = List.of("nlc" + run + "-s", "nlc" + run + "-c1", "nlc" + run + "-c2");
    private final String net = "net-c" + run;
    private final String set = "sg-c" + run + "set";
    private final List<TcpSession> sessions = new ArrayList<>();
    private LinuxBridgeDriver driver;

    @Before
    public void namespaces() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip, nft, conntrack and nc", HostCommand.locate("ip").isPresent()
                && HostCommand.locate("nft").isPresent() && HostCommand.locate("conntrack").isPresent()
                && HostCommand.locate("nc").isPresent());
        for (String ns : workloads) {
            host.run(List.of("ip", "netns", "add", ns));
        }
        driver = new LinuxBridgeDriver(host, 1);
    }

    @After
    public void cleanUp() throws Exception {
        for (TcpSession s : sessions) {
            s.close();
        }
        if (driver != null) {
            driver.deactivate();
        }
        List<String> namespaces = new ArrayList<>(workloads);
        namespaces.add(KernelNames.routerNamespace(net, NODE));
        for (String ns : namespaces) {
            if (Iproute2.namespaceExists(ns)) {
                host.execute(List.of("ip", "netns", "del", ns), null);
            }
        }
    }

    private PortEntry port(String name, String ip, int ns) {
        return new PortEntry("port-c" + run + name, net, "sub-c" + run, ip, String.format("02:00:0a:c8:05:%02x",
                ns + 16), "10.200.5.1", "netns", workloads.get(ns));
    }

    private FilterEntry admit(PortEntry server, int portMin, int portMax, String cidr, String remoteSet) {
        return new FilterEntry(new FilterRule("sg-c" + run + "/rule-" + portMin, server.port(), Direction.INGRESS,
                Protocol.TCP, portMin, portMax, cidr, RuleAction.ALLOW, 100, remoteSet));
    }

    private TcpSession session(int clientNs, int port) throws Exception {
        TcpSession s = TcpSession.start(workloads.get(0), "10.200.5.10", port, workloads.get(clientNs));
        sessions.add(s);
        assertTrue("the session to port " + port + " passes before the change", s.awaitReceived(3, 5000));
        return s;
    }

    private void apply(PlanStep.Op op, ConfigEntry entry) {
        assertEquals(Map.of(), driver.apply(new Plan(NODE, List.of(new PlanStep(op, entry)))).failures());
    }

    /**
     * Starts a session from c1 to {@code cutPort} and one from c2 to {@code keptPort}, and checks that removing
     * {@code entry} cuts the first and keeps the second.
     *
     * @return c2's session
     */
    private TcpSession removalCuts(ConfigEntry entry, int cutPort, int keptPort) throws Exception {
        TcpSession cut = session(1, cutPort);
        TcpSession kept = session(2, keptPort);
        TcpSession.assertCutKeeping(cut, kept, () -> apply(PlanStep.Op.REMOVE, entry), WATCH_MILLIS);
        return kept;
    }

    @Test
    public void aDenyCutsTheRefusedEstablishedSessionAndKeepsThePermittedOne() throws Exception {
        PortEntry server = port("s", "10.200.5.10", 0);
        PortEntry c1 = port("c1", "10.200.5.11", 1);
        PortEntry c2 = port("c2", "10.200.5.12", 2);
        FilterEntry fromSet = admit(server, 5001, 5002, null, set);
        FilterEntry c1ByPrefix = admit(server, 5003, 5003, c1.ip() + "/32", null);
        FilterEntry c2ByPrefix = admit(server, 5004, 5004, c2.ip() + "/32", null);
        AddressSetEntry memberC1 = new AddressSetEntry(set, c1.port(), c1.ip());
        AddressSetEntry memberC2 = new AddressSetEntry(set, c2.port(), c2.ip());
        // c1 admits TCP from the server: a packet the server sends after the cut, taken for a new connection from
        // the server to c1, must not revive c1's connection.
        FilterEntry c1AdmitsServer = new FilterEntry(new FilterRule("sg-c" + run + "/rule-back", c1.port(),
                Direction.INGRESS, Protocol.TCP, null, null, server.ip() + "/32", RuleAction.ALLOW, 100));
        List<ConfigEntry> adds = List.of(memberC1, memberC2, fromSet, c1ByPrefix, c2ByPrefix, c1AdmitsServer,
                new SegmentEntry(net, "sub-c" + run, "10.200.5.0/24", "10.200.5.1"), server, c1, c2,
                new RouteEntry(net, "10.200.5.0/24", "local", null, false));
        assertEquals(Map.of(), driver.apply(new Plan(NODE, adds.stream()
                .map(e -> new PlanStep(PlanStep.Op.ADD, e)).toList())).failures());

        // A member leaves the set: its session through the set rule is cut, the other member's goes on.
        TcpSession c2Set = removalCuts(memberC1, 5001, 5002);
        // A rule is removed: the session it admitted is cut, the one another rule admits goes on.
        removalCuts(c1ByPrefix, 5003, 5004);
        assertTrue("the member's session still passes", c2Set.awaitReceived(c2Set.sent() - 1, WATCH_MILLIS));
    }
}
