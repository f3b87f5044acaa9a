package io.netloom.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a security group, as a merge patch: an empty component leaves that property as it is. Rules change
 * through their own operations.
 *
 * @param name the new name
 * @param description the new description (empty text removes it)
 */
public record SecurityGroupUpdate(Optional<String> name, Optional<String> description) {

    /**
     * Checks that no component is missing.
     */
    public SecurityGroupUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
