package io.netloom.itests.conformance;

import java.util.List;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;

import io.netloom.api.driver.PacketSimulator;
import io.netloom.itests.NetloomTestSupport;
import io.netloom.itests.conformance.ConformanceScenario.Answer;
import io.netloom.itests.conformance.ConformanceScenario.Rest;

/**
 * The driver conformance scenario on the embedded default driver, the simulator: reachability measured with
 * synthetic packets through what the sim driver realised must equal what explain predicts and what the scenario
 * expects, at every stage.
 *
 * <p>The OVS and Linux bridge drivers run the same {@link ConformanceScenario} with a {@link ReachabilityProbe}
 * that pings and connects between network namespaces, and their driver type for the scenario's networks.
 */
public class SimConformanceIT extends NetloomTestSupport {

    /** The node every network of the sim driver is realised on. */
    private static final String NODE = "node-sim";

    @Before
    public void ready() throws Exception {
        waitForRest();
        for (String b : List.of("io.netloom.driver.sim", "io.netloom.routing", "io.netloom.firewall",
                "io.netloom.peering", "io.netloom.explain")) {
            waitFor(b + " active", () -> bundle(b).getState() == Bundle.ACTIVE);
        }
    }

    @Test
    public void simDriverConformsToExplainAcrossEveryStage() throws Exception {
        PacketSimulator simulator = assertServiceAvailable(PacketSimulator.class);
        ReachabilityProbe probe = new SimReachabilityProbe(simulator, NODE);
        Rest rest = (method, path, body) -> {
            Reply reply = asAdmin(method, path, body);
            return new Answer(reply.status(), reply.body());
        };
        ConformanceScenario scenario = new ConformanceScenario(rest, probe, Optional.empty()).withHubAndSpoke();
        new ConformanceRunner(scenario, probe, rest).run();
    }
}
