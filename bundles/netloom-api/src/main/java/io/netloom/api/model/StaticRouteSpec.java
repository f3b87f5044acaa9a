package io.netloom.api.model;

/**
 * A request to add a static route, as the user wrote it.
 *
 * @param destination the destination prefix
 * @param nextHop the next-hop address, inside one of the network's subnets
 */
public record StaticRouteSpec(String destination, String nextHop) {
}
