package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import com.google.gson.JsonParser;

import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.Iproute2;

public class NftRulesetTest {

    private static final String PORT = "port-0123456789ab";

    private static FilterRule rule(Direction d, Protocol p, Integer min, Integer max, String remote, RuleAction a,
            int priority) {
        return new FilterRule("sg-1/rule-" + d + p + min + a + priority, PORT, d, p, min, max, remote, a, priority);
    }

    /** Every shape the firewall compiles: each protocol, with and without ports, v4 and v6 remotes, both actions. */
    private static final List<FilterRule> RULES = List.of(
            rule(Direction.INGRESS, Protocol.TCP, 80, 80, "10.200.0.0/20", RuleAction.ALLOW, 100),
            rule(Direction.INGRESS, Protocol.TCP, 80, 80, "10.200.2.0/24", RuleAction.DENY, 10),
            rule(Direction.INGRESS, Protocol.UDP, 5000, 5100, "10.200.17.5/32", RuleAction.ALLOW, 100),
            rule(Direction.INGRESS, Protocol.ICMP, null, null, "0.0.0.0/0", RuleAction.ALLOW, 100),
            rule(Direction.INGRESS, Protocol.ICMP, null, null, "::/0", RuleAction.ALLOW, 100),
            rule(Direction.INGRESS, Protocol.ANY, null, null, "10.200.1.5/32", RuleAction.ALLOW, 50),
            rule(Direction.INGRESS, Protocol.TCP, null, null, "10.200.0.0/16", RuleAction.DENY, 200),
            rule(Direction.EGRESS, Protocol.ANY, 1000, 2000, "10.200.0.0/16", RuleAction.DENY, 5),
            rule(Direction.EGRESS, Protocol.ANY, null, null, "0.0.0.0/0", RuleAction.ALLOW, 100),
            rule(Direction.EGRESS, Protocol.ANY, null, null, "::/0", RuleAction.ALLOW, 100));

    @Test
    public void rulesRenderAsNftablesExpressions() {
        assertEquals("ip saddr 10.200.0.0/20 tcp dport 80 accept comment \"netloom filter " + PORT
                + " sg-1/rule-INGRESSTCP80ALLOW100 100\"", NftRuleset.render(RULES.get(0)));
        assertEquals("ip daddr 10.200.0.0/16 meta l4proto { tcp, udp } th dport 1000-2000 drop comment \"netloom "
                + "filter " + PORT + " sg-1/rule-EGRESSANY1000DENY5 5\"", NftRuleset.render(RULES.get(7)));
        assertTrue(NftRuleset.render(RULES.get(8)).startsWith("ip daddr 0.0.0.0/0 return"));
        assertTrue(NftRuleset.render(RULES.get(4)).startsWith("ip6 saddr ::/0 meta l4proto ipv6-icmp accept"));
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.render(rule(Direction.INGRESS, Protocol.ICMP,
                1, 1, "0.0.0.0/0", RuleAction.ALLOW, 1)));
    }

    @Test
    public void nftJsonIsReadBackIntoTheRule() {
        String json = "[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}},"
                + "\"right\":\"10.200.17.5\"}},{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\","
                + "\"field\":\"dport\"}},\"right\":{\"range\":[5000,5100]}}},{\"counter\":{\"packets\":0,\"bytes\":0}},"
                + "{\"accept\":null}]";
        assertEquals(Optional.of(RULES.get(2)), NftRuleset.parse(PORT, Direction.INGRESS, RULES.get(2).cookie(), 100,
                JsonParser.parseString(json).getAsJsonArray()));
        // An accept in an egress chain is not what Netloom writes there: not reported, so it gets rewritten.
        assertEquals(Optional.empty(), NftRuleset.parse(PORT, Direction.EGRESS, "c", 100,
                JsonParser.parseString(json).getAsJsonArray()));
    }

    @Test
    public void everyRuleSurvivesARoundTripThroughTheKernel() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs nft", HostCommand.locate("nft").isPresent());
        HostCommand host = new HostCommand();
        String ns = "nlt" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2)) + "-nft";
        host.run(List.of("ip", "netns", "add", ns));
        try {
            PortEntry port = new PortEntry(PORT, "net-1", "sub-1", "10.200.1.5", "02:00:0a:c8:01:05", "10.200.1.1",
                    "netns", "ns");
            String script = NftRuleset.script(List.of(new NftRuleset.PortRules(port, "nlbr0")),
                    Map.of(PORT, RULES), List.of("nlk0"));
            host.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), script);
            // Loading it again replaces it whole, as every apply does.
            host.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), script);
            NftRuleset.Tables listed = KernelReader.nft(host, ns);
            Set<FilterEntry> written = new HashSet<>();
            RULES.forEach(r -> written.add(new FilterEntry(r)));
            assertEquals(written, new HashSet<>(listed.filters()));
            assertTrue(listed.realises(port, "nlbr0"));
            PortEntry moved = new PortEntry(PORT, "net-1", "sub-1", "10.200.1.6", "02:00:0a:c8:01:05", "10.200.1.1",
                    "netns", "ns");
            assertEquals("a port whose rules name another address is not realised", false,
                    listed.realises(moved, "nlbr0"));
            assertEquals("nor on another bridge", false, listed.realises(port, "nlbr1"));
            // What the reader takes as written for a few seconds is what it lists.
            NftRuleset.Tables asWritten = NftRuleset.written(List.of(new NftRuleset.PortRules(port, "nlbr0")),
                    Map.of(PORT, RULES));
            assertEquals(new HashSet<>(listed.filters()), new HashSet<>(asWritten.filters()));
            for (PortEntry p : List.of(port, moved)) {
                for (String bridge : List.of("nlbr0", "nlbr1")) {
                    assertEquals(p + " on " + bridge, listed.realises(p, bridge), asWritten.realises(p, bridge));
                }
            }
        } finally {
            host.execute(List.of("ip", "netns", "del", ns), null);
        }
    }
}
