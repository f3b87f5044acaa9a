package io.netloom.agent.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.VersionedConfig;

/**
 * What the agent asks of the controller: its node's configuration and taking its reports.
 */
interface ControllerClient {

    /**
     * Waits for a configuration newer than the one the agent holds.
     *
     * @param after the revision the agent holds, 0 for none (the controller answers at once)
     * @param wait how long the controller may hold the request
     * @return the newer configuration, empty when none came within {@code wait}
     * @throws IOException when the controller cannot be reached or refuses the request
     */
    Optional<VersionedConfig> poll(long after, Duration wait) throws IOException;

    /**
     * @param report what the agent realised
     * @throws IOException when the controller cannot be reached or refuses the report
     */
    void report(AgentReport report) throws IOException;
}
