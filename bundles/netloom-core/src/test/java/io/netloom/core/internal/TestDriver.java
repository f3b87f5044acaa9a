package io.netloom.core.internal;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;

/**
 * A driver for tests that only look at its name, health and capabilities: an empty data plane that accepts every
 * plan.
 */
public abstract class TestDriver implements NetworkDriver {

    @Override
    public NodeConfig readActual(String node) {
        return NodeConfig.empty(node);
    }

    @Override
    public ApplyResult apply(Plan plan) {
        return ApplyResult.success();
    }
}
