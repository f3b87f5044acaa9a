package io.netloom.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a port, as a merge patch: an empty component leaves that property as it is. A port's network,
 * subnet, address, MAC and binding never change.
 *
 * @param name the new name
 * @param securityGroups the new security groups, ids or names (the whole list; empty for the network's default
 *     group)
 * @param allowedAddressPairs the new allowed address pairs (the whole list; empty for none)
 */
public record PortUpdate(Optional<String> name, Optional<List<String>> securityGroups,
        Optional<List<AddressPair>> allowedAddressPairs) {

    /**
     * Checks that no component is missing.
     */
    public PortUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(securityGroups, "securityGroups");
        Objects.requireNonNull(allowedAddressPairs, "allowedAddressPairs");
    }
}
