package io.netloom.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a subnet, as a merge patch: an empty component leaves that property as it is. A subnet's prefix and
 * gateway never change: its ports' addresses depend on them.
 *
 * @param name the new name
 */
public record SubnetUpdate(Optional<String> name) {

    /**
     * Checks that no component is missing.
     */
    public SubnetUpdate {
        Objects.requireNonNull(name, "name");
    }
}
