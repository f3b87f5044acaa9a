package io.netloom.api.routing;

import java.util.Objects;

/**
 * One entry of a network's effective route table.
 *
 * @param destination the destination prefix, canonical ({@code 10.1.0.0/16})
 * @param target where matching traffic goes: {@code local}, or {@code peering:ID}
 * @param origin why the route exists: {@code local} (the network's own address space), {@code peering}, or
 *     {@code static}
 */
public record Route(String destination, String target, String origin) {

    /** Target of a network's own address space. */
    public static final String LOCAL = "local";

    /**
     * Checks that no component is missing.
     */
    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * @param peeringId a peering id
     * @return the target naming that peering
     */
    public static String peeringTarget(String peeringId) {
        return new RouteTarget.Peering(peeringId).text();
    }

    /**
     * @return what the target names
     */
    public RouteTarget parsedTarget() {
        return RouteTarget.of(target);
    }
}
