package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import org.junit.Test;

import com.google.gson.JsonParser;

import io.netloom.api.driver.AddressSetEntry;
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

    private static final String SET = "sg-0123456789ab";

    private static FilterRule rule(Direction d, Protocol p, Integer min, Integer max, String remote, RuleAction a,
            int priority) {
        return new FilterRule("sg-1/rule-" + d + p + min + a + priority, PORT, d, p, min, max, remote, a, priority);
    }

    private static FilterRule setRule(Direction d, Protocol p, Integer min, RuleAction a, int priority) {
        return new FilterRule("sg-2/rule-" + d + p + min + a + priority, PORT, d, p, min, min, null, a, priority,
                SET);
    }

    /**
     * Every shape the firewall compiles: each protocol, with and without ports, v4 and v6 remotes, address sets,
     * both actions.
     */
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
            rule(Direction.EGRESS, Protocol.ANY, null, null, "::/0", RuleAction.ALLOW, 100),
            setRule(Direction.INGRESS, Protocol.ICMP, null, RuleAction.ALLOW, 100),
            setRule(Direction.INGRESS, Protocol.TCP, 22, RuleAction.DENY, 40),
            setRule(Direction.INGRESS, Protocol.ANY, null, RuleAction.ALLOW, 300),
            setRule(Direction.EGRESS, Protocol.UDP, 53, RuleAction.DENY, 100));

    /** Members of {@link #SET}: two share an address, which the set holds once. */
    private static final List<AddressSetEntry> MEMBERS = List.of(
            new AddressSetEntry(SET, PORT, "10.200.1.5"),
            new AddressSetEntry(SET, "port-1111111111aa", "10.200.1.7"),
            new AddressSetEntry(SET, "port-1111111111bb", "10.200.1.7"),
            new AddressSetEntry(SET, "port-1111111111cc", "fd00:0:0:0::7"));

    private static NftRuleset.SetElements elements(List<AddressSetEntry> members) {
        Map<String, Set<String>> addresses = new HashMap<>();
        members.forEach(m -> addresses.computeIfAbsent(m.set(), k -> new HashSet<>()).add(m.address()));
        return new NftRuleset.SetElements(members, addresses);
    }

    @Test
    public void rulesRenderAsNftablesExpressions() {
        assertEquals(List.of("ip saddr 10.200.0.0/20 tcp dport 80 accept comment \"netloom filter " + PORT
                + " sg-1/rule-INGRESSTCP80ALLOW100 100\""), NftRuleset.render(RULES.get(0)));
        assertEquals(List.of("ip daddr 10.200.0.0/16 meta l4proto { tcp, udp } th dport 1000-2000 drop comment "
                + "\"netloom filter " + PORT + " sg-1/rule-EGRESSANY1000DENY5 5\""), NftRuleset.render(RULES.get(7)));
        assertTrue(NftRuleset.render(RULES.get(8)).get(0).startsWith("ip daddr 0.0.0.0/0 return"));
        assertTrue(NftRuleset.render(RULES.get(4)).get(0).startsWith("ip6 saddr ::/0 meta l4proto ipv6-icmp accept"));
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.render(rule(Direction.INGRESS, Protocol.ICMP,
                1, 1, "0.0.0.0/0", RuleAction.ALLOW, 1)));
    }

    @Test
    public void aRuleReferencingAnAddressSetIsOneRulePerFamilyOverTheSetsNftablesSets() {
        String v4 = KernelNames.addressSet(SET, false);
        String v6 = KernelNames.addressSet(SET, true);
        assertTrue(v4.matches("[a-z][a-z0-9]{14}") && v6.matches("[a-z][a-z0-9]{14}") && !v4.equals(v6));
        String comment = " comment \"netloom filter " + PORT + " sg-2/rule-INGRESSICMPnullALLOW100 100 " + SET + "\"";
        assertEquals(List.of("ip saddr @" + v4 + " meta l4proto icmp accept" + comment,
                "ip6 saddr @" + v6 + " meta l4proto ipv6-icmp accept" + comment), NftRuleset.render(RULES.get(10)));
        assertTrue(NftRuleset.render(RULES.get(13)).get(1).startsWith("ip6 daddr @" + v6 + " udp dport 53 drop"));
        // Whatever the members, the rules are the same two: a member is an element, not a rule.
        List<NftRuleset.PortRules> port = List.of(new NftRuleset.PortRules(new PortEntry(PORT, "net-1", "sub-1",
                "10.200.1.5", "02:00:0a:c8:01:05", "10.200.1.1", null, null), "nlbr0"));
        String few = NftRuleset.script(port, Map.of(PORT, RULES), List.of(), elements(MEMBERS.subList(0, 1)));
        String many = NftRuleset.script(port, Map.of(PORT, RULES), List.of(), elements(MEMBERS));
        assertEquals(few.lines().filter(l -> l.contains("netloom filter")).toList(),
                many.lines().filter(l -> l.contains("netloom filter")).toList());
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.memberComment(new AddressSetEntry("sg \"x",
                PORT, "10.200.1.5")));
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.memberComment(new AddressSetEntry(SET, PORT,
                "10.200.1.0/24")));
    }

    @Test
    public void nftJsonIsReadBackIntoTheRule() {
        String json = "[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"saddr\"}},"
                + "\"right\":\"10.200.17.5\"}},{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\","
                + "\"field\":\"dport\"}},\"right\":{\"range\":[5000,5100]}}},{\"counter\":{\"packets\":0,\"bytes\":0}},"
                + "{\"accept\":null}]";
        assertEquals(Optional.of(RULES.get(2)), NftRuleset.parse(PORT, Direction.INGRESS, RULES.get(2).cookie(), 100,
                null, JsonParser.parseString(json).getAsJsonArray()));
        // An accept in an egress chain is not what Netloom writes there: not reported, so it gets rewritten.
        assertEquals(Optional.empty(), NftRuleset.parse(PORT, Direction.EGRESS, "c", 100, null,
                JsonParser.parseString(json).getAsJsonArray()));
        // A prefix where the comment names a set, or another set than the comment names, is not the rule.
        assertEquals(Optional.empty(), NftRuleset.parse(PORT, Direction.INGRESS, RULES.get(2).cookie(), 100, SET,
                JsonParser.parseString(json).getAsJsonArray()));
        String set = json.replace("\"10.200.17.5\"", "\"@" + KernelNames.addressSet(SET, false) + "\"");
        assertEquals(Optional.of(new FilterRule(RULES.get(2).cookie(), PORT, Direction.INGRESS, Protocol.UDP, 5000,
                5100, null, RuleAction.ALLOW, 100, SET)), NftRuleset.parse(PORT, Direction.INGRESS,
                        RULES.get(2).cookie(), 100, SET, JsonParser.parseString(set).getAsJsonArray()));
        assertEquals(Optional.empty(), NftRuleset.parse(PORT, Direction.INGRESS, RULES.get(2).cookie(), 100,
                "sg-other", JsonParser.parseString(set).getAsJsonArray()));
    }

    /** Runs a check as root in a namespace of its own, deleted afterwards; skipped where that cannot be. */
    private static void inScratchNamespace(BiConsumer<HostCommand, String> check) {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs nft", HostCommand.locate("nft").isPresent());
        HostCommand host = new HostCommand();
        String ns = "nlt" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2)) + "-nft";
        host.run(List.of("ip", "netns", "add", ns));
        try {
            check.accept(host, ns);
        } finally {
            host.execute(List.of("ip", "netns", "del", ns), null);
        }
    }

    @Test
    public void everyRuleSurvivesARoundTripThroughTheKernel() {
        inScratchNamespace((host, ns) -> {
            PortEntry port = new PortEntry(PORT, "net-1", "sub-1", "10.200.1.5", "02:00:0a:c8:01:05", "10.200.1.1",
                    "netns", "ns");
            String script = NftRuleset.script(List.of(new NftRuleset.PortRules(port, "nlbr0")),
                    Map.of(PORT, RULES), List.of("nlk0"), elements(MEMBERS));
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
                    Map.of(PORT, RULES), elements(MEMBERS));
            assertEquals(new HashSet<>(listed.filters()), new HashSet<>(asWritten.filters()));
            assertEquals(new HashSet<>(MEMBERS), new HashSet<>(listed.members()));
            assertEquals(new HashSet<>(asWritten.members()), new HashSet<>(listed.members()));
            assertEquals(Map.of(KernelNames.addressSet(SET, false), Set.of("10.200.1.5", "10.200.1.7"),
                    KernelNames.addressSet(SET, true), Set.of("fd00::7")), listed.sets());
            assertEquals(listed.sets(), asWritten.sets());
            for (PortEntry p : List.of(port, moved)) {
                for (String bridge : List.of("nlbr0", "nlbr1")) {
                    assertEquals(p + " on " + bridge, listed.realises(p, bridge), asWritten.realises(p, bridge));
                }
            }
        });
    }

    @Test
    public void elementChangesLeaveTheRulesAndReadBackAsTheReaderExpects() {
        inScratchNamespace((host, ns) -> {
            PortEntry port = new PortEntry(PORT, "net-1", "sub-1", "10.200.1.5", "02:00:0a:c8:01:05", "10.200.1.1",
                    null, null);
            host.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), NftRuleset.script(
                    List.of(new NftRuleset.PortRules(port, "nlbr0")), Map.of(PORT, RULES), List.of(),
                    elements(MEMBERS.subList(0, 3))));
            NftRuleset.Tables before = KernelReader.nft(host, ns);
            String v4 = KernelNames.addressSet(SET, false);
            String v6 = KernelNames.addressSet(SET, true);
            // One of the two members of 10.200.1.7 leaves (the address stays), the v6 member joins, and the first
            // member's record is rewritten with a new address; 10.200.1.9 goes although it was never there.
            AddressSetEntry moved = new AddressSetEntry(SET, PORT, "10.200.1.6");
            NftRuleset.ElementChange change = new NftRuleset.ElementChange(
                    List.of(MEMBERS.get(0), MEMBERS.get(2)), List.of(MEMBERS.get(3), moved),
                    Map.of(v4, Set.of("10.200.1.5", "10.200.1.9")),
                    Map.of(v4, Set.of("10.200.1.6"), v6, Set.of("fd00::7")));
            String tableBefore = host.run(Iproute2.inNamespace(ns, "nft", "-j", "list", "tables")).stdout();
            host.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), NftRuleset.elements(change));
            NftRuleset.Tables after = KernelReader.nft(host, ns);
            assertEquals("the rules stay, in the same table", tableBefore,
                    host.run(Iproute2.inNamespace(ns, "nft", "-j", "list", "tables")).stdout());
            assertEquals(new HashSet<>(before.filters()), new HashSet<>(after.filters()));
            assertEquals(Set.of(MEMBERS.get(1), MEMBERS.get(3), moved), new HashSet<>(after.members()));
            assertEquals(Map.of(v4, Set.of("10.200.1.6", "10.200.1.7"), v6, Set.of("fd00::7")), after.sets());
            NftRuleset.Tables expected = before.with(change);
            assertEquals(new HashSet<>(after.members()), new HashSet<>(expected.members()));
            assertEquals(after.sets(), expected.sets());
        });
    }
}
