package io.netloom.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a network, as a merge patch: an empty component leaves that property as it is.
 *
 * @param name the new name
 * @param description the new description (empty text removes it)
 * @param cidrs the whole new address space: prefixes left out are removed, new ones are added
 */
public record NetworkUpdate(Optional<String> name, Optional<String> description, Optional<List<String>> cidrs) {

    /**
     * Checks that no component is missing.
     */
    public NetworkUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(cidrs, "cidrs");
    }
}
