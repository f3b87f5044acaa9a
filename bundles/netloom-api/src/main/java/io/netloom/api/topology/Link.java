package io.netloom.api.topology;

/**
 * An edge of the topology.
 *
 * @param from an id
 * @param to an id
 * @param kind {@code attachment}, {@code peering} or {@code realisation}
 * @param state for peering links the peering's state, else {@code null}
 */
public record Link(String from, String to, String kind, String state) {
}
