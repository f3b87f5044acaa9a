package io.netloom.api.driver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import io.netloom.api.driver.ConnectionPolicy.Connection;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class ConnectionPolicyTest {

    private static final PortEntry A = port("a", "10.200.1.2");
    private static final PortEntry B = port("b", "10.200.1.3");
    private static final Connection A_TO_B_SSH = new Connection(Protocol.TCP, "10.200.1.2", "10.200.1.3", 22);

    private static PortEntry port(String id, String ip) {
        return new PortEntry(id, "net", "sub", ip, "02:00:00:00:00:0" + id.length(), "10.200.1.1", null, null);
    }

    private static FilterEntry rule(String port, Direction direction, Protocol protocol, Integer min, Integer max,
            String cidr, RuleAction action, int priority) {
        return new FilterEntry(new FilterRule("g/" + port + direction + priority, port, direction, protocol, min, max,
                cidr, action, priority));
    }

    private static FilterEntry fromSet(String port, String set, RuleAction action, int priority) {
        return new FilterEntry(new FilterRule("g/set" + priority, port, Direction.INGRESS, Protocol.ANY, null, null,
                null, action, priority, set));
    }

    private static ConnectionPolicy policy(ConfigEntry... rules) {
        List<ConfigEntry> entries = new ArrayList<>(List.of(A, B));
        entries.addAll(List.of(rules));
        return ConnectionPolicy.of(entries);
    }

    @Test
    public void ingressWithoutAnAllowingRuleIsRefused() {
        Optional<String> refusal = policy().refusal("b", A_TO_B_SSH);
        assertEquals(Optional.of("no ingress rule of port b allows it"), refusal);
    }

    @Test
    public void egressWithoutRulesIsPermitted() {
        assertEquals(Optional.empty(), policy().refusal("a", A_TO_B_SSH));
    }

    @Test
    public void anAllowingRuleOfTheRightPortRangeAndPrefixPermits() {
        ConnectionPolicy policy = policy(rule("b", Direction.INGRESS, Protocol.TCP, 20, 30, "10.200.1.0/24",
                RuleAction.ALLOW, 100));
        assertEquals(Optional.empty(), policy.refusal("b", A_TO_B_SSH));
        assertTrue(policy.refusal("b", new Connection(Protocol.TCP, "10.200.1.2", "10.200.1.3", 80)).isPresent());
        assertTrue(policy.refusal("b", new Connection(Protocol.UDP, "10.200.1.2", "10.200.1.3", 22)).isPresent());
        assertTrue(policy.refusal("b", new Connection(Protocol.TCP, "10.200.2.2", "10.200.1.3", 22)).isPresent());
    }

    @Test
    public void aDenyWinsAtEqualPriorityAndALowerPriorityValueFirst() {
        FilterEntry allow = rule("b", Direction.INGRESS, Protocol.ANY, null, null, "0.0.0.0/0", RuleAction.ALLOW, 100);
        FilterEntry deny = rule("b", Direction.INGRESS, Protocol.TCP, 22, null, "10.200.1.2/32", RuleAction.DENY, 100);
        assertEquals(Optional.of("denied at ingress of port b by rule " + deny.rule().cookie()),
                policy(allow, deny).refusal("b", A_TO_B_SSH));
        FilterEntry earlierAllow = rule("b", Direction.INGRESS, Protocol.ANY, null, null, "0.0.0.0/0",
                RuleAction.ALLOW, 50);
        assertEquals(Optional.empty(), policy(earlierAllow, deny).refusal("b", A_TO_B_SSH));
    }

    @Test
    public void aConnectionIsJudgedByTheEgressOfItsSource() {
        ConnectionPolicy policy = policy(rule("a", Direction.EGRESS, Protocol.TCP, 22, 22, "10.200.1.3/32",
                RuleAction.DENY, 10));
        assertTrue(policy.refusal("a", A_TO_B_SSH).get().startsWith("denied at egress of port a"));
        // The reply direction is not a new connection: b's egress is not consulted for a's connection.
        assertEquals(Optional.empty(), policy.refusal("a",
                new Connection(Protocol.TCP, "10.200.1.3", "10.200.1.2", 22)).filter(r -> r.contains("egress")));
    }

    @Test
    public void aRangedRuleNeverMatchesIcmp() {
        ConnectionPolicy policy = policy(rule("b", Direction.INGRESS, Protocol.ANY, 1, 65535, "0.0.0.0/0",
                RuleAction.ALLOW, 10));
        assertTrue(policy.refusal("b", new Connection(Protocol.ICMP, "10.200.1.2", "10.200.1.3", 0)).isPresent());
        assertFalse(policy.refusal("b", new Connection(Protocol.UDP, "10.200.1.2", "10.200.1.3", 53)).isPresent());
    }

    @Test
    public void setMembershipDecidesASetRule() {
        FilterEntry allow = fromSet("b", "grp", RuleAction.ALLOW, 10);
        AddressSetEntry member = new AddressSetEntry("grp", "a", "10.200.1.2");
        assertEquals(Optional.empty(), policy(allow, member).refusal("b", A_TO_B_SSH));
        assertTrue("an emptied set matches nothing", policy(allow).refusal("b", A_TO_B_SSH).isPresent());
    }

    @Test
    public void aConnectionNotOfThePortIsNoneOfItsBusiness() {
        assertEquals(Optional.empty(), policy().refusal("b",
                new Connection(Protocol.TCP, "10.200.1.2", "10.200.1.9", 22)));
        assertEquals(Optional.empty(), policy().refusal("nowhere", A_TO_B_SSH));
    }

    @Test
    public void affectedPortsAreThoseWhosePermissionsAChangeMayNarrow() {
        FilterEntry bFromSet = fromSet("b", "grp", RuleAction.ALLOW, 10);
        FilterEntry aDenyToSet = fromSet("a", "bad", RuleAction.DENY, 5);
        FilterEntry aDeny = rule("a", Direction.EGRESS, Protocol.TCP, 22, null, "0.0.0.0/0", RuleAction.DENY, 1);
        FilterEntry aAllow = rule("a", Direction.INGRESS, Protocol.TCP, 80, null, "0.0.0.0/0", RuleAction.ALLOW, 1);
        List<ConfigEntry> after = List.of(A, B, bFromSet, aDenyToSet);
        List<PlanStep> memberLeft = List.of(new PlanStep(PlanStep.Op.REMOVE,
                new AddressSetEntry("grp", "a", "10.200.1.2")));
        assertEquals("an allow over the set matches less", Set.of("b"),
                ConnectionPolicy.affectedPorts(memberLeft, after));
        List<PlanStep> memberJoined = List.of(new PlanStep(PlanStep.Op.ADD,
                new AddressSetEntry("grp", "a", "10.200.1.2")));
        assertEquals("an allow over the set matches more: nothing to cut", Set.of(),
                ConnectionPolicy.affectedPorts(memberJoined, after));
        List<PlanStep> joinedDenied = List.of(new PlanStep(PlanStep.Op.ADD,
                new AddressSetEntry("bad", "b", "10.200.1.9")));
        assertEquals("a deny over the set matches more", Set.of("a"),
                ConnectionPolicy.affectedPorts(joinedDenied, after));
        assertEquals(Set.of("a"), ConnectionPolicy.affectedPorts(List.of(new PlanStep(PlanStep.Op.ADD, aDeny)),
                after));
        assertEquals(Set.of("a"), ConnectionPolicy.affectedPorts(List.of(new PlanStep(PlanStep.Op.REMOVE, aAllow)),
                after));
        assertEquals("an allow added or a deny removed only widens", Set.of(), ConnectionPolicy.affectedPorts(
                List.of(new PlanStep(PlanStep.Op.ADD, aAllow), new PlanStep(PlanStep.Op.REMOVE, aDeny)), after));
        List<PlanStep> portGone = List.of(new PlanStep(PlanStep.Op.REMOVE,
                rule("c", Direction.EGRESS, Protocol.TCP, 22, null, "0.0.0.0/0", RuleAction.DENY, 1)));
        assertEquals(Set.of(), ConnectionPolicy.affectedPorts(portGone, after));
    }
}
