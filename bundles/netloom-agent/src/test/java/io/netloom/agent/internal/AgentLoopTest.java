package io.netloom.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.codec.ConfigCodec;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;

public class AgentLoopTest {

    private static final String NODE = "node-0123456789ab";

    /** A data plane that is a map, counting the steps applied to it; it may refuse some keys. */
    private static final class MemoryDriver implements NetworkDriver {
        final Map<String, ConfigEntry> entries = new LinkedHashMap<>();
        final Set<String> refused;
        int steps;

        MemoryDriver(Set<String> refused) {
            this.refused = refused;
        }

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public DriverHealth health() {
            return DriverHealth.up();
        }

        @Override
        public Set<DriverCapability> capabilities() {
            return Set.of(DriverCapability.ADDRESS_SETS);
        }

        @Override
        public NodeConfig readActual(String node) {
            assertEquals(NODE, node);
            return new NodeConfig(node, entries);
        }

        @Override
        public ApplyResult apply(Plan plan) {
            Map<String, String> failures = new LinkedHashMap<>();
            for (PlanStep step : plan.steps()) {
                steps++;
                if (refused.contains(step.entry().key())) {
                    failures.put(step.entry().key(), "refused");
                } else if (step.op() == PlanStep.Op.ADD) {
                    entries.put(step.entry().key(), step.entry());
                } else {
                    entries.remove(step.entry().key());
                }
            }
            return new ApplyResult(failures);
        }
    }

    /** A controller that answers polls from a queue (empty: nothing newer) and may be unreachable. */
    private static final class FakeController implements ControllerClient {
        final Deque<VersionedConfig> answers = new ArrayDeque<>();
        final List<Long> polledAfter = new ArrayList<>();
        final List<AgentReport> reports = new ArrayList<>();
        boolean down;

        @Override
        public Optional<VersionedConfig> poll(long after, Duration wait) throws IOException {
            if (down) {
                throw new IOException("connection refused");
            }
            polledAfter.add(after);
            // Over the wire, as the controller sends it.
            VersionedConfig next = answers.poll();
            return next == null ? Optional.empty()
                    : Optional.of(ConfigCodec.read(ConfigCodec.write(next.revision(), next.config())));
        }

        @Override
        public void report(AgentReport report) throws IOException {
            if (down) {
                throw new IOException("connection refused");
            }
            reports.add(report);
        }
    }

    private static VersionedConfig config(long revision, String node, int ports) {
        List<ConfigEntry> entries = new ArrayList<>();
        entries.add(new SegmentEntry("net-1", "sub-1", "10.1.1.0/24", "10.1.1.1"));
        entries.add(new RouteEntry("net-1", "10.1.0.0/16", "local", null, false));
        for (int i = 0; i < ports; i++) {
            entries.add(new PortEntry("port-" + i, "net-1", "sub-1", "10.1.1." + (10 + i), "02:00:00:00:00:0" + i,
                    "10.1.1.1", "netns", "ns-" + i));
        }
        return new VersionedConfig(revision, NodeConfig.of(node, entries));
    }

    private static AgentLoop loop(FakeController controller, MemoryDriver driver) {
        return new AgentLoop(NODE, "memory", controller, () -> Optional.of(driver), "0.1.0", Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    @Test
    public void aFetchedConfigurationIsRealisedAndItsRevisionReported() {
        FakeController controller = new FakeController();
        MemoryDriver driver = new MemoryDriver(Set.of());
        AgentLoop agent = loop(controller, driver);
        controller.answers.add(config(7, NODE, 2));
        assertEquals(0, agent.round());
        assertEquals(config(7, NODE, 2).config().entries(), driver.entries);
        assertEquals(4, driver.steps);
        assertEquals(new AgentReport(7, "0.1.0", Map.of()), controller.reports.get(0));
        // Nothing newer: the held configuration is checked again and nothing changes.
        agent.round();
        assertEquals(4, driver.steps);
        assertEquals(List.of(0L, 7L), controller.polledAfter);
        // A newer one: only the difference is applied.
        controller.answers.add(config(9, NODE, 3));
        agent.round();
        assertEquals(5, driver.steps);
        assertEquals(9, agent.currentReport().realisedRevision());
    }

    @Test
    public void anUnreachableControllerLeavesTheDataPlaneAsItIsAndReconnectingResyncsWithNoChange() {
        FakeController controller = new FakeController();
        MemoryDriver driver = new MemoryDriver(Set.of());
        AgentLoop agent = loop(controller, driver);
        controller.answers.add(config(7, NODE, 2));
        agent.round();
        Map<String, ConfigEntry> before = new LinkedHashMap<>(driver.entries);
        int steps = driver.steps;
        controller.down = true;
        long pause = 0;
        for (int i = 0; i < 10; i++) {
            long next = agent.round();
            assertTrue("backs off", next >= pause);
            pause = next;
        }
        assertEquals(30_000, pause);
        assertEquals(before, driver.entries);
        assertEquals(steps, driver.steps);
        // The controller is back (restarted): the whole configuration is asked for again, and nothing changes.
        controller.down = false;
        controller.answers.add(config(7, NODE, 2));
        assertEquals(0, agent.round());
        assertEquals(0L, (long) controller.polledAfter.get(controller.polledAfter.size() - 1));
        assertEquals(steps, driver.steps);
        assertEquals(new AgentReport(7, "0.1.0", Map.of()), agent.currentReport());
    }

    @Test
    public void aRestartedAgentResyncsWithNoChange() {
        FakeController controller = new FakeController();
        MemoryDriver driver = new MemoryDriver(Set.of());
        controller.answers.add(config(7, NODE, 3));
        loop(controller, driver).round();
        int steps = driver.steps;
        controller.answers.add(config(7, NODE, 3));
        AgentLoop restarted = loop(controller, driver);
        restarted.round();
        assertEquals(steps, driver.steps);
        assertEquals(7, restarted.currentReport().realisedRevision());
    }

    @Test
    public void failuresAreReportedPerEntryAndTriedAgain() {
        FakeController controller = new FakeController();
        MemoryDriver driver = new MemoryDriver(Set.of(PortEntry.keyOf("port-1")));
        AgentLoop agent = loop(controller, driver);
        controller.answers.add(config(7, NODE, 2));
        agent.round();
        AgentReport report = agent.currentReport();
        assertEquals(7, report.realisedRevision());
        assertEquals(Set.of(PortEntry.keyOf("port-1")), report.failures().keySet());
        int steps = driver.steps;
        agent.round();
        assertEquals("the failed step is tried again", steps + 1, driver.steps);
    }

    @Test
    public void anotherNodesConfigurationIsRefusedAndNothingApplied() {
        FakeController controller = new FakeController();
        MemoryDriver driver = new MemoryDriver(Set.of());
        AgentLoop agent = loop(controller, driver);
        controller.answers.add(config(7, "node-ffffffffffff", 2));
        assertTrue(agent.round() > 0);
        assertEquals(0, driver.steps);
        assertEquals(Optional.empty(), agent.held());
    }

    @Test
    public void withoutItsDriverTheAgentReportsAndTouchesNothing() {
        FakeController controller = new FakeController();
        AgentLoop agent = new AgentLoop(NODE, "memory", controller, Optional::empty, "0.1.0", Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        controller.answers.add(config(7, NODE, 2));
        agent.round();
        assertEquals(Set.of(AgentLoop.DRIVER_KEY), agent.currentReport().failures().keySet());
    }
}
