package io.netloom.api.driver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class PlansTest {

    @Test
    public void everyEntryTypeHasItsPlaceInBothOrders() {
        // An entry type missing here would silently never be added or removed by any plan.
        Set<Class<?>> permitted = Set.of(ConfigEntry.class.getPermittedSubclasses());
        assertEquals(permitted, Set.copyOf(Plans.ADD_ORDER));
        assertEquals(permitted, Set.copyOf(Plans.REMOVE_ORDER));
    }

    @Test
    public void overlayEntriesArePlannedAfterTheirSegmentAndRemovedBeforeIt() {
        NodeConfig desired = NodeConfig.of("n", List.of(new SegmentEntry("net", "sub", "10.1.1.0/24", "10.1.1.1"),
                new TunnelEntry("net", "sub", 7, "10.200.250.11"),
                new RemotePortEntry("p", "net", "sub", "10.1.1.5", "02:00:00:00:00:05", 7, "n2",
                        "10.200.250.12")));
        Plan add = Plans.plan(desired, NodeConfig.empty("n"));
        assertEquals(List.of("segment:sub", "tunnel:sub", "remote:p"), add.steps().stream()
                .map(s -> s.entry().key()).toList());
        Plan remove = Plans.plan(NodeConfig.empty("n"), desired);
        assertEquals(List.of("remote:p", "tunnel:sub", "segment:sub"), remove.steps().stream()
                .map(s -> s.entry().key()).toList());
    }

    private static final SegmentEntry SEGMENT = new SegmentEntry("net-1", "sub-1", "10.1.1.0/24", "10.1.1.1");
    private static final PortEntry PORT = new PortEntry("port-1", "net-1", "sub-1", "10.1.1.2", "02:00:00:00:00:02",
            "10.1.1.1", "netns", "ns-a");
    private static final RouteEntry ROUTE = new RouteEntry("net-1", "10.1.0.0/16", "local", null, false);
    private static final FilterEntry ALLOW_WEB = filter("sg/r1", RuleAction.ALLOW, 80);
    private static final FilterEntry DENY_SSH = filter("sg/r2", RuleAction.DENY, 22);

    private static FilterEntry filter(String cookie, RuleAction action, int port) {
        return new FilterEntry(new FilterRule(cookie, "port-1", Direction.INGRESS, Protocol.TCP, port, port,
                "10.0.0.0/8", action, 100));
    }

    private static NodeConfig config(ConfigEntry... entries) {
        return NodeConfig.of("node-sim", List.of(entries));
    }

    private static List<String> ops(Plan plan) {
        List<String> ops = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            ops.add(step.op() + " " + step.entry().key().split(":")[0]);
        }
        return ops;
    }

    @Test
    public void unchangedConfigurationGivesAnEmptyPlan() {
        NodeConfig desired = config(SEGMENT, PORT, ROUTE, ALLOW_WEB);
        assertTrue(Plans.plan(desired, config(SEGMENT, PORT, ROUTE, ALLOW_WEB)).isEmpty());
        assertTrue(Plans.plan(config(), config()).isEmpty());
    }

    @Test
    public void planHoldsOnlyTheDifference() {
        Plan plan = Plans.plan(config(SEGMENT, PORT, ROUTE, ALLOW_WEB, DENY_SSH),
                config(SEGMENT, PORT, ROUTE, ALLOW_WEB));
        assertEquals(List.of(new PlanStep(PlanStep.Op.ADD, DENY_SSH)), plan.steps());
    }

    @Test
    public void filtersGoInBeforeThePortAndRoutesThatOpenTraffic() {
        Plan plan = Plans.plan(config(SEGMENT, PORT, ROUTE, ALLOW_WEB, DENY_SSH), config());
        assertEquals(List.of("ADD filter", "ADD filter", "ADD segment", "ADD port", "ADD route"), ops(plan));
    }

    @Test
    public void routesAndPortsGoOutBeforeTheirFilters() {
        Plan plan = Plans.plan(config(), config(SEGMENT, PORT, ROUTE, ALLOW_WEB));
        assertEquals(List.of("REMOVE route", "REMOVE port", "REMOVE segment", "REMOVE filter"), ops(plan));
    }

    @Test
    public void aChangedEntryIsReplacedInPlaceNeverRemovedFirst() {
        PortEntry moved = new PortEntry("port-1", "net-1", "sub-1", "10.1.1.2", "02:00:00:00:00:02", "10.1.1.1",
                "netns", "ns-b");
        Plan plan = Plans.plan(config(SEGMENT, moved), config(SEGMENT, PORT));
        assertEquals(List.of(new PlanStep(PlanStep.Op.ADD, moved)), plan.steps());
    }

    @Test
    public void replacingARuleAddsTheNewOneBeforeRemovingTheOld() {
        Plan plan = Plans.plan(config(PORT, DENY_SSH), config(PORT, ALLOW_WEB));
        assertEquals(List.of(new PlanStep(PlanStep.Op.ADD, DENY_SSH), new PlanStep(PlanStep.Op.REMOVE, ALLOW_WEB)),
                plan.steps());
    }
}
