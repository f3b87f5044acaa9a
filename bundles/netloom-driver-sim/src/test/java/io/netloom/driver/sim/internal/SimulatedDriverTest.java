package io.netloom.driver.sim.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.After;
import org.junit.Test;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * The driver as the reconciler and the conformance suite use it: apply, read back, send packets.
 */
public class SimulatedDriverTest {

    private static final String NODE = "node-simtest";

    private final SimulatedDriver driver = new SimulatedDriver();

    @After
    public void forgetTheDataPlane() {
        SimulatedDriver.DATA_PLANE.remove(NODE);
        SimulatedDriver.FLOWS.remove(NODE);
        SimulatedDriver.FLOWS.remove("node-empty");
    }

    private static PortEntry port(String id, String ip) {
        return new PortEntry(id, "net", "sub", ip, "02:00:00:00:00:0" + id.length(), "10.0.0.1", null, null);
    }

    private static FilterEntry allowIcmpIn(String port) {
        return new FilterEntry(new FilterRule("g/r", port, Direction.INGRESS, Protocol.ICMP, null, null,
                "10.0.0.0/24", RuleAction.ALLOW, 1000));
    }

    private ApplyResult apply(PlanStep.Op op, ConfigEntry... entries) {
        return driver.apply(new Plan(NODE, List.of(entries).stream().map(e -> new PlanStep(op, e)).toList()));
    }

    @Test
    public void whatIsAppliedIsReadBackAndForwarded() {
        RouteEntry local = new RouteEntry("net", "10.0.0.0/24", "local", null, false);
        assertTrue(apply(PlanStep.Op.ADD, port("p1", "10.0.0.5"), port("p2", "10.0.0.6"), local, allowIcmpIn("p2"))
                .failures().isEmpty());
        NodeConfig actual = driver.readActual(NODE);
        assertEquals(4, actual.entries().size());
        assertTrue(driver.send(NODE, "p1", "10.0.0.6", Protocol.ICMP, 0).delivered());

        apply(PlanStep.Op.REMOVE, allowIcmpIn("p2"));
        assertFalse(driver.send(NODE, "p1", "10.0.0.6", Protocol.ICMP, 0).delivered());
        assertEquals(3, driver.readActual(NODE).entries().size());
    }

    @Test
    public void resetFlowsForgetsReplies() {
        apply(PlanStep.Op.ADD, port("p1", "10.0.0.5"), port("p2", "10.0.0.6"),
                new RouteEntry("net", "10.0.0.0/24", "local", null, false), allowIcmpIn("p2"));
        assertTrue(driver.send(NODE, "p1", "10.0.0.6", Protocol.ICMP, 0).delivered());
        assertTrue(driver.send(NODE, "p2", "10.0.0.5", Protocol.ICMP, 0).delivered());
        driver.resetFlows();
        assertFalse(driver.send(NODE, "p2", "10.0.0.5", Protocol.ICMP, 0).delivered());
    }

    @Test
    public void malformedEntriesAreRefusedAndTheRestIsApplied() {
        FilterEntry badCidr = new FilterEntry(new FilterRule("g/r", "p1", Direction.INGRESS, Protocol.ANY, null,
                null, "not-a-cidr", RuleAction.ALLOW, 1));
        RouteEntry peeringWithoutPeer = new RouteEntry("net", "10.9.0.0/16", "peering:x", null, false);
        ApplyResult result = apply(PlanStep.Op.ADD, port("p1", "10.0.0.5"), port("p3", "10.0.0.300"), badCidr,
                peeringWithoutPeer);
        assertEquals(result.failures().toString(), 3, result.failures().size());
        assertTrue(result.failures().containsKey("port:p3"));
        assertTrue(result.failures().containsKey(badCidr.key()));
        assertTrue(result.failures().get(peeringWithoutPeer.key()).contains("peer network"));
        assertEquals(List.of("port:p1"), List.copyOf(driver.readActual(NODE).entries().keySet()));
    }

    @Test
    public void aNodeWithNothingRealisedDeliversNothing() {
        assertFalse(driver.send("node-empty", "p1", "10.0.0.6", Protocol.ICMP, 0).delivered());
        assertTrue(driver.readActual("node-empty").entries().isEmpty());
    }
}
