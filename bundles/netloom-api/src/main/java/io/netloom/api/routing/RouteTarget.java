package io.netloom.api.routing;

import java.util.Objects;

/**
 * Where a route sends traffic, read from its {@code target} text, which stays the wire form: {@code local} (the
 * network's own address space), {@code peering:ID} (over that peering), or an address (a next hop, such as an
 * appliance port). Every reader of a target parses it here, once.
 */
public sealed interface RouteTarget {

    /** The prefix of a peering target. */
    String PEERING_PREFIX = "peering:";

    /**
     * @param target a route's target text
     * @return what it names
     */
    static RouteTarget of(String target) {
        Objects.requireNonNull(target, "target");
        if (Route.LOCAL.equals(target)) {
            return new Local();
        }
        if (target.startsWith(PEERING_PREFIX)) {
            return new Peering(target.substring(PEERING_PREFIX.length()));
        }
        return new NextHop(target);
    }

    /**
     * @return the target's text, as {@link Route#target()} holds it
     */
    String text();

    /** Delivered within the network. */
    record Local() implements RouteTarget {
        @Override
        public String text() {
            return Route.LOCAL;
        }
    }

    /**
     * Sent over a peering.
     *
     * @param peeringId the peering's id
     */
    record Peering(String peeringId) implements RouteTarget {
        @Override
        public String text() {
            return PEERING_PREFIX + peeringId;
        }
    }

    /**
     * Sent to a next hop in the network.
     *
     * @param address the next hop's address, as given (not checked here)
     */
    record NextHop(String address) implements RouteTarget {
        @Override
        public String text() {
            return address;
        }
    }
}
