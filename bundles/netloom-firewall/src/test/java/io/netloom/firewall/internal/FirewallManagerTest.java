package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;

public class FirewallManagerTest {

    private static final Direction IN = Direction.INGRESS;
    private static final Direction OUT = Direction.EGRESS;
    private static final RuleAction ALLOW = RuleAction.ALLOW;
    private static final RuleAction DENY = RuleAction.DENY;

    private FakeModel model;
    private FirewallManager firewall;

    @Before
    public void setUp() {
        model = new FakeModel();
        model.network("net1", "10.1.0.0/16", "fd01::/48");
        model.network("net2", "10.2.0.0/16");
        model.group("web");
        model.port("server", "net1", "10.1.0.10", "web");
        firewall = new FirewallManager(model, model, model, model);
        firewall.activate();
        model.listen(firewall);
    }

    private RuleAction action(String port, Direction direction, Protocol protocol, String remote, int transport) {
        return firewall.decide(port, direction, protocol, remote, transport).action();
    }

    private Rule allowTcp(String group, Integer min, Integer max, String cidr, int priority) {
        return model.rule(group, IN, Protocol.TCP, min, max, cidr, null, ALLOW, priority);
    }

    @Test
    public void aQuarantinedPortDeniesEverythingInAndOutWhateverItsGroupsSayUntilReleased() {
        allowTcp("web", 22, 22, "0.0.0.0/0", 100);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.7", 22));

        model.setQuarantine("server", true);
        for (Direction direction : Direction.values()) {
            for (String remote : List.of("192.0.2.7", "fd01::7")) {
                Decision decision = firewall.decide("server", direction, Protocol.TCP, remote, 22);
                assertEquals(direction + " " + remote, DENY, decision.action());
                assertEquals("quarantine/server", decision.rule().cookie());
            }
        }
        assertEquals(DENY, action("server", OUT, Protocol.UDP, "192.0.2.1", 53));
        assertTrue(firewall.compiled("server").stream().allMatch(r -> r.cookie().equals("quarantine/server")));

        model.setQuarantine("server", false);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.7", 22));
        assertEquals(ALLOW, action("server", OUT, Protocol.UDP, "192.0.2.1", 53));
    }

    @Test
    public void anAdministrativelyDownPortPassesNothingUntilSetUp() {
        allowTcp("web", 22, 22, "0.0.0.0/0", 100);
        model.setAdminDown("server", true);
        assertEquals(DENY, action("server", IN, Protocol.TCP, "192.0.2.7", 22));
        assertEquals(DENY, action("server", OUT, Protocol.UDP, "192.0.2.1", 53));
        assertEquals(DENY, action("server", OUT, Protocol.TCP, "fd01::7", 22));
        model.setAdminDown("server", false);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.7", 22));
        assertEquals(ALLOW, action("server", OUT, Protocol.UDP, "192.0.2.1", 53));
    }

    @Test
    public void unmatchedIngressIsDeniedByDefault() {
        Decision decision = firewall.decide("server", IN, Protocol.TCP, "192.0.2.1", 22);
        assertEquals(DENY, decision.action());
        assertNull(decision.rule());
        assertEquals("default deny ingress", decision.reason());
    }

    @Test
    public void unmatchedEgressIsAllowedByDefault() {
        Decision decision = firewall.decide("server", OUT, Protocol.UDP, "192.0.2.1", 53);
        assertEquals(ALLOW, decision.action());
        assertNull(decision.rule());
        assertEquals("default allow egress", decision.reason());
    }

    @Test
    public void decisionNamesTheDecidingRule() {
        Rule ssh = allowTcp("web", 22, 22, "192.0.2.0/24", 100);
        Decision decision = firewall.decide("server", IN, Protocol.TCP, "192.0.2.7", 22);
        assertEquals(ALLOW, decision.action());
        assertEquals("web/" + ssh.id(), decision.rule().cookie());
        assertTrue(decision.reason(), decision.reason().contains("web/" + ssh.id()));
    }

    @Test
    public void lowerPriorityValueIsEvaluatedFirst() {
        Rule late = model.rule("web", IN, Protocol.TCP, null, null, "192.0.2.0/24", null, DENY, 300);
        Rule early = allowTcp("web", null, null, "192.0.2.0/24", 200);
        Decision decision = firewall.decide("server", IN, Protocol.TCP, "192.0.2.9", 443);
        assertEquals(ALLOW, decision.action());
        assertEquals("web/" + early.id(), decision.rule().cookie());
        model.removeRule("web", early.id());
        assertEquals("web/" + late.id(), firewall.decide("server", IN, Protocol.TCP, "192.0.2.9", 443).rule()
                .cookie());
    }

    @Test
    public void denyBeatsAllowOnlyByHavingALowerPriorityValue() {
        allowTcp("web", null, null, "0.0.0.0/0", 100);
        model.rule("web", IN, Protocol.TCP, null, null, "192.0.2.0/24", null, DENY, 200);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.9", 80));
        model.rule("web", IN, Protocol.TCP, null, null, "192.0.2.0/24", null, DENY, 50);
        assertEquals(DENY, action("server", IN, Protocol.TCP, "192.0.2.9", 80));
    }

    @Test
    public void atEqualPriorityDenyWinsEvenAcrossGroups() {
        model.group("ops");
        model.rule("ops", IN, Protocol.TCP, 22, 22, "192.0.2.0/24", null, DENY, 100);
        allowTcp("web", 22, 22, "192.0.2.0/24", 100);
        model.setGroups("server", "web", "ops");
        Decision decision = firewall.decide("server", IN, Protocol.TCP, "192.0.2.9", 22);
        assertEquals(DENY, decision.action());
        assertTrue(decision.rule().cookie().startsWith("ops/"));
    }

    @Test
    public void portRangeIncludesBothEdgesAndNothingBeyond() {
        allowTcp("web", 8000, 8080, null, 100);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.1", 8000));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.1", 8080));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "192.0.2.1", 7999));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "192.0.2.1", 8081));
        assertEquals(DENY, action("server", IN, Protocol.UDP, "192.0.2.1", 8000));
    }

    @Test
    public void icmpIgnoresTheTransportPort() {
        model.rule("web", IN, Protocol.ICMP, null, null, null, null, ALLOW, 100);
        assertEquals(ALLOW, action("server", IN, Protocol.ICMP, "192.0.2.1", 0));
        assertEquals(ALLOW, action("server", IN, Protocol.ICMP, "192.0.2.1", 999_999));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "192.0.2.1", 80));
    }

    @Test
    public void portRangedRuleNeverMatchesIcmp() {
        allowTcp("web", 1, 65535, null, 100);
        assertEquals(DENY, action("server", IN, Protocol.ICMP, "192.0.2.1", 80));
    }

    @Test
    public void anyProtocolMatchesTcpUdpAndIcmp() {
        model.rule("web", IN, Protocol.ANY, null, null, "192.0.2.0/24", null, ALLOW, 100);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.1", 80));
        assertEquals(ALLOW, action("server", IN, Protocol.UDP, "192.0.2.1", 53));
        assertEquals(ALLOW, action("server", IN, Protocol.ICMP, "192.0.2.1", 0));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "198.51.100.1", 80));
    }

    @Test
    public void remoteCidrLimitsWhoGetsIn() {
        allowTcp("web", 443, 443, "203.0.113.0/25", 100);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "203.0.113.0", 443));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "203.0.113.127", 443));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "203.0.113.128", 443));
    }

    @Test
    public void ipv6RemoteCidrMatchesOnlyIpv6AddressesInsideIt() {
        allowTcp("web", 443, 443, "2001:db8:1::/48", 100);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "2001:db8:1:ffff::1", 443));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "2001:db8:2::1", 443));
        assertEquals(DENY, action("server", IN, Protocol.TCP, "192.0.2.1", 443));
    }

    @Test
    public void anyRemoteCompilesToOneRulePerIpVersionAndMatchesBoth() {
        Rule rule = allowTcp("web", 80, 80, null, 100);
        List<FilterRule> compiled = firewall.compiled("server");
        assertEquals(2, compiled.size());
        assertEquals(List.of("0.0.0.0/0", "::/0"), compiled.stream().map(FilterRule::remoteCidr).toList());
        assertTrue(compiled.stream().allMatch(r -> r.cookie().equals("web/" + rule.id())));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.1", 80));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "2001:db8::1", 80));
    }

    @Test
    public void compiledRulesAreSortedByPriorityWithDenyFirstOnTies() {
        allowTcp("web", 80, 80, "192.0.2.0/24", 300);
        model.rule("web", IN, Protocol.TCP, 80, 80, "192.0.2.0/24", null, ALLOW, 100);
        model.rule("web", IN, Protocol.TCP, 81, 81, "192.0.2.0/24", null, DENY, 100);
        List<FilterRule> compiled = firewall.compiled("server");
        assertEquals(List.of(100, 100, 300), compiled.stream().map(FilterRule::priority).toList());
        assertEquals(DENY, compiled.get(0).action());
        assertTrue(compiled.stream().allMatch(r -> r.portId().equals("server")));
    }

    @Test
    public void addingAPortToTheRemoteGroupLetsItsAddressIn() {
        model.group("clients");
        model.rule("web", IN, Protocol.TCP, 443, 443, null, "clients", ALLOW, 100);
        // One rule referencing the group's address set, empty for now.
        List<FilterRule> before = firewall.compiled("server");
        assertEquals(1, before.size());
        assertEquals("clients", before.get(0).remoteSet());
        assertEquals(null, before.get(0).remoteCidr());
        assertEquals(DENY, action("server", IN, Protocol.TCP, "10.2.0.5", 443));

        model.port("laptop", "net2", "10.2.0.5");
        model.setGroups("laptop", "clients");

        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "10.2.0.5", 443));
        assertEquals("membership changes no rule", before, firewall.compiled("server"));
        assertEquals(Map.of("laptop", "10.2.0.5"), firewall.addressSet("clients"));
        assertEquals(List.of("clients"), firewall.memberships("laptop"));
    }

    @Test
    public void removingAPortFromTheRemoteGroupTakesItsAddressOut() {
        model.group("clients");
        model.rule("web", IN, Protocol.TCP, 443, 443, null, "clients", ALLOW, 100);
        model.port("laptop", "net2", "10.2.0.5", "clients");
        model.port("phone", "net2", "fd02::7", "clients");
        assertEquals(Map.of("laptop", "10.2.0.5", "phone", "fd02::7"), firewall.addressSet("clients"));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "10.2.0.5", 443));

        model.setGroups("laptop");

        assertEquals(DENY, action("server", IN, Protocol.TCP, "10.2.0.5", 443));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "fd02::7", 443));
        assertEquals(Map.of("phone", "fd02::7"), firewall.addressSet("clients"));
    }

    @Test
    public void deletingAMemberPortTakesItsAddressOut() {
        model.group("clients");
        model.rule("web", IN, Protocol.TCP, 443, 443, null, "clients", ALLOW, 100);
        model.port("laptop", "net2", "10.2.0.5", "clients");
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "10.2.0.5", 443));

        model.deletePort("laptop");

        assertEquals(DENY, action("server", IN, Protocol.TCP, "10.2.0.5", 443));
        assertEquals(Map.of(), firewall.addressSet("clients"));
        assertEquals(List.of(), firewall.compiled("laptop"));
        assertEquals(false, firewall.knows("laptop"));
        assertThrows(NotFoundException.class, () -> firewall.decide("laptop", OUT, Protocol.TCP, "10.1.0.10", 1));
    }

    @Test
    public void defaultGroupMembersReachEachOtherAndOutsidersDoNot() {
        model.port("a", "net1", "10.1.0.1");
        model.port("b", "net1", "fd01::2");
        model.port("outsider", "net2", "10.2.0.1");
        assertEquals(ALLOW, action("a", IN, Protocol.TCP, "fd01::2", 22));
        assertEquals(ALLOW, action("b", IN, Protocol.UDP, "10.1.0.1", 53));
        assertEquals(DENY, action("a", IN, Protocol.TCP, "10.2.0.1", 22));
        // A port with groups of its own is not in the default group any more.
        assertEquals(DENY, action("a", IN, Protocol.TCP, "10.1.0.10", 22));
        model.setGroups("server");
        assertEquals(ALLOW, action("a", IN, Protocol.TCP, "10.1.0.10", 22));
        assertEquals(List.of("net1-default"), firewall.compiled("server").stream()
                .map(r -> r.cookie().substring(0, r.cookie().indexOf('/'))).distinct().toList());
    }

    @Test
    public void ruleChangesOfAGroupReachAllItsMembers() {
        model.port("second", "net1", "10.1.0.11", "web");
        allowTcp("web", 80, 80, null, 100);
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.1", 80));
        assertEquals(ALLOW, action("second", IN, Protocol.TCP, "192.0.2.1", 80));
    }

    @Test
    public void statusChangesLeaveCompiledRulesAlone() {
        allowTcp("web", 80, 80, null, 100);
        List<FilterRule> before = firewall.compiled("server");
        model.setStatus("server", RealisationStatus.ACTIVE);
        assertEquals(before, firewall.compiled("server"));
        assertEquals(ALLOW, action("server", IN, Protocol.TCP, "192.0.2.1", 80));
    }

    @Test
    public void restartRecompilesTheSameRulesFromTheModel() {
        model.group("clients");
        model.rule("web", IN, Protocol.TCP, 443, 443, null, "clients", ALLOW, 100);
        model.port("laptop", "net2", "10.2.0.5", "clients");
        model.port("other", "net1", "10.1.0.20");
        FirewallManager restarted = new FirewallManager(model, model, model, model);
        restarted.activate();
        for (String port : List.of("server", "laptop", "other")) {
            assertEquals(firewall.compiled(port), restarted.compiled(port));
        }
    }

    @Test
    public void unknownPortIsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> firewall.decide("ghost", IN, Protocol.TCP, "192.0.2.1", 80));
        assertEquals("NOT_FOUND", e.code());
        assertEquals(List.of(), firewall.compiled("ghost"));
    }

    @Test
    public void packetsNeedAConcreteProtocolAValidAddressAndPort() {
        assertEquals("INVALID_PROTOCOL", assertThrows(ValidationException.class,
                () -> firewall.decide("server", IN, Protocol.ANY, "192.0.2.1", 80)).code());
        assertEquals("INVALID_ADDRESS", assertThrows(ValidationException.class,
                () -> firewall.decide("server", IN, Protocol.TCP, "10.1", 80)).code());
        assertEquals("INVALID_ADDRESS", assertThrows(ValidationException.class,
                () -> firewall.decide("server", IN, Protocol.TCP, "10.0.0.0/8", 80)).code());
        assertEquals("INVALID_PORTS", assertThrows(ValidationException.class,
                () -> firewall.decide("server", IN, Protocol.TCP, "192.0.2.1", 65_536)).code());
    }

    @Test
    public void lintOfAnUnknownGroupIsNotFound() {
        assertThrows(NotFoundException.class, () -> firewall.lint(Caller.system(), "nope"));
    }

    @Test
    public void lintCountsDefaultGroupMembersWhenLookingAtPeerings() {
        model.network("net3", "10.3.0.0/16");
        model.port("p1", "net3", "10.3.0.5");
        model.peering("p13", "net1", "net3", false, PeeringState.ACTIVE);
        Rule far = model.rule("net3-default", IN, Protocol.TCP, 22, 22, "172.16.0.0/12", null, ALLOW, 100);
        assertEquals(List.of(far.id()), firewall.lint(Caller.system(), "net3-default").stream()
                .map(LintFinding::ruleId).toList());
    }
}
