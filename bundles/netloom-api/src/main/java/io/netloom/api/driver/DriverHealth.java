package io.netloom.api.driver;

import java.util.Objects;

/**
 * What a driver says about its own data plane.
 *
 * @param state whether the data plane can be programmed
 * @param detail a sentence for an operator, empty when there is nothing to add
 */
public record DriverHealth(State state, String detail) {

    /** Whether a driver can program its data plane. */
    public enum State {
        /** Reachable and programmable. */
        UP,
        /** Reachable, but something is wrong (for example a lost channel being re-established). */
        DEGRADED,
        /** Cannot program its data plane. */
        DOWN
    }

    /**
     * @param state whether the data plane can be programmed
     * @param detail a sentence for an operator
     */
    public DriverHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @return a healthy report with no detail
     */
    public static DriverHealth up() {
        return new DriverHealth(State.UP, "");
    }
}
