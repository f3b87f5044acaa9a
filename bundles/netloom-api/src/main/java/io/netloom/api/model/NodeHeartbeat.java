package io.netloom.api.model;

/**
 * What a node reports about itself at each heartbeat.
 *
 * @param realisedRevision the highest model revision it has applied and read back
 * @param agentVersion the version of its agent
 */
public record NodeHeartbeat(long realisedRevision, String agentVersion) {
}
