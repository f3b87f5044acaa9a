package io.netloom.explain.internal;

import java.util.Collection;
import java.util.Optional;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.net.IpAddresses;

/**
 * The address handling explain needs: telling an IP address from a port name, and comparing addresses with what the
 * model stores.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * @param text what a user wrote
     * @return the single IPv4 or IPv6 address it is, or empty when it is not one (it may then be a port name)
     */
    static Optional<IPAddress> parse(String text) {
        return IpAddresses.parse(text.trim());
    }

    /**
     * @param stored an address as the model stores it (canonical, validated when written)
     * @return the address
     * @throws IllegalStateException when the model holds something that is not an address
     */
    static IPAddress stored(String stored) {
        IPAddress address = new IPAddressString(stored).getAddress();
        if (address == null) {
            throw new IllegalStateException("The model holds '" + stored + "' where an IP address belongs");
        }
        return address;
    }

    /**
     * @param address a single address
     * @return its canonical text, as the model stores addresses: {@code 10.1.0.5}, {@code fd00:1::5}
     */
    static String canonical(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    /**
     * @param address a single address
     * @param stored an address as the model stores it
     * @return whether they are the same address
     */
    static boolean same(IPAddress address, String stored) {
        return address.withoutPrefixLength().equals(stored(stored).withoutPrefixLength());
    }

    /**
     * @param cidrs prefixes as the model stores them
     * @param address a single address
     * @return whether one of the prefixes holds the address
     */
    static boolean anyContains(Collection<String> cidrs, IPAddress address) {
        for (String cidr : cidrs) {
            IPAddress prefix = stored(cidr);
            if (prefix.getIPVersion() == address.getIPVersion() && prefix.toPrefixBlock().contains(address)) {
                return true;
            }
        }
        return false;
    }
}
