package io.netloom.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An allowed address pair of a port (Neutron's semantics): an extra source prefix the port may send from, and
 * optionally the MAC it sends it with, so that an appliance (a firewall, a router, a VIP holder) can forward or
 * answer for addresses that are not its own. Port security lets traffic from the pair through; it grants nothing
 * else (the firewall's rules still decide).
 *
 * @param ipAddress the prefix, canonical ({@code 10.200.16.0/20}; a single address is stored as {@code /32} or
 *     {@code /128})
 * @param macAddress the MAC the pair is sent with, lower case, or {@code null} for the port's own MAC
 */
public record AddressPair(String ipAddress, String macAddress) {

    /**
     * Checks that the prefix is there.
     */
    public AddressPair {
        Objects.requireNonNull(ipAddress, "ipAddress");
    }

    /**
     * @return the pair's own MAC, when it names one
     */
    public Optional<String> macIfAny() {
        return Optional.ofNullable(macAddress);
    }

    /**
     * @param portMac the MAC of the port holding the pair
     * @return the MAC the pair is sent with: its own, or the port's
     */
    public String macOr(String portMac) {
        return macAddress != null ? macAddress : portMac;
    }
}
