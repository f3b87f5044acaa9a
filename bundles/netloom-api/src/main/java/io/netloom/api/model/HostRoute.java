package io.netloom.api.model;

import java.util.Objects;

/**
 * A route a subnet hands to the workloads bound to it, besides the default route through the subnet's gateway.
 *
 * @param destination the destination prefix, canonical
 * @param nexthop the next hop's address, of the same IP version as {@code destination}
 */
public record HostRoute(String destination, String nexthop) {

    /**
     * Checks that both parts are there.
     */
    public HostRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(nexthop, "nexthop");
    }
}
