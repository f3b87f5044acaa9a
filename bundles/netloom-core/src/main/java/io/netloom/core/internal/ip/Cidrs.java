package io.netloom.core.internal.ip;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

import io.netloom.api.ValidationException;
import io.netloom.api.net.IpAddresses;

/**
 * Strict parsing, canonical formatting and set relations of IP prefixes (CIDRs) and single addresses.
 *
 * <p>Only the textbook forms are accepted: IPv4 as four decimal octets without leading zeros, IPv6 as up to eight
 * groups of at most four hex digits with at most one {@code ::}, and a decimal prefix length without leading zeros.
 * The many shorthand forms that {@code inet_aton} and the ipaddress library accept ({@code 10.1},
 * {@code 0x0a.1.2.3}, octal, wildcards, ranges, masks, zones, mixed IPv6/IPv4 notation) are rejected because two
 * people reading them can disagree on the address they mean. Nothing here ever looks a name up in DNS.
 *
 * <p>Leading zeros inside IPv6 groups ({@code 2001:0db8::/32}) are accepted: RFC 4291 allows them and, unlike in
 * IPv4, they cannot be mistaken for octal.
 */
public final class Cidrs {

    /** Longest text accepted; the longest IPv6 prefix in full form is 43 characters. */
    static final int MAX_LENGTH = 64;

    private static final String INVALID_CIDR = "INVALID_CIDR";
    private static final String INVALID_ADDRESS = "INVALID_ADDRESS";
    private static final int MAPPED_PREFIX_LENGTH = 96;

    private static final Pattern PREFIX_LENGTH = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

    /*
     * The prefix length is split off and checked here rather than by the library: with prefix-length leading zeros
     * disallowed, ipaddress 5.5.1 also rejects "/0" ("prefix length starts with zero"), so "::/0" would not parse.
     */
    private static final IPAddressStringParameters STRICT = IpAddresses.STRICT;

    /**
     * Address spaces a network may not use: they are not a virtual network's to route (everything, loopback,
     * multicast, link-local, "this network").
     */
    private static final List<Reserved> RESERVED = List.of(
            new Reserved("0.0.0.0/8", "\"this network\" (0.0.0.0/8)"),
            new Reserved("127.0.0.0/8", "loopback (127.0.0.0/8)"),
            new Reserved("169.254.0.0/16", "link-local (169.254.0.0/16)"),
            new Reserved("224.0.0.0/4", "multicast (224.0.0.0/4)"),
            new Reserved("::/128", "the unspecified address (::/128)"),
            new Reserved("::1/128", "loopback (::1/128)"),
            new Reserved("fe80::/10", "link-local (fe80::/10)"),
            new Reserved("ff00::/8", "multicast (ff00::/8)"));

    private record Reserved(IPAddress block, String description) {
        Reserved(String cidr, String description) {
            this(new IPAddressString(cidr).getAddress().toPrefixBlock(), description);
        }
    }

    private Cidrs() {
    }

    /**
     * @param prefix a prefix block
     * @return a description of the reserved address space it overlaps (so a network may not use it), if any
     */
    public static Optional<String> reservedOverlap(IPAddress prefix) {
        if (prefix.getNetworkPrefixLength() == 0) {
            return Optional.of("the whole " + version(prefix) + " address space, with loopback and multicast");
        }
        for (Reserved r : RESERVED) {
            if (r.block().getIPVersion() == prefix.getIPVersion() && overlaps(r.block(), prefix)) {
                return Optional.of(r.description());
            }
        }
        return Optional.empty();
    }


    /**
     * Parses an IPv4 or IPv6 prefix such as {@code 10.1.0.0/16} or {@code fd00:1::/64}.
     *
     * @param text the prefix as a user wrote it
     * @param field the input field path reported on failure, such as {@code cidrs[0]}
     * @return the prefix block: an address with a prefix length whose host bits are all zero
     * @throws ValidationException {@code INVALID_CIDR} when the text is empty, too long, malformed, lacks a prefix
     *         length, has one out of range, or has host bits set (the message then names the network address)
     */
    public static IPAddress parsePrefix(String text, String field) {
        String t = checkCharacters(text, field, INVALID_CIDR, "a CIDR prefix");
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new ValidationException(INVALID_CIDR, "'" + t + "' has no prefix length; write a CIDR prefix such"
                    + " as 10.1.0.0/16 or fd00:1::/64.", field);
        }
        IPAddress address = parseAddressPart(t.substring(0, slash), t, INVALID_CIDR, field);
        String lengthText = t.substring(slash + 1);
        int bits = address.getBitCount();
        if (!PREFIX_LENGTH.matcher(lengthText).matches()) {
            throw new ValidationException(INVALID_CIDR, "'" + t + "' has an invalid prefix length '" + lengthText
                    + "'; it must be a decimal number from 0 to " + bits + " without leading zeros.", field);
        }
        int length = Integer.parseInt(lengthText);
        if (length > bits) {
            throw new ValidationException(INVALID_CIDR, "'" + t + "' has prefix length " + length + ", which is out of"
                    + " range: an " + version(address) + " prefix length is 0 to " + bits + ".", field);
        }
        IPAddress block = address.toPrefixBlock(length);
        if (!block.getLower().getValue().equals(address.getValue())) {
            throw new ValidationException(INVALID_CIDR, "'" + t + "' has host bits set; the network address of that"
                    + " prefix is " + canonical(block) + ".", field);
        }
        if (length >= MAPPED_PREFIX_LENGTH && isIpv4Mapped(address)) {
            throw new ValidationException(INVALID_CIDR, "'" + t + "' lies in the IPv4-mapped IPv6 range ::ffff:0:0/96,"
                    + " which never appears on a network; use the IPv4 prefix instead.", field);
        }
        return block;
    }

    /**
     * Parses a single IPv4 or IPv6 address without a prefix length, as strictly as {@link #parsePrefix}.
     *
     * @param text the address as a user wrote it
     * @param field the input field path reported on failure, such as {@code ip}
     * @return the address, without a prefix length
     * @throws ValidationException {@code INVALID_ADDRESS} when the text is empty, too long, malformed or carries a
     *         prefix length
     */
    public static IPAddress parseAddress(String text, String field) {
        String t = checkCharacters(text, field, INVALID_ADDRESS, "an IP address");
        if (t.indexOf('/') >= 0) {
            throw new ValidationException(INVALID_ADDRESS, "'" + t + "' has a prefix length; write a single address"
                    + " such as 10.1.0.5 or fd00:1::5.", field);
        }
        IPAddress address = parseAddressPart(t, t, INVALID_ADDRESS, field);
        if (isIpv4Mapped(address)) {
            throw new ValidationException(INVALID_ADDRESS, "'" + t + "' is an IPv4-mapped IPv6 address; use the IPv4"
                    + " address instead.", field);
        }
        return address;
    }

    /**
     * Formats a prefix the one way Netloom stores and compares it: IPv4 dotted decimal ({@code 10.1.0.0/16}), IPv6
     * compressed lower case per RFC 5952 ({@code fd00:1::/64}).
     *
     * @param prefix a prefix block, as returned by {@link #parsePrefix}
     * @return the canonical text
     * @throws IllegalArgumentException when {@code prefix} has no prefix length or has host bits set
     */
    public static String canonical(IPAddress prefix) {
        requirePrefix(prefix);
        return prefix.getLower().withoutPrefixLength().toCanonicalString() + "/" + prefix.getNetworkPrefixLength();
    }

    /**
     * Formats a single address without a prefix length: {@code 10.1.0.5}, {@code fd00:1::5}.
     *
     * @param address a single address; a prefix length on it is ignored
     * @return the canonical text
     * @throws IllegalArgumentException when {@code address} stands for more than one address
     */
    public static String canonicalAddress(IPAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isMultiple()) {
            throw new IllegalArgumentException(address + " is a prefix of several addresses, not a single address");
        }
        return address.withoutPrefixLength().toCanonicalString();
    }

    /**
     * Tells whether every address of {@code other} lies inside {@code prefix}.
     *
     * @param prefix a prefix block
     * @param other a single address, or a prefix block
     * @return whether {@code other} is inside {@code prefix}; {@code false} when their IP versions differ
     * @throws IllegalArgumentException when {@code prefix} is not a prefix block
     */
    public static boolean contains(IPAddress prefix, IPAddress other) {
        requirePrefix(prefix);
        Objects.requireNonNull(other, "other");
        return prefix.getIPVersion() == other.getIPVersion() && prefix.contains(asBlock(other));
    }

    /**
     * Tells whether two prefixes share at least one address. Two CIDR blocks overlap exactly when one contains the
     * other, so nested prefixes overlap.
     *
     * @param a a prefix block
     * @param b another prefix block
     * @return whether they share an address; {@code false} when their IP versions differ
     * @throws IllegalArgumentException when either is not a prefix block
     */
    public static boolean overlaps(IPAddress a, IPAddress b) {
        requirePrefix(b);
        return contains(a, b) || contains(b, a);
    }

    /** Precondition shared with {@link Ipam}: the argument is a prefix block as {@link #parsePrefix} returns. */
    static void requirePrefix(IPAddress prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isPrefixed() || !prefix.isSinglePrefixBlock()) {
            throw new IllegalArgumentException(prefix + " is not a prefix block with its host bits zero");
        }
    }

    /** The name of an address's IP version for messages. */
    static String version(IPAddress address) {
        return address.isIPv4() ? "IPv4" : "IPv6";
    }

    /** A prefixed single address such as {@code 10.1.0.5/16} stands for itself, not for its network. */
    private static IPAddress asBlock(IPAddress address) {
        return address.isPrefixed() && address.isSinglePrefixBlock() ? address : address.withoutPrefixLength();
    }

    private static boolean isIpv4Mapped(IPAddress address) {
        return address.isIPv6() && address.toIPv6().getLower().isIPv4Mapped();
    }

    /**
     * Checks what must hold before any parsing and returns the text unchanged, so that messages can quote it safely:
     * it is bounded in length and holds only printable ASCII.
     */
    private static String checkCharacters(String text, String field, String code, String what) {
        if (text == null) {
            throw new ValidationException(code, "No value was given where " + what + " is required.", field);
        }
        if (text.isEmpty()) {
            throw new ValidationException(code, "An empty value is not " + what + ".", field);
        }
        if (text.length() > MAX_LENGTH) {
            throw new ValidationException(code, "The value is " + text.length() + " characters long; "
                    + what + " is at most " + MAX_LENGTH + ".", field);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new ValidationException(code, "The value contains whitespace at position " + (i + 1)
                        + "; " + what + " must not contain any.", field);
            }
            if (c < 0x21 || c > 0x7e) {
                throw new ValidationException(code, "The value contains a character (U+"
                        + String.format("%04X", (int) c) + ") that cannot appear in " + what + ".", field);
            }
        }
        return text;
    }

    /**
     * Parses the address before any {@code /}. IPv4 is checked octet by octet first so that the message names the
     * faulty octet; the library then does the conversion with the strict parameters.
     */
    private static IPAddress parseAddressPart(String part, String whole, String code, String field) {
        if (part.isEmpty()) {
            throw new ValidationException(code, "'" + whole + "' has no address before the '/'.", field);
        }
        if (part.indexOf(':') < 0) {
            checkIpv4Octets(part, whole, code, field);
        } else if (part.indexOf('%') >= 0) {
            throw new ValidationException(code, "'" + whole + "' has an IPv6 zone (the part after '%'), which is not"
                    + " accepted.", field);
        } else if (part.indexOf('.') >= 0) {
            throw new ValidationException(code, "'" + whole + "' mixes IPv6 and IPv4 notation, which is not accepted;"
                    + " write the IPv4 address on its own or the IPv6 address in hex groups.", field);
        }
        try {
            return new IPAddressString(part, STRICT).toAddress();
        } catch (AddressStringException e) {
            if (part.indexOf(':') < 0) {
                throw new ValidationException(code, "'" + whole + "' is not a valid IPv4 address.", field);
            }
            // The IPv6 faults (too many groups, two '::', a group of five digits, a non-hex character) all break
            // the one rule in this sentence, so it serves better than the library's terse reasons.
            throw new ValidationException(code, "'" + whole + "' is not a valid IPv6 address; IPv6 is written as up to"
                    + " eight groups of one to four hex digits separated by ':', with at most one '::'.", field);
        }
    }

    private static void checkIpv4Octets(String part, String whole, String code, String field) {
        String[] octets = part.split("\\.", -1);
        if (octets.length != 4) {
            throw new ValidationException(code, "'" + whole + "' is not a valid IPv4 address: it has " + octets.length
                    + (octets.length == 1 ? " part" : " parts") + " where four dot-separated decimal octets are"
                    + " required (shorthand such as 10.1 is not accepted).", field);
        }
        for (String octet : octets) {
            if (octet.isEmpty()) {
                throw new ValidationException(code, "'" + whole + "' has an empty octet.", field);
            }
            if (!DIGITS.matcher(octet).matches()) {
                throw new ValidationException(code, "'" + whole + "' has octet '" + octet + "', which is not a decimal"
                        + " number from 0 to 255 (hex and other forms are not accepted).", field);
            }
            if (!OCTET.matcher(octet).matches()) {
                if (octet.charAt(0) == '0') {
                    throw new ValidationException(code, "'" + whole + "' has octet '" + octet + "' with a leading"
                            + " zero, which some systems read as octal; write it without leading zeros.", field);
                }
                throw new ValidationException(code, "'" + whole + "' has octet " + octet + ", which is greater than"
                        + " 255.", field);
            }
            if (Integer.parseInt(octet) > 255) {
                throw new ValidationException(code, "'" + whole + "' has octet " + octet + ", which is greater than"
                        + " 255.", field);
            }
        }
    }
}
