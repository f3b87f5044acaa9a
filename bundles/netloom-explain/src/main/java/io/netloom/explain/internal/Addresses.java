package io.netloom.explain.internal;

import java.util.Collection;
import java.util.Optional;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * The address handling explain needs: telling an IP address from a port name, and comparing addresses with what the
 * model stores.
 */
final class Addresses {

    /*
     * Only the textbook forms count as an address, as in the model's own parser: with the library's lenient
     * defaults a port named "10" or "10.1" would be taken for the inet_aton addresses 0.0.0.10 and 10.0.0.1.
     */
    private static final IPAddressStringParameters STRICT = strictParameters();

    private Addresses() {
    }

    private static IPAddressStringParameters strictParameters() {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .setEmptyAsLoopback(false)
                .allowSingleSegment(false)
                .allowAll(false)
                .allowPrefixOnly(false)
                .allowPrefix(false)
                .allowMask(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false)
                .allowIPv4(true)
                .allowIPv6(true);
        builder.getIPv4AddressParametersBuilder()
                .allowLeadingZeros(false)
                .allowUnlimitedLeadingZeros(false)
                .allowBinary(false)
                .allow_inet_aton(false)
                .allow_inet_aton_hex(false)
                .allow_inet_aton_octal(false)
                .allow_inet_aton_leading_zeros(false)
                .allow_inet_aton_joined_segments(false)
                .allow_inet_aton_single_segment_mask(false)
                .allow_inet_aton_extraneous_digits(false);
        builder.getIPv6AddressParametersBuilder()
                .allowLeadingZeros(true)
                .allowUnlimitedLeadingZeros(false)
                .allowBinary(false)
                .allowZone(false)
                .allowEmptyZone(false)
                .allowBase85(false)
                .allowMixed(false)
                .allow_mixed_inet_aton(false);
        return builder.toParams();
    }

    /**
     * @param text what a user wrote
     * @return the single IPv4 or IPv6 address it is, or empty when it is not one (it may then be a port name)
     */
    static Optional<IPAddress> parse(String text) {
        return Optional.ofNullable(new IPAddressString(text.trim(), STRICT).getAddress());
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
