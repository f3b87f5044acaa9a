package io.netloom.openstack.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prefix arithmetic for the Neutron view: IP version, overlap, containment and allocation pools. Only literal
 * addresses are parsed (never a host name, so nothing is ever looked up); Netloom's core validates every prefix
 * again, strictly, when it is written.
 */
final class Addresses {

    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** A prefix as a range of integers. */
    record Prefix(int version, BigInteger first, BigInteger last, int length) {

        boolean overlaps(Prefix other) {
            return version == other.version && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
        }

        boolean contains(Prefix other) {
            return version == other.version && first.compareTo(other.first) <= 0 && last.compareTo(other.last) >= 0;
        }

        boolean contains(BigInteger address) {
            return first.compareTo(address) <= 0 && last.compareTo(address) >= 0;
        }
    }

    private Addresses() {
    }

    /**
     * @return the prefix, or empty-handed with a 400 when the text is not a literal prefix
     */
    static Prefix prefix(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw NeutronException.invalidInput("'" + cidr + "' is not a valid IP subnet");
        }
        byte[] bytes = literal(cidr.substring(0, slash), cidr);
        int bits = bytes.length * 8;
        int length;
        try {
            length = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw NeutronException.invalidInput("'" + cidr + "' is not a valid IP subnet");
        }
        if (length < 0 || length > bits) {
            throw NeutronException.invalidInput("'" + cidr + "' is not a valid IP subnet");
        }
        BigInteger value = new BigInteger(1, bytes);
        BigInteger size = BigInteger.ONE.shiftLeft(bits - length);
        BigInteger first = value.subtract(value.mod(size));
        return new Prefix(bytes.length == 4 ? 4 : 6, first, first.add(size).subtract(BigInteger.ONE), length);
    }

    /** @return the address as an integer */
    static BigInteger address(String text) {
        return new BigInteger(1, literal(text, text));
    }

    /** @return the IP version of an address */
    static int version(String text) {
        return literal(text, text).length == 4 ? 4 : 6;
    }

    private static byte[] literal(String text, String whole) {
        if (text == null || !(V4.matcher(text).matches() || V6.matcher(text).matches())) {
            throw NeutronException.invalidInput("'" + whole + "' is not a valid IP address or subnet");
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw NeutronException.invalidInput("'" + whole + "' is not a valid IP address or subnet");
        }
    }

    /**
     * Neutron's default allocation pools of a subnet: every host address but the gateway (IPv4 also without the
     * network and broadcast addresses), as ranges {@code [start, end]}.
     */
    static List<String[]> pools(String cidr, String gateway) {
        Prefix p = prefix(cidr);
        // Neutron leaves out the subnet-router anycast (IPv6) or network (IPv4) address, and the IPv4 broadcast.
        BigInteger first = p.first().add(BigInteger.ONE);
        BigInteger last = p.version() == 4 ? p.last().subtract(BigInteger.ONE) : p.last();
        List<String[]> pools = new ArrayList<>();
        BigInteger gw = gateway == null ? null : address(gateway);
        if (gw != null && gw.compareTo(first) >= 0 && gw.compareTo(last) <= 0) {
            if (gw.compareTo(first) > 0) {
                pools.add(new String[] {text(first, p.version()), text(gw.subtract(BigInteger.ONE), p.version())});
            }
            if (gw.compareTo(last) < 0) {
                pools.add(new String[] {text(gw.add(BigInteger.ONE), p.version()), text(last, p.version())});
            }
        } else if (first.compareTo(last) <= 0) {
            pools.add(new String[] {text(first, p.version()), text(last, p.version())});
        }
        return pools;
    }

    /** A host prefix ({@code /32}, {@code /128}) as its address, as Neutron shows an address pair; else the prefix. */
    static String hostOrPrefix(String prefix) {
        int slash = prefix.indexOf('/');
        if (slash < 0) {
            return prefix;
        }
        int bits = prefix.contains(":") ? 128 : 32;
        return prefix.substring(slash + 1).equals(Integer.toString(bits)) ? prefix.substring(0, slash) : prefix;
    }

    static String text(BigInteger value, int version) {
        int size = version == 4 ? 4 : 16;
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[size];
        int copy = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - copy, bytes, size - copy, copy);
        try {
            String s = InetAddress.getByAddress(bytes).getHostAddress();
            return version == 6 ? compress(s) : s;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints IPv6 uncompressed ({@code 2001:db8:0:0:0:0:0:1}); Neutron prints the RFC 5952 form. */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen && j - i > 1) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
