package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.model.Direction;
import io.netloom.api.model.Port;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class StatefulPathTest {

    private FakeModel model;
    private FirewallManager firewall;
    private StatefulPath path;
    private Port client;
    private Port server;

    @Before
    public void setUp() {
        model = new FakeModel();
        model.network("net", "10.0.0.0/16");
        model.group("web");
        model.group("clients");
        model.rule("web", Direction.INGRESS, Protocol.TCP, 443, 443, null, "clients", RuleAction.ALLOW, 100);
        firewall = new FirewallManager(model, model, model, model);
        firewall.activate();
        model.listen(firewall);
        client = model.port("client", "net", "10.0.0.5", "clients");
        server = model.port("server", "net", "10.0.0.10", "web");
        path = new StatefulPath(firewall::decide);
    }

    @Test
    public void replyOfAnAllowedFlowPassesAlthoughNoRuleAllowsIt() {
        StatefulPath.Transit request = path.send(client, server, Protocol.TCP, 40_000, 443);
        assertTrue(request.passes());
        assertEquals(RuleAction.ALLOW, request.atDestination().orElseThrow().action());

        // The client's group has no ingress rule: only the tracked flow lets the answer in.
        StatefulPath.Transit reply = path.send(server, client, Protocol.TCP, 443, 40_000);
        assertTrue(reply.passes());
        assertTrue(reply.reply());
        assertEquals(1, path.establishedCount());
    }

    @Test
    public void unsolicitedInboundIsBlocked() {
        StatefulPath.Transit unsolicited = path.send(server, client, Protocol.TCP, 443, 40_000);
        assertFalse(unsolicited.passes());
        assertFalse(unsolicited.reply());
        assertEquals("default deny ingress", unsolicited.atDestination().orElseThrow().reason());
    }

    @Test
    public void onlyTheExactReverseOfAFlowCountsAsItsReply() {
        assertTrue(path.send(client, server, Protocol.TCP, 40_000, 443).passes());
        assertFalse(path.send(server, client, Protocol.TCP, 443, 40_001).passes());
        assertFalse(path.send(server, client, Protocol.UDP, 443, 40_000).passes());
    }

    @Test
    public void deniedRequestsLeaveNoStateBehind() {
        assertFalse(path.send(client, server, Protocol.TCP, 40_000, 22).passes());
        assertFalse(path.send(server, client, Protocol.TCP, 22, 40_000).passes());
        assertEquals(0, path.establishedCount());
    }

    @Test
    public void egressDenialStopsAFlowAtTheSource() {
        model.rule("clients", Direction.EGRESS, Protocol.TCP, 443, 443, null, null, RuleAction.DENY, 100);
        StatefulPath.Transit request = path.send(client, server, Protocol.TCP, 40_000, 443);
        assertFalse(request.passes());
        assertEquals(RuleAction.DENY, request.atSource().orElseThrow().action());
        assertTrue(request.atDestination().isEmpty());
    }

    @Test
    public void icmpRepliesPassWithoutPorts() {
        model.rule("web", Direction.INGRESS, Protocol.ICMP, null, null, "10.0.0.0/16", null, RuleAction.ALLOW, 100);
        assertTrue(path.send(client, server, Protocol.ICMP, 0, 0).passes());
        assertTrue(path.send(server, client, Protocol.ICMP, 0, 0).reply());
        path.clear();
        assertFalse(path.send(server, client, Protocol.ICMP, 0, 0).passes());
    }
}
