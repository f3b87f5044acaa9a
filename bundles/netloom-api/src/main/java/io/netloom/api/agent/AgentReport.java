package io.netloom.api.agent;

import java.util.Map;
import java.util.Objects;

/**
 * What a node agent reports after applying its configuration (and at every heartbeat).
 *
 * @param realisedRevision the revision of the configuration the data plane holds, read back (0 before any)
 * @param agentVersion the agent's version
 * @param failures the entries the data plane does not hold as desired, by key, with the reason; empty when it
 *     holds all of them
 */
public record AgentReport(long realisedRevision, String agentVersion, Map<String, String> failures) {

    /**
     * Checks the version and freezes the map.
     */
    public AgentReport {
        Objects.requireNonNull(agentVersion, "agentVersion");
        failures = failures == null ? Map.of() : Map.copyOf(failures);
    }
}
