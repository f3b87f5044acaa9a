package io.netloom.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a peering's name or flags, as a merge patch: an empty component leaves that property as it is.
 *
 * @param name the new name
 * @param allowVirtualNetworkAccess whether the peering carries traffic at all
 * @param allowForwardedTraffic whether traffic that did not originate in the peer network may cross
 * @param autoSync whether address-space changes are synced at once
 */
public record PeeringUpdate(Optional<String> name, Optional<Boolean> allowVirtualNetworkAccess,
        Optional<Boolean> allowForwardedTraffic, Optional<Boolean> autoSync) {

    /**
     * Checks that no component is missing.
     */
    public PeeringUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(allowVirtualNetworkAccess, "allowVirtualNetworkAccess");
        Objects.requireNonNull(allowForwardedTraffic, "allowForwardedTraffic");
        Objects.requireNonNull(autoSync, "autoSync");
    }
}
