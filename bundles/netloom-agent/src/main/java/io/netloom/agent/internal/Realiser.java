package io.netloom.agent.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.Plans;

/**
 * Realises a node's configuration with the local driver exactly as the controller's reconciler does for its own
 * nodes: read what the data plane holds, plan the difference with the one planner ({@link Plans}), apply it, read
 * back. What is not read back as desired is reported as failed.
 */
final class Realiser {

    /**
     * What one realisation did.
     *
     * @param revision the revision of the configuration realised
     * @param changes how many plan steps were applied (0 when the data plane held it already)
     * @param failures the entries not held as desired, by key, with the reason
     */
    record Outcome(long revision, int changes, Map<String, String> failures) {
    }

    private Realiser() {
    }

    /**
     * @param node this agent's node
     * @param wanted the configuration to realise
     * @param driver the local driver
     * @return what was done
     * @throws io.netloom.api.driver.DriverException when the data plane cannot be read or reached
     */
    static Outcome realise(String node, VersionedConfig wanted, NetworkDriver driver) {
        NodeConfig desired = new NodeConfig(node, wanted.config().entries());
        NodeConfig actual = driver.readActual(node);
        Plan plan = Plans.plan(desired, actual);
        if (plan.isEmpty()) {
            return new Outcome(wanted.revision(), 0, Map.of());
        }
        ApplyResult result = driver.apply(plan);
        NodeConfig after = driver.readActual(node);
        Map<String, String> failures = new LinkedHashMap<>(result.failures());
        for (Map.Entry<String, ConfigEntry> e : desired.entries().entrySet()) {
            if (!e.getValue().equals(after.entries().get(e.getKey()))) {
                failures.putIfAbsent(e.getKey(), "Not read back as desired after applying");
            }
        }
        for (String key : after.entries().keySet()) {
            if (!desired.entries().containsKey(key)) {
                failures.putIfAbsent(key, "Still present after its removal was applied");
            }
        }
        return new Outcome(wanted.revision(), plan.steps().size(), failures);
    }
}
