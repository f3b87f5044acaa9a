package io.netloom.api.topology;

/**
 * A data-plane node.
 *
 * @param id the node id, {@code node-TYPE}
 * @param driver the driver type realising it
 * @param status {@code ACTIVE} when a driver of that type is registered and healthy, else {@code DRIVER_MISSING}
 *     or the driver's status
 */
public record TopologyNode(String id, String driver, String status) {
}
