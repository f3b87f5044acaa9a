package io.netloom.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a subnet, as a merge patch: an empty component leaves that property as it is. A subnet's prefix,
 * gateway and allocation pools never change: its ports' addresses depend on them.
 *
 * @param name the new name
 * @param dnsNameservers the new DNS servers (the whole list; empty for none)
 * @param hostRoutes the new host routes (the whole list; empty for none)
 */
public record SubnetUpdate(Optional<String> name, Optional<List<String>> dnsNameservers,
        Optional<List<HostRoute>> hostRoutes) {

    /**
     * Checks that no component is missing.
     */
    public SubnetUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dnsNameservers, "dnsNameservers");
        Objects.requireNonNull(hostRoutes, "hostRoutes");
    }

    /**
     * A change of the name only.
     */
    public SubnetUpdate(Optional<String> name) {
        this(name, Optional.empty(), Optional.empty());
    }
}
