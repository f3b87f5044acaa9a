package io.netloom.api.model;

/**
 * A request to register a node, as the administrator (or, later, the node's agent) wrote it.
 *
 * @param name a name unique among nodes
 * @param driver the driver type its data plane runs
 * @param underlayAddress the IPv4 or IPv6 address other nodes reach it at
 */
public record NodeSpec(String name, String driver, String underlayAddress) {
}
