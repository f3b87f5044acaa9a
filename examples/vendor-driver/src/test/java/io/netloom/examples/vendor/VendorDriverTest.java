package io.netloom.examples.vendor;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;

public class VendorDriverTest {

    private static final String NODE = "node-vendorx";

    private final VendorDriver driver = new VendorDriver();

    private final SegmentEntry segment = new SegmentEntry("net-1", "sub-1", "10.9.1.0/24", "10.9.1.1");
    private final PortEntry port = new PortEntry("port-1", "net-1", "sub-1", "10.9.1.5", "02:00:00:00:00:05",
            "10.9.1.1", null, null);
    private final RouteEntry route = new RouteEntry("net-1", "10.9.0.0/16", "local", null, false);

    private static Plan plan(PlanStep.Op op, ConfigEntry... entries) {
        return new Plan(NODE, List.of(entries).stream().map(e -> new PlanStep(op, e)).toList());
    }

    @Test
    public void aNodeNeverProgrammedIsEmpty() {
        assertEquals(NodeConfig.empty(NODE), driver.readActual(NODE));
    }

    @Test
    public void appliedEntriesAreReadBackAndRemovedOnes() {
        assertTrue(driver.apply(plan(PlanStep.Op.ADD, segment, port, route)).failures().isEmpty());
        assertEquals(NodeConfig.of(NODE, List.of(segment, port, route)), driver.readActual(NODE));

        driver.apply(plan(PlanStep.Op.REMOVE, route));
        assertEquals(Map.of(segment.key(), segment, port.key(), port), driver.readActual(NODE).entries());
        assertTrue(driver.readActual("node-other").entries().isEmpty());
    }

    @Test
    public void applyingTheSamePlanTwiceChangesNothingMore() {
        driver.apply(plan(PlanStep.Op.ADD, segment, port));
        NodeConfig once = driver.readActual(NODE);
        driver.apply(plan(PlanStep.Op.ADD, segment, port));
        assertEquals(once, driver.readActual(NODE));
    }

    @Test
    public void theOverrideReportsItsConfiguredNameAndKeepsItsOwnStore() {
        VendorSimOverride override = new VendorSimOverride();
        override.activate(new VendorSimOverride.Config() {
            @Override
            public String name() {
                return "Acme sim";
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return VendorSimOverride.Config.class;
            }
        });
        assertEquals("Acme sim", override.name());
        override.apply(plan(PlanStep.Op.ADD, port));
        assertEquals(1, override.readActual(NODE).entries().size());
        assertTrue("each driver has its own data plane", driver.readActual(NODE).entries().isEmpty());
    }
}
