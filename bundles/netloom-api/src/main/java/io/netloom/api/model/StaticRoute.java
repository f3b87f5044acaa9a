package io.netloom.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A route a user adds to a network's table: traffic to {@code destination} goes to {@code nextHop}, a port of the
 * network (an appliance such as a firewall or a VPN gateway).
 *
 * @param id server-generated id
 * @param network the id of its network
 * @param tenant the tenant it belongs to (that of its network)
 * @param destination the destination prefix, canonical
 * @param nextHop the next-hop address, inside one of the network's subnets
 * @param createdAt when it was created
 */
public record StaticRoute(String id, String network, String tenant, String destination, String nextHop,
        Instant createdAt) {

    /**
     * Checks that no component is missing.
     */
    public StaticRoute {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(nextHop, "nextHop");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
