package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import org.junit.Test;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Port;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;

public class FirewallIndexTest {

    private FirewallIndex index;

    private static FirewallIndex fullRecompilation(FakeModel model) {
        return FirewallIndex.of(model.ports(Caller.system(), Optional.empty()), model.groups(Caller.system()));
    }

    /**
     * Compares the index, kept current event by event, with the from-scratch reference: every port compiled by
     * {@link RuleCompiler} over a {@link ModelSnapshot} of the model, and every group's members as the snapshot
     * computes them.
     */
    private void assertSameAsFromScratch(FakeModel model, String after) {
        List<Port> ports = model.ports(Caller.system(), Optional.empty());
        List<SecurityGroup> groups = model.groups(Caller.system());
        ModelSnapshot snapshot = ModelSnapshot.of(ports, groups);
        for (Port port : ports) {
            List<FilterRule> expected = RuleCompiler.compile(snapshot, port);
            List<FilterRule> actual = index.port(port.id()).orElseThrow(() -> new AssertionError(
                    "port " + port.id() + " missing " + after)).rules();
            assertEquals("rules of port " + port.id() + " " + after, expected, actual);
            assertEquals("memberships of port " + port.id() + " " + after, snapshot.effectiveGroups(port),
                    index.memberships(port.id()));
        }
        Map<String, Map<String, String>> expectedSets = new HashMap<>();
        for (Port port : ports) {
            for (String group : port.hasAddress() ? snapshot.effectiveGroups(port) : List.<String>of()) {
                expectedSets.computeIfAbsent(group, g -> new TreeMap<>()).put(port.id(), port.ip());
            }
        }
        for (SecurityGroup group : groups) {
            assertEquals("set " + group.id() + " " + after, expectedSets.getOrDefault(group.id(), Map.of()),
                    index.addressSet(group.id()));
        }
        expectedSets.forEach((group, members) -> {
            assertEquals("set " + group + " " + after, members, index.addressSet(group));
            members.values().forEach(ip -> assertTrue(group + " holds " + ip + " " + after,
                    index.contains(group, PacketAddress.parse(ip))));
        });
        assertEquals(after, ports.size(), index.portCount());
    }

    @Test
    public void incrementalUpdatesGiveWhatAFromScratchCompilationGives() {
        Random random = new Random(11);
        FakeModel model = new FakeModel();
        index = fullRecompilation(model);
        List<String> log = new ArrayList<>();
        model.listen(event -> {
            index.apply(event);
            log.add(event.type() + " " + event.subject().getClass().getSimpleName());
        });
        List<String> networks = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        int nextIp = 1;
        int setRules = 0;
        for (int step = 0; step < 800; step++) {
            int op = networks.isEmpty() ? 0 : random.nextInt(11);
            switch (op) {
                case 0 -> {
                    String id = "n" + networks.size();
                    model.network(id, "10." + networks.size() + ".0.0/16");
                    networks.add(id);
                    groups.add(id + "-default");
                }
                case 1 -> groups.add(model.group("g" + step).id());
                case 2, 3 -> {
                    String group = groups.get(random.nextInt(groups.size()));
                    String remoteGroup = random.nextBoolean() ? groups.get(random.nextInt(groups.size())) : null;
                    String cidr = remoteGroup == null && random.nextBoolean() ? "192.0.2.0/24" : null;
                    model.rule(group, random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS, Protocol.TCP,
                            null, null, cidr, remoteGroup, RuleAction.ALLOW, 1 + random.nextInt(10));
                }
                case 4 -> {
                    String groupId = groups.get(random.nextInt(groups.size()));
                    List<Rule> rules = model.group(Caller.system(), groupId).rules();
                    if (!rules.isEmpty()) {
                        model.removeRule(groupId, rules.get(random.nextInt(rules.size())).id());
                    }
                }
                case 5, 6 -> {
                    String network = networks.get(random.nextInt(networks.size()));
                    String id = "p" + step;
                    // Addresses repeat across networks now and then: a set may hold one address twice.
                    String ip = random.nextInt(4) == 0 ? "fd00::" + Integer.toHexString(nextIp++)
                            : "10.0.0." + (nextIp++ % 40 + 1);
                    model.port(id, network, ip, pickGroups(random, groups, network));
                    ports.add(id);
                }
                case 7 -> {
                    if (!ports.isEmpty()) {
                        String id = ports.get(random.nextInt(ports.size()));
                        Port port = model.port(Caller.system(), id);
                        model.setGroups(id, pickGroups(random, groups, port.network()));
                    }
                }
                case 8 -> {
                    if (!ports.isEmpty()) {
                        model.deletePort(ports.remove(random.nextInt(ports.size())));
                    }
                }
                case 9 -> {
                    // A group with no member may go; a default group goes with its network only.
                    String groupId = groups.get(random.nextInt(groups.size()));
                    if (!groupId.contains("-default") && index.addressSet(groupId).isEmpty()
                            && model.ports(Caller.system(), Optional.empty()).stream()
                                    .noneMatch(p -> p.securityGroups().contains(groupId))) {
                        model.deleteGroup(groupId);
                        groups.remove(groupId);
                    }
                }
                default -> {
                    if (!ports.isEmpty()) {
                        model.setStatus(ports.get(random.nextInt(ports.size())), RealisationStatus.ACTIVE);
                    }
                }
            }
            assertSameAsFromScratch(model, "after step " + step + " (" + log.get(log.size() - 1) + ")");
        }
        for (String port : ports) {
            setRules += (int) index.port(port).orElseThrow().rules().stream().filter(FilterRule::referencesSet)
                    .count();
        }
        assertTrue("the sequence should build up rules", index.ruleCount() > 100);
        assertTrue("and rules that reference sets", setRules > 20);
    }

    private static String[] pickGroups(Random random, List<String> groups, String network) {
        List<String> picked = new ArrayList<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String group = groups.get(random.nextInt(groups.size()));
            // The model refuses another network's default group on a port.
            if ((!group.contains("-default") || group.equals(network + "-default")) && !picked.contains(group)) {
                picked.add(group);
            }
        }
        return picked.toArray(new String[0]);
    }

    @Test
    public void aRemoteGroupIsOneRulePerPortWhateverItsSize() {
        FakeModel model = new FakeModel();
        model.network("n", "10.0.0.0/16");
        index = fullRecompilation(model);
        model.listen(event -> index.apply(event));
        for (int i = 1; i <= 500; i++) {
            model.port("p" + i, "n", "10.0." + (1 + i / 250) + "." + (1 + i % 250));
        }
        // The default group: members reach each other (ingress from the group's own set), all egress allowed.
        List<FilterRule> rules = index.port("p1").orElseThrow().rules();
        assertEquals(List.of("n-default"), rules.stream().filter(FilterRule::referencesSet)
                .map(FilterRule::remoteSet).toList());
        assertTrue("few rules per port: " + rules, rules.size() <= 4);
        assertEquals(500, index.addressSet("n-default").size());
        model.port("p501", "n", "10.0.9.1");
        assertEquals("adding a member recompiles that member alone", 1, index.lastRecompiled());
        assertTrue(index.contains("n-default", PacketAddress.parse("10.0.9.1")));
        model.deletePort("p501");
        assertFalse(index.contains("n-default", PacketAddress.parse("10.0.9.1")));
    }

    @Test
    public void anAddressHeldByTwoMembersStaysUntilBothLeave() {
        FakeModel model = new FakeModel();
        model.network("n1", "10.0.0.0/16");
        model.network("n2", "10.0.0.0/16");
        model.group("shared");
        index = fullRecompilation(model);
        model.listen(event -> index.apply(event));
        model.port("a", "n1", "10.0.0.5", "shared");
        model.port("b", "n2", "10.0.0.5", "shared");
        model.deletePort("a");
        assertTrue(index.contains("shared", PacketAddress.parse("10.0.0.5")));
        model.deletePort("b");
        assertFalse(index.contains("shared", PacketAddress.parse("10.0.0.5")));
    }

    @Test
    public void aPortWithoutAnAddressIsInItsGroupsButAddsNoAddressToTheirSets() {
        FakeModel model = new FakeModel();
        model.network("n", "10.0.0.0/16");
        model.group("web");
        index = fullRecompilation(model);
        model.listen(event -> index.apply(event));
        model.port("a", "n", "10.0.0.1", "web");
        model.port("l2", "n", null, "web");
        assertEquals(List.of("web"), index.memberships("l2"));
        assertEquals(Map.of("a", "10.0.0.1"), index.addressSet("web"));
        assertSameAsFromScratch(model, "after an address-less port joined");
        model.deletePort("l2");
        assertEquals(Map.of("a", "10.0.0.1"), index.addressSet("web"));
        assertSameAsFromScratch(model, "after it left");
        assertEquals(FirewallIndex.of(model.ports(Caller.system(), Optional.empty()), model.groups(Caller.system()))
                .addressSet("web"), index.addressSet("web"));
    }

    @Test
    public void deletingAGroupAndItsNetworkDropsItsRules() {
        FakeModel model = new FakeModel();
        model.network("n", "10.0.0.0/16");
        index = fullRecompilation(model);
        model.listen(event -> index.apply(event));
        model.port("a", "n", "10.0.0.1");
        model.port("b", "n", "10.0.0.2");
        int rules = index.port("a").orElseThrow().rules().size();
        model.deletePort("b");
        assertEquals("membership is no rule", rules, index.port("a").orElseThrow().rules().size());
        model.deletePort("a");
        model.deleteGroup("n-default");
        assertTrue(index.port("a").isEmpty());
        assertEquals(0, index.ruleCount());
        assertEquals(Map.of(), index.addressSet("n-default"));
    }

    @Test
    public void unchangedRulesKeepTheirAlreadyBuiltEngine() {
        FakeModel model = new FakeModel();
        model.network("n", "10.0.0.0/16");
        model.group("other");
        model.port("a", "n", "10.0.0.1");
        index = fullRecompilation(model);
        model.listen(event -> index.apply(event));
        FilterEngine engine = index.port("a").orElseThrow().engine();
        model.setStatus("a", RealisationStatus.ACTIVE);
        model.rule("other", Direction.INGRESS, Protocol.TCP, null, null, null, null, RuleAction.ALLOW, 1);
        model.port("b", "n", "10.0.0.2");
        assertSame(engine, index.port("a").orElseThrow().engine());
        SecurityGroup group = model.group(Caller.system(), "n-default");
        model.rule(group.id(), Direction.INGRESS, Protocol.TCP, 22, 22, null, null, RuleAction.ALLOW, 1);
        assertTrue(engine != index.port("a").orElseThrow().engine());
    }
}
