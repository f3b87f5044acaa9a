package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
 * The engine as the driver builds it (OVSDB, namespace plumbing, OpenFlow) on a real userspace Open vSwitch, with a
 * plan as the reconciler orders it for a group whose rule references its own address set: everything reads back as
 * applied, before and after a restart of the engine, and membership changes decide who gets through. Skipped without
 * Open vSwitch or root.
 */
public class OvsEngineOnOvsTest {

    private static final String NODE = "node-ovs";
    private static final String BRIDGE = "brnleng";
    private static final SegmentEntry SEGMENT = new SegmentEntry("A", "s1", "10.200.91.0/24", "10.200.91.1");

    private EngineOnOvs fixture;

    @After
    public void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    public void membersAndSetRulesReadBackAsAppliedAndMembershipDecidesWhoGetsThrough() throws Exception {
        assumeTrue(OvsDaemons.available());
        fixture = EngineOnOvs.start("nl-engine-", BRIDGE);
        PortEntry h1 = port("eh1", "10.200.91.10", "02:00:00:00:91:10");
        PortEntry h2 = port("eh2", "10.200.91.11", "02:00:00:00:91:11");
        PortEntry srv = port("esrv", "10.200.91.20", "02:00:00:00:91:20");
        OpenFlowSwitch flows = fixture.flows();
        OvsdbBridgeDb db = fixture.db();
        OvsEngine engine = new OvsEngine(flows, db, new NetnsPlumbing(true), Duration.ZERO);

        FilterEntry fromWeb = new FilterEntry(new FilterRule("web/in", "esrv", Direction.INGRESS, Protocol.ANY, null,
                null, null, RuleAction.ALLOW, 1000, "web"));
        AddressSetEntry h1Web = member(h1);
        // In the reconciler's order: members, filters, segments, ports, routes.
        List<ConfigEntry> desired = new ArrayList<>(List.of(h1Web, fromWeb, SEGMENT, h1, h2, srv,
                new RouteEntry("A", "10.200.91.0/24", "local", null, false)));
        apply(engine, desired.stream().map(e -> new PlanStep(PlanStep.Op.ADD, e)).toList());
        assertEquals(keys(desired), engine.readActual(NODE).entries().keySet());

        assertTrue("a member is admitted", ping(h1, srv, true));
        assertEquals("a non-member is refused", false, ping(h2, srv, false));

        AddressSetEntry h2Web = member(h2);
        apply(engine, List.of(new PlanStep(PlanStep.Op.ADD, h2Web)));
        assertTrue("a member added is admitted", ping(h2, srv, true));
        apply(engine, List.of(new PlanStep(PlanStep.Op.REMOVE, h1Web)));
        fixture.ovs().appctl("dpctl/flush-conntrack");
        assertEquals("a member removed is refused", false, ping(h1, srv, false));
        desired.remove(h1Web);
        desired.add(h2Web);
        assertEquals(keys(desired), engine.readActual(NODE).entries().keySet());

        OvsEngine restarted = new OvsEngine(flows, db, new NetnsPlumbing(true), Duration.ZERO);
        restarted.adopt(engine.journal());
        assertEquals("a restarted driver finds everything applied", keys(desired),
                restarted.readActual(NODE).entries().keySet());
        assertTrue(ping(h2, srv, true));
    }

    private PortEntry port(String id, String ip, String mac) throws Exception {
        String ns = "nleng-" + id;
        fixture.namespaceFor(ns, id);
        return new PortEntry(id, "A", "s1", ip, mac, SEGMENT.gateway(), "netns", ns);
    }

    private static AddressSetEntry member(PortEntry port) {
        return new AddressSetEntry("web", port.port(), port.ip());
    }

    private static void apply(OvsEngine engine, List<PlanStep> steps) {
        assertEquals(Map.of(), engine.apply(new Plan(NODE, steps)).failures());
    }

    private static Set<String> keys(List<ConfigEntry> entries) {
        return entries.stream().map(ConfigEntry::key).collect(Collectors.toSet());
    }

    /** Pings once, or, when a reply is expected, up to three times (the first may race the namespace's setup). */
    private static boolean ping(PortEntry from, PortEntry to, boolean expected) throws Exception {
        for (int attempt = 0; attempt < (expected ? 3 : 1); attempt++) {
            if (EngineOnOvs.run("ip", "netns", "exec", from.bindingTarget(), "ping", "-c", "1", "-W", "1", to.ip())) {
                return true;
            }
        }
        return false;
    }
}
