package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;

public class LinterTest {

    private static final Direction IN = Direction.INGRESS;
    private static final RuleAction ALLOW = RuleAction.ALLOW;
    private static final RuleAction DENY = RuleAction.DENY;

    private FakeModel model;
    private FirewallManager firewall;

    @Before
    public void setUp() {
        model = new FakeModel();
        model.network("net1", "10.1.0.0/16");
        model.network("net2", "10.2.0.0/16");
        model.group("sg");
        model.group("admins");
        model.port("vm", "net1", "10.1.0.5", "sg");
        firewall = new FirewallManager(model, model, model, model);
        firewall.activate();
        model.listen(firewall);
    }

    private Rule rule(Protocol protocol, Integer min, Integer max, String cidr, String group, RuleAction action,
            int priority) {
        return model.rule("sg", IN, protocol, min, max, cidr, group, action, priority);
    }

    private List<LintFinding> lint() {
        return firewall.lint(Caller.system(), "sg");
    }

    private List<LintFinding> lint(String kind) {
        return lint().stream().filter(f -> f.kind().equals(kind)).toList();
    }

    @Test
    public void cleanGroupHasNoFindings() {
        rule(Protocol.TCP, 22, 22, "10.0.0.0/8", null, ALLOW, 100);
        rule(Protocol.TCP, 443, 443, null, null, ALLOW, 100);
        rule(Protocol.TCP, 80, 80, "192.0.2.0/24", null, DENY, 100);
        rule(Protocol.ICMP, null, null, null, "admins", ALLOW, 200);
        model.rule("sg", Direction.EGRESS, Protocol.ANY, null, null, null, null, DENY, 4000);
        assertEquals(List.of(), lint());
    }

    @Test
    public void broaderEarlierRuleShadowsANarrowerLaterOne() {
        Rule broad = rule(Protocol.ANY, null, null, "10.0.0.0/8", null, DENY, 100);
        Rule narrow = rule(Protocol.TCP, 8000, 8080, "10.1.2.0/24", null, ALLOW, 200);
        List<LintFinding> findings = lint(Linter.SHADOWED);
        assertEquals(1, findings.size());
        LintFinding finding = findings.get(0);
        assertEquals(narrow.id(), finding.ruleId());
        assertEquals(broad.id(), finding.otherRuleId());
        assertEquals("sg", finding.groupId());
        assertTrue(finding.message(), finding.message().contains(narrow.id())
                && finding.message().contains(broad.id()));
    }

    @Test
    public void narrowerEarlierRuleShadowsNothing() {
        rule(Protocol.TCP, 8000, 8080, "10.1.2.0/24", null, DENY, 100);
        rule(Protocol.TCP, 8000, 8081, "10.1.2.0/24", null, ALLOW, 200);
        rule(Protocol.TCP, null, null, "10.1.0.0/16", null, ALLOW, 300);
        rule(Protocol.UDP, null, null, "10.1.0.0/16", null, ALLOW, 300);
        assertEquals(List.of(), lint(Linter.SHADOWED));
    }

    @Test
    public void anyRemoteCoversCidrsAndGroupsButACidrCoversNoGroup() {
        Rule any = rule(Protocol.TCP, null, null, null, null, ALLOW, 100);
        Rule cidr = rule(Protocol.TCP, 22, 22, "0.0.0.0/0", null, ALLOW, 200);
        Rule group = rule(Protocol.TCP, 22, 22, null, "admins", ALLOW, 200);
        List<LintFinding> findings = lint(Linter.SHADOWED);
        assertEquals(List.of(cidr.id(), group.id()), findings.stream().map(LintFinding::ruleId).toList());
        assertTrue(findings.stream().allMatch(f -> f.otherRuleId().equals(any.id())));
    }

    @Test
    public void remoteGroupIsShadowedOnlyByTheSameGroupOrAny() {
        rule(Protocol.TCP, null, null, "10.0.0.0/8", null, DENY, 100);
        rule(Protocol.TCP, null, null, null, "sg", DENY, 100);
        Rule admins = rule(Protocol.TCP, 22, 22, null, "admins", ALLOW, 200);
        assertEquals(List.of(), lint(Linter.SHADOWED));
        Rule sameGroup = rule(Protocol.ANY, null, null, null, "admins", DENY, 150);
        List<LintFinding> findings = lint(Linter.SHADOWED);
        assertEquals(1, findings.size());
        assertEquals(admins.id(), findings.get(0).ruleId());
        assertEquals(sameGroup.id(), findings.get(0).otherRuleId());
    }

    @Test
    public void atEqualPriorityADenyShadowsAnAllowButNotTheReverse() {
        Rule deny = rule(Protocol.TCP, null, null, "10.0.0.0/8", null, DENY, 100);
        Rule allow = rule(Protocol.TCP, 22, 22, "10.1.0.0/16", null, ALLOW, 100);
        List<LintFinding> findings = lint(Linter.SHADOWED);
        assertEquals(1, findings.size());
        assertEquals(allow.id(), findings.get(0).ruleId());
        assertEquals(deny.id(), findings.get(0).otherRuleId());

        model.removeRule("sg", deny.id());
        model.removeRule("sg", allow.id());
        rule(Protocol.TCP, null, null, "10.0.0.0/8", null, ALLOW, 100);
        rule(Protocol.TCP, 22, 22, "10.1.0.0/16", null, DENY, 100);
        assertEquals(List.of(), lint(Linter.SHADOWED));
    }

    @Test
    public void atEqualPriorityAndActionTheLaterListedCoveredRuleIsShadowed() {
        Rule first = rule(Protocol.TCP, null, null, "10.0.0.0/8", null, ALLOW, 100);
        Rule second = rule(Protocol.TCP, 22, 22, "10.1.0.0/16", null, ALLOW, 100);
        List<LintFinding> findings = lint(Linter.SHADOWED);
        assertEquals(1, findings.size());
        assertEquals(second.id(), findings.get(0).ruleId());
        assertEquals(first.id(), findings.get(0).otherRuleId());
    }

    @Test
    public void equalPriorityOverlappingRulesWithOppositeActionsConflict() {
        Rule allow = rule(Protocol.TCP, 8000, 8100, "10.0.0.0/8", null, ALLOW, 100);
        Rule deny = rule(Protocol.ANY, null, null, "10.1.0.0/16", null, DENY, 100);
        rule(Protocol.UDP, null, null, "10.0.0.0/8", null, DENY, 100);
        rule(Protocol.TCP, 9000, 9100, "10.0.0.0/8", null, DENY, 100);
        rule(Protocol.TCP, 8000, 8100, "10.0.0.0/8", null, DENY, 101);
        List<LintFinding> findings = lint(Linter.CONFLICT);
        assertEquals(1, findings.size());
        LintFinding finding = findings.get(0);
        assertEquals(allow.id(), finding.ruleId());
        assertEquals(deny.id(), finding.otherRuleId());
        assertTrue(finding.message(), finding.message().contains(allow.id())
                && finding.message().contains(deny.id()) && finding.message().contains("deny wins"));
    }

    @Test
    public void ruleForAddressesBeyondNonForwardingPeeringsIsDeadByPeering() {
        model.peering("p12", "net1", "net2", false, PeeringState.ACTIVE);
        Rule far = rule(Protocol.TCP, 22, 22, "172.16.0.0/12", null, ALLOW, 100);
        rule(Protocol.TCP, 22, 22, "10.2.3.0/24", null, ALLOW, 100);
        rule(Protocol.TCP, 22, 22, "10.1.0.0/24", null, ALLOW, 100);
        rule(Protocol.TCP, 80, 80, "10.0.0.0/8", null, ALLOW, 100);
        List<LintFinding> findings = lint(Linter.DEAD_BY_PEERING);
        assertEquals(1, findings.size());
        assertEquals(far.id(), findings.get(0).ruleId());
        assertTrue(findings.get(0).message(), findings.get(0).message().contains("p12"));
    }

    @Test
    public void noRuleIsDeadByPeeringWhenAPeeringForwardsOrNoneIsActive() {
        rule(Protocol.TCP, 22, 22, "172.16.0.0/12", null, ALLOW, 100);
        assertEquals(List.of(), lint(Linter.DEAD_BY_PEERING));
        model.peering("p12", "net1", "net2", false, PeeringState.PENDING_ACCEPTANCE);
        assertEquals(List.of(), lint(Linter.DEAD_BY_PEERING));
        model.peering("p12", "net1", "net2", false, PeeringState.ACTIVE);
        assertEquals(1, lint(Linter.DEAD_BY_PEERING).size());
        model.network("net3", "10.3.0.0/16");
        model.peering("p13", "net3", "net1", true, PeeringState.ACTIVE);
        assertEquals(List.of(), lint(Linter.DEAD_BY_PEERING));
    }

    @Test
    public void groupWithoutMembersIsNeverDeadByPeering() {
        model.peering("p12", "net1", "net2", false, PeeringState.ACTIVE);
        model.rule("admins", IN, Protocol.TCP, 22, 22, "172.16.0.0/12", null, ALLOW, 100);
        assertEquals(List.of(), firewall.lint(Caller.system(), "admins"));
    }
}
