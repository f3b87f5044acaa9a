package io.netloom.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a port, as a merge patch: an empty component leaves that property as it is. A port's network, MAC
 * and binding never change; the address of a port that is not bound may.
 *
 * @param name the new name
 * @param securityGroups the new security groups, ids or names (the whole list; empty for the network's default
 *     group)
 * @param allowedAddressPairs the new allowed address pairs (the whole list; empty for none)
 * @param adminDown whether it is to be administratively down ({@code false}: up)
 * @param subnet the subnet (id or name) of its new address, chosen as at creation; only for a port not bound
 * @param ip its new address, checked as at creation; only for a port not bound
 */
public record PortUpdate(Optional<String> name, Optional<List<String>> securityGroups,
        Optional<List<AddressPair>> allowedAddressPairs, Optional<Boolean> adminDown, Optional<String> subnet,
        Optional<String> ip) {

    /**
     * A change that leaves the address as it is.
     */
    public PortUpdate(Optional<String> name, Optional<List<String>> securityGroups,
            Optional<List<AddressPair>> allowedAddressPairs, Optional<Boolean> adminDown) {
        this(name, securityGroups, allowedAddressPairs, adminDown, Optional.empty(), Optional.empty());
    }

    /**
     * A change that leaves the administrative state as it is.
     */
    public PortUpdate(Optional<String> name, Optional<List<String>> securityGroups,
            Optional<List<AddressPair>> allowedAddressPairs) {
        this(name, securityGroups, allowedAddressPairs, Optional.empty());
    }

    /**
     * @return whether it changes the address
     */
    public boolean readdresses() {
        return subnet.isPresent() || ip.isPresent();
    }

    /**
     * Checks that no component is missing.
     */
    public PortUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(securityGroups, "securityGroups");
        Objects.requireNonNull(allowedAddressPairs, "allowedAddressPairs");
        Objects.requireNonNull(adminDown, "adminDown");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(ip, "ip");
    }
}
