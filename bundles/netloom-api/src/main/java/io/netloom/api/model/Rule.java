package io.netloom.api.model;

import java.util.Objects;

/**
 * One rule of a security group. Rules are evaluated by ascending {@code priority}; at most one of
 * {@code remoteCidr} and {@code remoteGroup} is set (neither means any remote).
 *
 * @param id server-generated id
 * @param direction ingress or egress
 * @param protocol the protocol matched
 * @param portMin first port of the range (TCP/UDP only), or {@code null} for every port
 * @param portMax last port of the range, or {@code null}
 * @param remoteCidr the remote prefix, canonical, or {@code null}
 * @param remoteGroup the id of the remote security group, or {@code null}
 * @param action allow or deny
 * @param priority 1 to 4096, lower first
 */
public record Rule(String id, Direction direction, Protocol protocol, Integer portMin, Integer portMax,
        String remoteCidr, String remoteGroup, RuleAction action, int priority) {

    /** Lowest allowed priority value (evaluated first). */
    public static final int MIN_PRIORITY = 1;
    /** Highest allowed priority value (evaluated last). */
    public static final int MAX_PRIORITY = 4096;
    /** Priority given when a request names none. */
    public static final int DEFAULT_PRIORITY = 1000;

    /**
     * Checks that no required component is missing.
     */
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(action, "action");
    }

    /**
     * @return the port range as the API writes it ({@code "80"}, {@code "8000-8080"}), or {@code null}
     */
    public String ports() {
        if (portMin == null) {
            return null;
        }
        return portMin.equals(portMax) ? portMin.toString() : portMin + "-" + portMax;
    }
}
