package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class FilterEngineTest {

    private static FilterRule rule(String id, Protocol protocol, Integer min, Integer max, String cidr,
            RuleAction action, int priority) {
        return new FilterRule("g/" + id, "p", Direction.INGRESS, protocol, min, max, cidr, action, priority);
    }

    private static int firstMatch(PortFilter filter, Protocol protocol, String address, int port) {
        return filter.firstMatch(Direction.INGRESS, protocol, PacketAddress.parse(address), port);
    }

    @Test
    public void engineAgreesWithAFirstMatchScanOnTenThousandRulesOverTwentyShapes() {
        List<FilterRule> rules = SyntheticRules.rules(42, 10_000);
        FilterEngine engine = FilterEngine.build(rules);
        LinearScan scan = LinearScan.of(rules);
        assertEquals(SyntheticRules.shapeCount(), engine.shapeCount());
        int matched = 0;
        for (SyntheticRules.Packet p : SyntheticRules.packets(7, rules, 5_000)) {
            int expected = scan.firstMatch(p.direction(), p.protocol(), p.remote(), p.transportPort());
            int actual = engine.firstMatch(p.direction(), p.protocol(), p.remote(), p.transportPort());
            assertEquals(p.toString(), expected, actual);
            assertEquals(scan.decide(p.direction(), p.protocol(), p.remote(), p.transportPort()),
                    engine.decide(p.direction(), p.protocol(), p.remote(), p.transportPort()));
            matched += expected >= 0 ? 1 : 0;
        }
        // The comparison means little unless both hits and misses occur in numbers.
        assertTrue("matched " + matched, matched > 1_000 && matched < 4_900);
    }

    @Test
    public void engineAgreesWithAFirstMatchScanOnManySmallDenseRuleSets() {
        for (long seed = 0; seed < 300; seed++) {
            List<FilterRule> rules = SyntheticRules.rules(seed, 1 + (int) (seed % 60));
            FilterEngine engine = FilterEngine.build(rules);
            LinearScan scan = LinearScan.of(rules);
            for (SyntheticRules.Packet p : SyntheticRules.packets(seed + 1_000, rules, 200)) {
                assertEquals("seed " + seed + " " + p, scan.firstMatch(p.direction(), p.protocol(), p.remote(),
                        p.transportPort()), engine.firstMatch(p.direction(), p.protocol(), p.remote(),
                        p.transportPort()));
            }
        }
    }

    @Test
    public void overlappingRangesOfOneAddressAreDecidedByTheEarliestCoveringRule() {
        List<FilterRule> rules = new ArrayList<>();
        rules.add(rule("a", Protocol.TCP, 100, 200, "10.0.0.0/24", RuleAction.DENY, 10));
        rules.add(rule("b", Protocol.TCP, 1, 1000, "10.0.0.0/24", RuleAction.ALLOW, 20));
        rules.add(rule("c", Protocol.TCP, 150, 65535, "10.0.0.0/24", RuleAction.DENY, 30));
        rules.add(rule("d", Protocol.TCP, 5000, 5000, "10.0.0.0/24", RuleAction.ALLOW, 40));
        FilterEngine engine = FilterEngine.build(rules);
        int[][] expectations = {{1, 1}, {99, 1}, {100, 0}, {200, 0}, {201, 1}, {1000, 1}, {1001, 2}, {5000, 2},
            {65535, 2}};
        for (int[] e : expectations) {
            assertEquals("port " + e[0], e[1], firstMatch(engine, Protocol.TCP, "10.0.0.9", e[0]));
        }
        assertEquals(-1, firstMatch(engine, Protocol.TCP, "10.0.1.9", 150));
        assertEquals(-1, firstMatch(engine, Protocol.UDP, "10.0.0.9", 150));
    }

    @Test
    public void engineOverNoRulesDecidesByTheDefaults() {
        FilterEngine engine = FilterEngine.build(List.of());
        assertEquals(RuleAction.DENY, engine.decide(Direction.INGRESS, Protocol.TCP,
                PacketAddress.parse("10.0.0.1"), 80).action());
        assertEquals(RuleAction.ALLOW, engine.decide(Direction.EGRESS, Protocol.TCP,
                PacketAddress.parse("10.0.0.1"), 80).action());
        assertEquals(0, engine.shapeCount());
    }

    @Test
    public void prefixLengthsFromZeroToFullAreMaskedRight() {
        List<FilterRule> rules = List.of(
                rule("v6-128", Protocol.ANY, null, null, "2001:db8::1/128", RuleAction.DENY, 1),
                rule("v6-65", Protocol.ANY, null, null, "2001:db8::8000:0:0:0/65", RuleAction.DENY, 2),
                rule("v6-63", Protocol.ANY, null, null, "2001:db8:0:2::/63", RuleAction.DENY, 3),
                rule("v4-31", Protocol.ANY, null, null, "10.0.0.2/31", RuleAction.DENY, 4),
                rule("v4-1", Protocol.ANY, null, null, "128.0.0.0/1", RuleAction.DENY, 5),
                rule("v6-0", Protocol.ANY, null, null, "::/0", RuleAction.ALLOW, 6),
                rule("v4-0", Protocol.ANY, null, null, "0.0.0.0/0", RuleAction.ALLOW, 7));
        FilterEngine engine = FilterEngine.build(rules);
        LinearScan scan = LinearScan.of(rules);
        String[] addresses = {"2001:db8::1", "2001:db8::2", "2001:db8::8000:0:0:1", "2001:db8::7fff:0:0:1",
            "2001:db8:0:3:ffff::", "2001:db8:0:4::", "10.0.0.3", "10.0.0.4", "200.1.1.1", "127.255.255.255"};
        int[] expected = {0, 5, 1, 5, 2, 5, 3, 6, 4, 6};
        for (int i = 0; i < addresses.length; i++) {
            assertEquals(addresses[i], expected[i], firstMatch(engine, Protocol.UDP, addresses[i], 53));
            assertEquals(addresses[i], expected[i], firstMatch(scan, Protocol.UDP, addresses[i], 53));
        }
    }
}
