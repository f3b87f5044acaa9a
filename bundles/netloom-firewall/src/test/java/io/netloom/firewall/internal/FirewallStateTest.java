package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

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

public class FirewallStateTest {

    private FirewallState state;

    private FirewallState fullRecompilation(FakeModel model) {
        return FirewallState.of(ModelSnapshot.of(model.ports(Caller.system(), Optional.empty()),
                model.groups(Caller.system())));
    }

    private void assertSameAsFullRecompilation(FakeModel model, String after) {
        FirewallState full = fullRecompilation(model);
        for (Port port : model.ports(Caller.system(), Optional.empty())) {
            List<FilterRule> expected = full.port(port.id()).orElseThrow().rules();
            List<FilterRule> actual = state.port(port.id()).orElseThrow(() -> new AssertionError(
                    "port " + port.id() + " missing " + after)).rules();
            assertEquals("port " + port.id() + " " + after, expected, actual);
        }
        assertEquals(after, full.ruleCount(), state.ruleCount());
    }

    @Test
    public void incrementalUpdatesGiveWhatAFullRecompilationGives() {
        Random random = new Random(11);
        FakeModel model = new FakeModel();
        state = fullRecompilation(model);
        List<String> log = new ArrayList<>();
        model.listen(event -> {
            state = state.apply(event);
            log.add(event.type() + " " + event.subject().getClass().getSimpleName());
        });
        List<String> networks = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        int nextIp = 1;
        for (int step = 0; step < 600; step++) {
            int op = networks.isEmpty() ? 0 : random.nextInt(10);
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
                    String ip = random.nextInt(4) == 0 ? "fd00::" + Integer.toHexString(nextIp++)
                            : "10." + network.substring(1) + ".0." + (nextIp++ % 250 + 1);
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
                default -> {
                    if (!ports.isEmpty()) {
                        model.setStatus(ports.get(random.nextInt(ports.size())), RealisationStatus.ACTIVE);
                    }
                }
            }
            assertSameAsFullRecompilation(model, "after step " + step + " (" + log.get(log.size() - 1) + ")");
        }
        assertTrue("the sequence should build up rules", state.ruleCount() > 100);
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
    public void deletingAGroupAndItsNetworkDropsItsRules() {
        FakeModel model = new FakeModel();
        model.network("n", "10.0.0.0/16");
        state = fullRecompilation(model);
        model.listen(event -> state = state.apply(event));
        model.port("a", "n", "10.0.0.1");
        model.port("b", "n", "10.0.0.2");
        assertEquals(2, state.port("a").orElseThrow().rules().size());
        model.deletePort("b");
        assertEquals(1, state.port("a").orElseThrow().rules().size());
        model.deletePort("a");
        model.deleteGroup("n-default");
        assertTrue(state.port("a").isEmpty());
        assertEquals(0, state.ruleCount());
    }

    @Test
    public void unchangedRulesKeepTheirAlreadyBuiltEngine() {
        FakeModel model = new FakeModel();
        model.network("n", "10.0.0.0/16");
        model.group("other");
        model.port("a", "n", "10.0.0.1");
        state = fullRecompilation(model);
        model.listen(event -> state = state.apply(event));
        FilterEngine engine = state.port("a").orElseThrow().engine();
        model.setStatus("a", RealisationStatus.ACTIVE);
        model.rule("other", Direction.INGRESS, Protocol.TCP, null, null, null, null, RuleAction.ALLOW, 1);
        assertSame(engine, state.port("a").orElseThrow().engine());
        SecurityGroup group = model.group(Caller.system(), "n-default");
        model.rule(group.id(), Direction.INGRESS, Protocol.TCP, 22, 22, null, null, RuleAction.ALLOW, 1);
        assertTrue(engine != state.port("a").orElseThrow().engine());
    }
}
