package io.netloom.hostnet.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals to the bytes netlink carries and back, strictly: nothing here ever asks a name service.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * @param literal a dotted-quad IPv4 address or an IPv6 address
     * @return its 4 or 16 bytes
     * @throws IllegalArgumentException when it is neither
     */
    static byte[] parse(String literal) {
        if (literal.indexOf(':') >= 0) {
            try {
                // A literal with a colon is parsed as IPv6 and never looked up; it must come out as one.
                InetAddress address = InetAddress.getByName(literal);
                if (address instanceof Inet6Address && literal.matches("[0-9A-Fa-f:.]+")) {
                    return address.getAddress();
                }
            } catch (UnknownHostException e) {
                // refused below
            }
            throw new IllegalArgumentException("'" + literal + "' is not an IPv6 address");
        }
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + literal + "' is not an IPv4 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + literal + "' is not an IPv4 address");
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return bytes;
    }

    /**
     * @param bytes 4 or 16 bytes
     * @return the address as text
     */
    static String format(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
