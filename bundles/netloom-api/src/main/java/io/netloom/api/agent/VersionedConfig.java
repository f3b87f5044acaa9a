package io.netloom.api.agent;

import java.util.Objects;

import io.netloom.api.driver.NodeConfig;

/**
 * A node's desired configuration with the model revision it was computed at: a node agent that applied it and read
 * it back reports that revision as realised.
 *
 * @param revision the model revision the configuration covers
 * @param config the configuration
 */
public record VersionedConfig(long revision, NodeConfig config) {

    /**
     * Checks that the configuration is given.
     */
    public VersionedConfig {
        Objects.requireNonNull(config, "config");
    }
}
