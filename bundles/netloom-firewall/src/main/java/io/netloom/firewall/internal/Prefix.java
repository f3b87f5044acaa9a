package io.netloom.firewall.internal;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * An IP prefix (CIDR block) in the form the decision engine masks with.
 *
 * @param network the first address of the block
 * @param length the prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6)
 */
public record Prefix(PacketAddress network, int length) {

    /**
     * Checks that the length fits the address and that no host bit is set.
     */
    public Prefix {
        if (length < 0 || length > network.bits()) {
            throw new IllegalArgumentException("Prefix length " + length + " does not fit " + network);
        }
        if (!network.masked(length).equals(network)) {
            throw new IllegalArgumentException(network + "/" + length + " has host bits set");
        }
    }

    /**
     * Parses a CIDR of the model or of a compiled rule; those are canonical and valid, so a failure here is a bug
     * upstream rather than a user's mistake.
     *
     * @param cidr such as {@code 10.1.0.0/16} or {@code fd00::/64}
     * @return the prefix
     * @throws IllegalArgumentException when the text is not a CIDR with its host bits zero
     */
    public static Prefix parse(String cidr) {
        IPAddress address = new IPAddressString(cidr).getAddress();
        if (address == null || address.getNetworkPrefixLength() == null || cidr.indexOf('/') < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not a CIDR prefix");
        }
        return new Prefix(PacketAddress.of(address), address.getNetworkPrefixLength());
    }

    /**
     * @param address a single address
     * @return whether the address lies in this block (never when the IP versions differ)
     */
    public boolean contains(PacketAddress address) {
        return address.ipv6() == network.ipv6() && address.masked(length).equals(network);
    }

    /**
     * @param other another block
     * @return whether every address of {@code other} lies in this block
     */
    public boolean contains(Prefix other) {
        return other.length >= length && contains(other.network);
    }

    /**
     * @param other another block
     * @return whether the blocks share an address; two CIDR blocks do exactly when one contains the other
     */
    public boolean overlaps(Prefix other) {
        return contains(other) || other.contains(this);
    }

    /**
     * @return the CIDR text, such as {@code 10.1.0.0/16}
     */
    @Override
    public String toString() {
        return network + "/" + length;
    }
}
