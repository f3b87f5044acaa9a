package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.Test;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverException;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class OvsEngineTest {

    private static final String NODE = "node-ovs";
    private static final SegmentEntry SEGMENT = new SegmentEntry("n1", "s1", "10.200.1.0/24", "10.200.1.1");
    private static final PortEntry PORT = new PortEntry("p1", "n1", "s1", "10.200.1.5", "02:00:00:00:00:05",
            "10.200.1.1", "netns", "ns1");
    private static final RouteEntry ROUTE = new RouteEntry("n1", "10.200.0.0/16", "local", null, false);
    private static final FilterEntry FILTER = new FilterEntry(new FilterRule("g/r", "p1", Direction.INGRESS,
            Protocol.ICMP, null, null, "0.0.0.0/0", RuleAction.ALLOW, 1000));

    private final FakeSwitch flows = new FakeSwitch();
    private final FakeDb db = new FakeDb();
    private final FakePlumbing plumbing = new FakePlumbing();
    private final OvsEngine engine = new OvsEngine(flows, db, plumbing, Duration.ZERO);

    @Test
    public void aBridgeOfAnotherInstanceIsNeitherReadNorChanged() {
        db.owner = Optional.of("other");
        assertThrows(DriverException.class, () -> engine.readActual(NODE));
        assertThrows(DriverException.class, () -> engine.apply(plan(add(SEGMENT))));
        assertEquals("no flow written", 0, flows.installed.size());
        assertEquals(0, flows.bundles);
        db.owner = Optional.empty();
        assertEquals(Map.of(), engine.apply(plan(add(SEGMENT))).failures());
    }

    @Test
    public void appliedEntriesReadBackAndTheBaseFlowsAreInstalled() {
        ApplyResult result = engine.apply(plan(add(FILTER), add(SEGMENT), add(PORT), add(ROUTE)));
        assertEquals(Map.of(), result.failures());
        assertEquals(1, flows.bundles);
        NodeConfig actual = engine.readActual(NODE);
        assertEquals(Set.of(FILTER.key(), SEGMENT.key(), PORT.key(), ROUTE.key()), actual.entries().keySet());
        assertEquals(Pipeline.baseFlows().size(), flows.count(Pipeline.BASE_COOKIE));
        assertTrue(plumbing.bound.contains("p1"));
        assertTrue(db.ports.containsKey("p1"));
    }

    @Test
    public void cachedDatapathFlowsArePurgedAfterEveryChangeOfFlowsAndAFailedPurgeFailsTheChange() {
        List<String> purges = new ArrayList<>();
        OvsEngine purging = new OvsEngine(flows, db, plumbing, () -> purges.add("purge"));
        purging.apply(plan(add(SEGMENT), add(FILTER)));
        assertEquals("a change of flows purges once", 1, purges.size());
        purging.apply(plan());
        assertEquals("nothing changed: no purge", 1, purges.size());

        OvsEngine refused = new OvsEngine(flows, db, plumbing, () -> {
            throw new DriverException("switch gone", null);
        });
        FilterEntry deny = new FilterEntry(new FilterRule("g/d", "p1", Direction.INGRESS, Protocol.TCP, 80, 80,
                "10.200.2.0/24", RuleAction.DENY, 10));
        ApplyResult result = refused.apply(plan(add(deny)));
        assertTrue(result.failures().toString(), result.failures().get(deny.key()).contains("switch gone"));
    }

    @Test
    public void aPortTheSwitchNumberedTooLateIsNotBoundAgainButAChangedOneIs() {
        db.slow = true;
        ApplyResult first = engine.apply(plan(add(SEGMENT), add(PORT)));
        assertEquals("waiting for the switch is not a failure", Map.of(), first.failures());
        assertFalse("nor realised", engine.readActual(NODE).entries().containsKey(PORT.key()));
        assertEquals(1, plumbing.binds);

        db.slow = false;
        assertEquals(Map.of(), engine.apply(plan(add(PORT))).failures());
        assertEquals("already bound as asked: not bound again", 1, plumbing.binds);
        assertTrue(engine.readActual(NODE).entries().containsKey(PORT.key()));

        PortEntry moved = new PortEntry("p1", "n1", "s1", "10.200.1.6", "02:00:00:00:00:05", "10.200.1.1", "netns",
                "ns1");
        assertEquals(Map.of(), engine.apply(plan(add(moved))).failures());
        assertEquals("a changed binding is applied", 2, plumbing.binds);
    }

    @Test
    public void flowsDeletedBehindNetloomsBackShowAsMissing() {
        engine.apply(plan(add(SEGMENT), add(PORT), add(ROUTE)));
        flows.installed.removeIf(f -> f.cookie() == Pipeline.cookie(ROUTE.key()));
        flows.installed.remove(flows.installed.stream().filter(f -> f.cookie() == Pipeline.cookie(PORT.key()))
                .findFirst().orElseThrow());
        assertEquals(Set.of(SEGMENT.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void aPortWhoseVethOrOpenFlowPortChangedIsNotActual() {
        engine.apply(plan(add(SEGMENT), add(PORT)));
        plumbing.bound.clear();
        assertFalse(engine.readActual(NODE).entries().containsKey(PORT.key()));
        plumbing.bound.add("p1");
        assertTrue(engine.readActual(NODE).entries().containsKey(PORT.key()));
        db.ports.put("p1", new BridgeDb.BridgePort("p1", "dev", Optional.of(99)));
        assertFalse(engine.readActual(NODE).entries().containsKey(PORT.key()));
    }

    @Test
    public void aRefusedBundleIsRetriedEntryByEntrySoOnlyTheBadOneFails() {
        flows.refuseCookie = Pipeline.cookie(ROUTE.key());
        ApplyResult result = engine.apply(plan(add(SEGMENT), add(PORT), add(ROUTE)));
        assertEquals(Set.of(ROUTE.key()), result.failures().keySet());
        assertEquals(Set.of(SEGMENT.key(), PORT.key()), engine.readActual(NODE).entries().keySet());
    }

    private static final TunnelEntry TUNNEL = new TunnelEntry("n1", "s1", 5001, "10.200.250.2");
    private static final RemotePortEntry REMOTE = new RemotePortEntry("p9", "n1", "s1", "10.200.1.9",
            "02:00:00:00:00:09", 5001, "node-h2", "10.200.250.3");

    @Test
    public void overlayEntriesGoThroughOneTunnelPortAndReadBackExactly() {
        ApplyResult result = engine.apply(plan(add(SEGMENT), add(TUNNEL), add(REMOTE), add(PORT)));
        assertEquals(Map.of(), result.failures());
        assertEquals(1, db.tunnelsMade);
        int tunnel = db.tunnel.orElseThrow();
        assertTrue(flows.installed.stream().anyMatch(f -> f.toString().contains("output:" + tunnel)
                && f.toString().contains("set_field:10.200.250.3->tun_dst")));
        assertEquals(Set.of(SEGMENT.key(), TUNNEL.key(), REMOTE.key(), PORT.key()),
                engine.readActual(NODE).entries().keySet());
        // A node holding a tunnel makes its workload veths with room for the VXLAN header.
        assertEquals(OptionalInt.of(OvsEngine.OVERLAY_MTU), plumbing.mtu);
        int bundles = flows.bundles;
        assertEquals(Map.of(), engine.apply(plan(add(TUNNEL))).failures());
        assertEquals(1, db.tunnelsMade);
        assertEquals(bundles + 1, flows.bundles);
    }

    @Test
    public void overlayEntriesReadAsMissingWhenTheTunnelPortIsGoneAndComeBackWithTheNewOne() {
        engine.apply(plan(add(SEGMENT), add(TUNNEL), add(REMOTE)));
        db.tunnel = Optional.empty();
        assertEquals(Set.of(SEGMENT.key()), engine.readActual(NODE).entries().keySet());
        assertEquals(Map.of(), engine.apply(plan(add(TUNNEL), add(REMOTE))).failures());
        assertEquals(2, db.tunnelsMade);
        assertEquals(Set.of(SEGMENT.key(), TUNNEL.key(), REMOTE.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void aTunnelWhoseAddressTheHostCannotSendFromFailsWithTheReasonAndSoDoItsRemotePorts() {
        engine.underlay(address -> Optional.of("no underlay for " + address));
        ApplyResult result = engine.apply(plan(add(SEGMENT), add(REMOTE), add(TUNNEL)));
        assertEquals("no underlay for 10.200.250.2", result.failures().get(TUNNEL.key()));
        assertTrue(result.failures().get(REMOTE.key()).contains("no working tunnel"));
        assertEquals(0, db.tunnelsMade);
        assertEquals(Set.of(SEGMENT.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void aRemotePortOnANodeWithoutATunnelFailsAndOneAfterItsTunnelIsRealised() {
        assertTrue(engine.apply(plan(add(REMOTE))).failures().get(REMOTE.key()).contains("no working tunnel"));
        assertEquals(0, db.tunnelsMade);
        engine.apply(plan(add(TUNNEL)));
        assertEquals(Map.of(), engine.apply(plan(add(REMOTE))).failures());
    }

    @Test
    public void aNodeWithoutATunnelKeepsTheKernelsMtuAndMakesNoTunnelPort() {
        engine.apply(plan(add(SEGMENT), add(PORT)));
        assertEquals(OptionalInt.empty(), plumbing.mtu);
        assertEquals(0, db.tunnelsMade);
    }

    @Test
    public void aPortWithoutItsSegmentFailsWithoutTouchingTheHost() {
        ApplyResult result = engine.apply(plan(add(PORT)));
        assertTrue(result.failures().get(PORT.key()).contains("subnet s1"));
        assertTrue(plumbing.bound.isEmpty());
        assertTrue(db.ports.isEmpty());
    }

    @Test
    public void removingAPortDeletesItsFlowsThenItsDevices() {
        engine.apply(plan(add(SEGMENT), add(PORT)));
        ApplyResult result = engine.apply(plan(new PlanStep(PlanStep.Op.REMOVE, PORT)));
        assertEquals(Map.of(), result.failures());
        assertEquals(0, flows.count(Pipeline.cookie(PORT.key())));
        assertFalse(db.ports.containsKey("p1"));
        assertFalse(plumbing.bound.contains("p1"));
        assertEquals(Set.of(SEGMENT.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void aReplacedEntryKeepsItsDevicesAndItsNewContent() {
        engine.apply(plan(add(SEGMENT), add(PORT)));
        PortEntry moved = new PortEntry("p1", "n1", "s1", "10.200.1.9", "02:00:00:00:00:05", "10.200.1.1", "netns",
                "ns1");
        engine.apply(plan(new PlanStep(PlanStep.Op.REMOVE, PORT), add(moved)));
        assertTrue(plumbing.bound.contains("p1"));
        assertEquals(moved, engine.readActual(NODE).entries().get(PORT.key()));
    }

    @Test
    public void anAdoptedJournalIsTrustedOnlyAsFarAsTheSwitchConfirms() {
        engine.apply(plan(add(SEGMENT), add(PORT), add(ROUTE)));
        List<OvsEngine.Applied> journal = engine.journal();
        OvsEngine restarted = new OvsEngine(flows, db, plumbing, Duration.ZERO);
        assertEquals(Set.of(), restarted.readActual(NODE).entries().keySet());
        flows.installed.removeIf(f -> f.cookie() == Pipeline.cookie(ROUTE.key()));
        restarted.adopt(journal);
        assertEquals(Set.of(SEGMENT.key(), PORT.key()), restarted.readActual(NODE).entries().keySet());
        int bundles = flows.bundles;
        assertEquals(Map.of(), restarted.apply(plan(add(ROUTE))).failures());
        assertEquals(bundles + 1, flows.bundles);
    }

    @Test
    public void aRecentReadIsTrustedAndKeptUpToDateByTheEngineItself() {
        OvsEngine trusting = new OvsEngine(flows, db, plumbing, Duration.ofMinutes(1));
        trusting.apply(plan(add(SEGMENT), add(ROUTE)));
        assertEquals(Set.of(SEGMENT.key(), ROUTE.key()), trusting.readActual(NODE).entries().keySet());
        trusting.apply(plan(new PlanStep(PlanStep.Op.REMOVE, ROUTE)));
        assertEquals(Set.of(SEGMENT.key()), trusting.readActual(NODE).entries().keySet());
        flows.installed.clear(); // behind its back: seen only once the read is stale
        assertEquals(Set.of(SEGMENT.key()), trusting.readActual(NODE).entries().keySet());
    }

    @Test
    public void membersSharingAnAddressShareItsFlowsUntilTheLastLeaves() {
        AddressSetEntry first = new AddressSetEntry("web", "p1", "10.200.1.5");
        AddressSetEntry second = new AddressSetEntry("web", "p2", "10.200.1.5");
        FilterEntry fromWeb = new FilterEntry(new FilterRule("g/r", "p1", Direction.INGRESS, Protocol.ANY, null, null,
                null, RuleAction.ALLOW, 1000, "web"));
        assertEquals(Map.of(), engine.apply(plan(add(first), add(second), add(fromWeb))).failures());
        long cookie = Pipeline.cookie(first);
        assertEquals("one copy of the address's flows", 2, flows.count(cookie));
        assertEquals(Pipeline.SLOTS, flows.count(Pipeline.cookie(fromWeb)));
        assertEquals(Set.of(first.key(), second.key(), fromWeb.key()), engine.readActual(NODE).entries().keySet());

        assertEquals(Map.of(), engine.apply(plan(remove(first))).failures());
        assertEquals("the second member still holds the address", 2, flows.count(cookie));
        assertEquals(Set.of(second.key(), fromWeb.key()), engine.readActual(NODE).entries().keySet());

        assertEquals(Map.of(), engine.apply(plan(remove(second))).failures());
        assertEquals(0, flows.count(cookie));
        assertEquals(Set.of(fromWeb.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void anAddressGetsOneSlotPerSetAndOneSetTooManyWaitsForAFreeSlot() {
        List<AddressSetEntry> members = new ArrayList<>();
        for (int i = 0; i <= Pipeline.SLOTS; i++) {
            members.add(new AddressSetEntry("set" + i, "p1", "10.200.1.5"));
        }
        List<PlanStep> steps = new ArrayList<>();
        members.forEach(m -> steps.add(add(m)));
        members.forEach(m -> steps.add(add(fromSet(m.set()))));
        ApplyResult result = engine.apply(new Plan(NODE, steps));
        AddressSetEntry extra = members.get(Pipeline.SLOTS);
        assertEquals(Set.of(extra.key()), result.failures().keySet());
        assertTrue(result.failures().get(extra.key()), result.failures().get(extra.key()).contains("already in "
                + Pipeline.SLOTS + " address sets"));
        assertEquals(Set.of(0, 1, 2, 3), Set.copyOf(slotsOf(members.subList(0, Pipeline.SLOTS))));

        assertEquals(Map.of(), engine.apply(plan(remove(members.get(1)), add(extra))).failures());
        assertEquals("the freed slot is taken", List.of(1), slotsOf(List.of(extra)));
        assertEquals(0, flows.count(Pipeline.cookie(members.get(1))));
        assertEquals("4 members and 5 rules", 2 * Pipeline.SLOTS + 1, engine.readActual(NODE).entries().size());
    }

    @Test
    public void membersOfSetsNoRuleReferencesHaveNoFlowsAndTakeNoSlot() {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < 2 * Pipeline.SLOTS; i++) {
            steps.add(add(new AddressSetEntry("group" + i, "p1", "10.200.1.5")));
        }
        assertEquals(Map.of(), engine.apply(new Plan(NODE, steps)).failures());
        assertEquals(2 * Pipeline.SLOTS, engine.readActual(NODE).entries().size());
        assertEquals(0, flows.installed.stream().filter(f -> f.table() >= Pipeline.SETS
                && f.table() <= Pipeline.SETS_END && f.cookie() != Pipeline.BASE_COOKIE).count());
    }

    @Test
    public void aRuleComingToReferenceASetPlacesItsMembersInTheRulesBundle() {
        AddressSetEntry first = new AddressSetEntry("web", "p1", "10.200.1.5");
        AddressSetEntry second = new AddressSetEntry("web", "p2", "10.200.1.6");
        engine.apply(plan(add(first), add(second)));
        assertEquals(0, flows.count(Pipeline.cookie(first)));
        int bundles = flows.bundles;
        FilterEntry fromWeb = fromSet("web");
        assertEquals(Map.of(), engine.apply(plan(add(fromWeb))).failures());
        assertEquals("one bundle", bundles + 1, flows.bundles);
        assertEquals(2, flows.count(Pipeline.cookie(first)));
        assertEquals(2, flows.count(Pipeline.cookie(second)));
        assertEquals(Set.of(first.key(), second.key(), fromWeb.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void aMemberWithoutASlotWhoseSetARuleReferencesIsNotActual() {
        AddressSetEntry member = new AddressSetEntry("web", "p1", "10.200.1.5");
        FilterEntry fromWeb = fromSet("web");
        engine.adopt(List.of(new OvsEngine.Applied(member, Optional.empty()),
                new OvsEngine.Applied(fromWeb, Optional.empty())));
        flows.installed.addAll(Pipeline.flows(fromWeb, Optional.empty()));
        assertEquals(Set.of(fromWeb.key()), engine.readActual(NODE).entries().keySet());
        assertEquals(Map.of(), engine.apply(plan(add(member))).failures());
        assertEquals(2, flows.count(Pipeline.cookie(member)));
        assertEquals(Set.of(member.key(), fromWeb.key()), engine.readActual(NODE).entries().keySet());
    }

    @Test
    public void aMemberWhoseAddressChangedMovesItsFlows() {
        AddressSetEntry before = new AddressSetEntry("web", "p1", "10.200.1.5");
        AddressSetEntry after = new AddressSetEntry("web", "p1", "10.200.1.6");
        engine.apply(plan(add(before), add(fromSet("web"))));
        assertEquals(Map.of(), engine.apply(plan(add(after))).failures());
        assertEquals(0, flows.count(Pipeline.cookie(before)));
        assertEquals(2, flows.count(Pipeline.cookie(after)));
        assertEquals(after, engine.readActual(NODE).entries().get(after.key()));
    }

    @Test
    public void slotsSurviveARestartThroughTheJournalFile() throws Exception {
        AddressSetEntry web = new AddressSetEntry("web", "p1", "10.200.1.5");
        AddressSetEntry v6 = new AddressSetEntry("web", "p1v6", "fd00::5");
        engine.apply(plan(add(web), add(v6), add(fromSet("web")), add(fromSet("db"))));
        Path file = Files.createTempDirectory("nl-journal").resolve("journal.json");
        try {
            new JournalFile(file).write(engine.journal());
            OvsEngine restarted = new OvsEngine(flows, db, plumbing, Duration.ZERO);
            restarted.adopt(new JournalFile(file).take());
            assertEquals(Set.of(web.key(), v6.key(), fromSet("web").key(), fromSet("db").key()),
                    restarted.readActual(NODE).entries().keySet());
            AddressSetEntry inDb = new AddressSetEntry("db", "p1", "10.200.1.5");
            assertEquals(Map.of(), restarted.apply(plan(add(inDb))).failures());
            assertEquals("the adopted member keeps its slot", List.of(0, 1), slotsOf(List.of(web, inDb)));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        }
    }

    /** The slot each member's flows are in, read from the switch. */
    private List<Integer> slotsOf(List<AddressSetEntry> members) {
        List<Integer> slots = new ArrayList<>();
        for (AddressSetEntry m : members) {
            slots.add(flows.installed.stream().filter(f -> f.cookie() == Pipeline.cookie(m))
                    .mapToInt(f -> f.table() - Pipeline.SETS).min().orElseThrow());
        }
        return slots;
    }

    @Test(expected = DriverException.class)
    public void readingWhileDisconnectedFails() {
        flows.up = false;
        engine.readActual(NODE);
    }

    private static PlanStep add(ConfigEntry entry) {
        return new PlanStep(PlanStep.Op.ADD, entry);
    }

    private static FilterEntry fromSet(String set) {
        return new FilterEntry(new FilterRule("g/" + set, "p1", Direction.INGRESS, Protocol.ANY, null, null, null,
                RuleAction.ALLOW, 1000, set));
    }

    private static PlanStep remove(ConfigEntry entry) {
        return new PlanStep(PlanStep.Op.REMOVE, entry);
    }

    private static Plan plan(PlanStep... steps) {
        return new Plan(NODE, List.of(steps));
    }

    /** A switch that keeps flows in a list and applies a replacement all or nothing. */
    private static final class FakeSwitch implements SwitchFlows {
        final List<FlowSpec> installed = new ArrayList<>();
        boolean up = true;
        long refuseCookie;
        int bundles;

        int count(long cookie) {
            return (int) installed.stream().filter(f -> f.cookie() == cookie).count();
        }

        @Override
        public boolean connected() {
            return up;
        }

        @Override
        public Map<Long, Integer> cookieCounts() {
            Map<Long, Integer> counts = new HashMap<>();
            installed.forEach(f -> counts.merge(f.cookie(), 1, Integer::sum));
            return counts;
        }

        @Override
        public void replace(Collection<Long> deleteCookies, List<FlowSpec> add) {
            if (add.stream().anyMatch(f -> f.cookie() == refuseCookie)) {
                throw new DriverException("bundle refused: bad flow", null);
            }
            Set<Long> gone = new HashSet<>(deleteCookies);
            installed.removeIf(f -> gone.contains(f.cookie()));
            installed.addAll(add);
            bundles++;
        }
    }

    private static final class FakeDb implements BridgeDb {
        final Map<String, BridgePort> ports = new HashMap<>();
        int next = 1;
        Optional<String> owner = Optional.empty();

        @Override
        public Optional<String> foreignOwner() {
            return owner;
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void ensureBridge() {
        }

        @Override
        public Map<String, BridgePort> ports() {
            return Map.copyOf(ports);
        }

        /** Whether the switch is too busy to number new ports in time. */
        boolean slow;

        @Override
        public Numbered addPorts(Map<String, String> devices) {
            Map<String, Integer> ofports = new HashMap<>();
            devices.forEach((portId, device) -> {
                BridgePort port = ports.computeIfAbsent(portId, p -> new BridgePort(p, device,
                        slow ? Optional.empty() : Optional.of(next++)));
                if (port.ofport().isEmpty() && !slow) {
                    port = new BridgePort(portId, device, Optional.of(next++));
                    ports.put(portId, port);
                }
                port.ofport().ifPresent(o -> ofports.put(portId, o));
            });
            return new Numbered(ofports, Map.of());
        }

        @Override
        public void removePort(String portId) {
            ports.remove(portId);
        }

        /** The tunnel port's number once made; set to empty to take it away. */
        Optional<Integer> tunnel = Optional.empty();
        int tunnelsMade;

        @Override
        public int ensureTunnel() {
            if (tunnel.isEmpty()) {
                tunnel = Optional.of(next++);
                tunnelsMade++;
            }
            return tunnel.get();
        }

        @Override
        public Optional<Integer> tunnelPort() {
            return tunnel;
        }
    }

    private static final class FakePlumbing implements PortPlumbing {
        final Set<String> bound = new HashSet<>();

        @Override
        public String hostDevice(String portId) {
            return "nlh-" + portId;
        }

        int binds;
        OptionalInt mtu;

        @Override
        public Map<String, String> bind(Map<PortEntry, Integer> prefixLengths, OptionalInt mtu) {
            this.mtu = mtu;
            prefixLengths.keySet().forEach(p -> bound.add(p.port()));
            binds += prefixLengths.size();
            return Map.of();
        }

        @Override
        public boolean isBound(PortEntry port, int prefixLength) {
            return bound.contains(port.port());
        }

        @Override
        public void unbind(String portId) {
            bound.remove(portId);
        }
    }
}
