package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.testing.TcpSession;

/**
 * Established connections obey a deny on a real userspace Open vSwitch, as root, through the engine as the driver
 * builds it (its datapath's conntrack reached through the control socket it finds beside the OVSDB socket): a server
 * port admits TCP from the members of an address set and from one client's address by a prefix rule; two clients
 * hold long-lived sessions. A member leaving the set, and then the prefix rule being removed, cuts that client's
 * session at once (no line written after the apply returns arrives), while the other client's session goes on.
 * Skipped without Open vSwitch, nc or root.
 */
public class ConntrackCutOnOvsTest {

    private static final String NODE = "node-ovs";
    private static final long WATCH_MILLIS = 2000;

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final String bridge = "brnlct" + run;
    private final SegmentEntry segment = new SegmentEntry("net-" + run, "sub-" + run, "10.200.93.0/24",
            "10.200.93.1");
    private final List<TcpSession> sessions = new ArrayList<>();
    private EngineOnOvs fixture;
    private OvsEngine engine;

    @After
    public void tearDown() throws Exception {
        try {
            for (TcpSession s : sessions) {
                s.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    private PortEntry port(String name, String ip, int n) throws Exception {
        String id = "pc" + run + name;
        String ns = "nlct" + run + "-" + name;
        fixture.namespaceFor(ns, id);
        return new PortEntry(id, segment.network(), segment.subnet(), ip, String.format("02:00:00:00:93:%02x", n),
                segment.gateway(), "netns", ns);
    }

    private FilterEntry admit(PortEntry server, int portMin, int portMax, String cidr, String remoteSet) {
        return new FilterEntry(new FilterRule("sg" + run + "/rule-" + portMin, server.port(), Direction.INGRESS,
                Protocol.TCP, portMin, portMax, cidr, RuleAction.ALLOW, 100, remoteSet));
    }

    private void apply(PlanStep.Op op, List<ConfigEntry> entries) {
        assertEquals(Map.of(), engine.apply(new Plan(NODE, entries.stream().map(e -> new PlanStep(op, e)).toList()))
                .failures());
    }

    private TcpSession session(PortEntry server, PortEntry client, int port) throws Exception {
        TcpSession s = TcpSession.start(server.bindingTarget(), server.ip(), port, client.bindingTarget());
        sessions.add(s);
        assertTrue("the session to port " + port + " passes before the change", s.awaitReceived(3, 5000));
        return s;
    }

    @Test
    public void aDenyCutsTheRefusedEstablishedSessionAndKeepsThePermittedOne() throws Exception {
        assumeTrue(OvsDaemons.available());
        assumeTrue("needs nc", HostCommand.locate("nc").isPresent());
        fixture = EngineOnOvs.start("nl-ctcut-", bridge);
        String remote = "unix:" + fixture.ovs().socket();
        engine = new OvsEngine(fixture.flows(), fixture.db(), new NetnsPlumbing(true),
                new DatapathConntrack(new HostCommand(),
                VswitchdControl.beside(remote)::requireSocket), Duration.ZERO);

        PortEntry server = port("s", "10.200.93.10", 16);
        PortEntry c1 = port("c1", "10.200.93.11", 17);
        PortEntry c2 = port("c2", "10.200.93.12", 18);
        String set = "sg" + run + "set";
        FilterEntry fromSet = admit(server, 5001, 5002, null, set);
        FilterEntry c1ByPrefix = admit(server, 5003, 5003, c1.ip() + "/32", null);
        FilterEntry c2ByPrefix = admit(server, 5004, 5004, c2.ip() + "/32", null);
        AddressSetEntry memberC1 = new AddressSetEntry(set, c1.port(), c1.ip());
        AddressSetEntry memberC2 = new AddressSetEntry(set, c2.port(), c2.ip());
        // c1 admits TCP from the server: a packet the server sends after the cut must not revive c1's connection.
        FilterEntry c1AdmitsServer = new FilterEntry(new FilterRule("sg" + run + "/rule-back", c1.port(),
                Direction.INGRESS, Protocol.TCP, null, null, server.ip() + "/32", RuleAction.ALLOW, 100));
        List<ConfigEntry> desired = List.of(memberC1, memberC2, fromSet, c1ByPrefix, c2ByPrefix, c1AdmitsServer,
                segment, server, c1, c2, new RouteEntry(segment.network(), segment.cidr(), "local", null, false));
        apply(PlanStep.Op.ADD, desired);
        // A port the switch numbers late is finished by the next apply, as the reconciler would.
        EngineOnOvs.awaitTrue("everything realised", () -> {
            Map<String, ConfigEntry> actual = engine.readActual(NODE).entries();
            List<ConfigEntry> missing = desired.stream().filter(e -> !actual.containsKey(e.key())).toList();
            if (!missing.isEmpty()) {
                apply(PlanStep.Op.ADD, missing);
            }
            return missing.isEmpty();
        });

        // A member leaves the set: its session through the set rule is cut, the other member's goes on.
        TcpSession c1Set = session(server, c1, 5001);
        TcpSession c2Set = session(server, c2, 5002);
        TcpSession.assertCutKeeping(c1Set, c2Set, () -> apply(PlanStep.Op.REMOVE, List.of(memberC1)),
                WATCH_MILLIS);
        // A rule is removed: the session it admitted is cut, the one another rule admits goes on.
        TcpSession c1Prefix = session(server, c1, 5003);
        TcpSession c2Prefix = session(server, c2, 5004);
        TcpSession.assertCutKeeping(c1Prefix, c2Prefix, () -> apply(PlanStep.Op.REMOVE, List.of(c1ByPrefix)),
                WATCH_MILLIS);
        assertTrue("the member's session still passes", c2Set.awaitReceived(c2Set.sent() - 1, WATCH_MILLIS));
    }
}
