package io.netloom.api.realisation;

import java.util.Objects;

import io.netloom.api.model.RealisationStatus;

/**
 * The realisation of one object.
 *
 * @param status how far it is realised
 * @param detail a sentence explaining the status, empty when there is nothing to add
 */
public record Realisation(RealisationStatus status, String detail) {

    /**
     * Checks that no component is missing.
     */
    public Realisation {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
