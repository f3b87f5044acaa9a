package io.netloom.firewall.internal;

import java.util.Objects;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;
import io.netloom.api.ValidationException;

/**
 * An IPv4 or IPv6 address held in two longs, so that masking and hashing on the decision path allocate nothing.
 * An IPv4 address uses the low 32 bits of {@code low}; {@code high} is then zero.
 *
 * @param ipv6 whether it is an IPv6 address
 * @param high the upper 64 bits of an IPv6 address, zero for IPv4
 * @param low the lower 64 bits of an IPv6 address, or the 32 bits of an IPv4 address
 */
public record PacketAddress(boolean ipv6, long high, long low) {

    /** Bits in an IPv4 address. */
    static final int IPV4_BITS = 32;
    /** Bits in an IPv6 address. */
    static final int IPV6_BITS = 128;

    private static final int LONG_BITS = 64;
    private static final long IPV4_MASK = 0xFFFF_FFFFL;

    /*
     * A packet's address is one address in its plain form: the library's shorthands (inet_aton, single segments,
     * ranges, wildcards, masks, zones) would let two readers disagree about which address a packet carries.
     */
    private static final IPAddressStringParameters SINGLE_ADDRESS = singleAddressParameters();

    private static IPAddressStringParameters singleAddressParameters() {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .setEmptyAsLoopback(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowPrefixOnly(false)
                .allowPrefix(false)
                .allowMask(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        builder.getIPv6AddressParametersBuilder().allowZone(false).allowEmptyZone(false);
        return builder.toParams();
    }

    /**
     * Parses the address of a packet's other end.
     *
     * @param text an IPv4 or IPv6 address such as {@code 10.1.0.5} or {@code fd00:1::5}
     * @return the address
     * @throws ValidationException {@code INVALID_ADDRESS} on field {@code remoteAddress} when it is not one
     */
    public static PacketAddress parse(String text) {
        long ipv4 = text == null ? -1 : dottedQuad(text);
        if (ipv4 >= 0) {
            return new PacketAddress(false, 0L, ipv4);
        }
        IPAddress address = text == null ? null : new IPAddressString(text, SINGLE_ADDRESS).getAddress();
        if (address == null) {
            throw new ValidationException("INVALID_ADDRESS", "'" + text + "' is not an IPv4 or IPv6 address such as"
                    + " 10.1.0.5 or fd00:1::5", "remoteAddress");
        }
        return of(address);
    }

    /**
     * Reads the plain IPv4 form (four decimal octets of 0 to 255 without leading zeros) by hand: the library takes
     * about a microsecond per address, several times the cost of the decision itself. Anything else, including
     * every IPv6 address, is left to the library, which reads these forms the same way.
     *
     * @param text an address
     * @return the IPv4 address as an unsigned 32-bit value, or {@code -1} when the text is not in that form
     */
    static long dottedQuad(String text) {
        int length = text.length();
        long value = 0;
        int octets = 0;
        int i = 0;
        while (i < length) {
            int start = i;
            int octet = 0;
            while (i < length && i - start < 3) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            value = (value << Byte.SIZE) | octet;
            octets++;
            if (i == length) {
                break;
            }
            if (octets == 4 || text.charAt(i) != '.') {
                return -1;
            }
            i++;
            if (i == length) {
                return -1;
            }
        }
        return octets == 4 ? value : -1;
    }

    /**
     * @param address an address from the ipaddress library; for a prefix, its lowest address
     * @return the same address as two longs
     */
    static PacketAddress of(IPAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getLower().getBytes();
        if (address.isIPv4()) {
            return new PacketAddress(false, 0L, toLong(bytes, 0, 4));
        }
        return new PacketAddress(true, toLong(bytes, 0, 8), toLong(bytes, 8, 8));
    }

    private static long toLong(byte[] bytes, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            value = (value << Byte.SIZE) | (bytes[i] & 0xFF);
        }
        return value;
    }

    /**
     * @return 32 or 128
     */
    int bits() {
        return ipv6 ? IPV6_BITS : IPV4_BITS;
    }

    /**
     * @param ipv6 the IP version
     * @param length a prefix length valid for that version
     * @return the mask to apply to {@link #high()} for a prefix of that length
     */
    static long highMask(boolean ipv6, int length) {
        if (!ipv6) {
            return 0L;
        }
        return length >= LONG_BITS ? -1L : leadingOnes(length);
    }

    /**
     * @param ipv6 the IP version
     * @param length a prefix length valid for that version
     * @return the mask to apply to {@link #low()} for a prefix of that length
     */
    static long lowMask(boolean ipv6, int length) {
        if (!ipv6) {
            return (leadingOnes(length) >>> IPV4_BITS) & IPV4_MASK;
        }
        return length <= LONG_BITS ? 0L : leadingOnes(length - LONG_BITS);
    }

    /** A long whose {@code count} most significant bits are set; Java shifts by 64 are no-ops, hence the test. */
    private static long leadingOnes(int count) {
        return count == 0 ? 0L : -1L << (LONG_BITS - count);
    }

    /**
     * @param length a prefix length valid for this address's version
     * @return the first address of the prefix of that length that holds this one
     */
    PacketAddress masked(int length) {
        return new PacketAddress(ipv6, high & highMask(ipv6, length), low & lowMask(ipv6, length));
    }

    /**
     * @return the address in canonical text form ({@code 10.1.0.5}, {@code fd00:1::5})
     */
    @Override
    public String toString() {
        if (!ipv6) {
            return (low >>> 24 & 0xFF) + "." + (low >>> 16 & 0xFF) + "." + (low >>> 8 & 0xFF) + "." + (low & 0xFF);
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return new IPv6Address(bytes).toCanonicalString();
    }
}
