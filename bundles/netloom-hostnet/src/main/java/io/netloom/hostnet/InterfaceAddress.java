package io.netloom.hostnet;

import java.util.Objects;

/**
 * An address configured on a device, as {@code ip -j addr show} reports it.
 *
 * @param address the address, as iproute2 prints it
 * @param prefixLength its prefix length
 */
public record InterfaceAddress(String address, int prefixLength) {

    /**
     * Checks the fields.
     */
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("A prefix length is 0 to 128, not " + prefixLength);
        }
    }

    /**
     * @return {@code address/prefixLength}, as {@code ip addr add} takes it
     */
    public String cidr() {
        return address + "/" + prefixLength;
    }

    /**
     * @return whether it is an IPv6 address
     */
    public boolean isIpv6() {
        return address.indexOf(':') >= 0;
    }
}
