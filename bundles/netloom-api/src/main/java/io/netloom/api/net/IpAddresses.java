package io.netloom.api.net;

import java.util.Optional;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * The one strict reading of IP addresses that every Netloom bundle shares: only the textbook forms (dotted-quad
 * IPv4 without leading zeros, standard IPv6 without zones or embedded IPv4), never inet_aton shorthands such as
 * {@code 10.1} or {@code 0x0a.1.2.3}, never a DNS look-up. With the library's lenient defaults, a name such as
 * {@code 10} would be taken for the address 0.0.0.10.
 */
public final class IpAddresses {

    /** Parser settings for a single address without a prefix length. */
    public static final IPAddressStringParameters STRICT = strictParameters();

    private IpAddresses() {
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
                .allowPrefixLengthLeadingZeros(false)
                .allowPrefixesBeyondAddressSize(false)
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
                .allowPrefixLengthLeadingZeros(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowBinary(false)
                .allowZone(false)
                .allowEmptyZone(false)
                .allowBase85(false)
                .allowMixed(false)
                .allow_mixed_inet_aton(false);
        return builder.toParams();
    }

    /**
     * @param text what a user or a packet carried
     * @return the single IPv4 or IPv6 address it is, or empty when it is not exactly one (surrounding whitespace
     *     is not allowed)
     */
    public static Optional<IPAddress> parse(String text) {
        if (text == null || text.isEmpty() || !text.equals(text.strip())) {
            return Optional.empty();
        }
        return Optional.ofNullable(new IPAddressString(text, STRICT).getAddress());
    }

    /**
     * @param ip a canonical IPv4 or IPv6 address
     * @return the prefix of that one address: {@code /32} or {@code /128}
     */
    public static String hostPrefix(String ip) {
        return ip.indexOf(':') >= 0 ? ip + "/128" : ip + "/32";
    }
}
