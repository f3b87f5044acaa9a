package io.netloom.api.driver;

import java.util.Objects;

/**
 * One change of a plan: add an entry, or remove one.
 *
 * @param op add or remove
 * @param entry the entry added, or the entry (as the driver reported it) removed
 */
public record PlanStep(Op op, ConfigEntry entry) {

    /** What a step does. */
    public enum Op {
        /** Install the entry. */
        ADD,
        /** Remove the entry. */
        REMOVE
    }

    /**
     * Checks that no component is missing.
     */
    public PlanStep {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(entry, "entry");
    }
}
