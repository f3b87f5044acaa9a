package io.netloom.core.internal.ip;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import io.netloom.api.ValidationException;

/**
 * Ethernet MAC addresses of ports: generating free ones and checking ones users give. The canonical form is six
 * lower-case hex octets separated by colons, {@code 02:1a:2b:3c:4d:5e}.
 */
public final class Macs {

    private static final String INVALID_MAC = "INVALID_MAC";

    /** Locally administered (bit 1) and unicast (bit 0 clear): never collides with a vendor-assigned address. */
    private static final int LOCAL_UNICAST_FIRST_OCTET = 0x02;
    private static final long LOW_40_BITS = (1L << 40) - 1;

    /*
     * With 2^40 addresses to draw from, this many collisions in a row means the generator or the used set is broken,
     * not that the space is full.
     */
    private static final int MAX_ATTEMPTS = 1000;

    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\\1[0-9A-Fa-f]{2}){4}");
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private Macs() {
    }

    /**
     * Draws a random locally administered unicast MAC address, {@code 02:xx:xx:xx:xx:xx}, that is not in
     * {@code used}.
     *
     * @param random the source of randomness (a seeded one makes tests repeatable)
     * @param used canonical MAC addresses already taken
     * @return a canonical MAC address not in {@code used}
     * @throws IllegalStateException when no free address turns up after many draws, which only a broken random
     *         generator can cause
     */
    public static String generate(RandomGenerator random, Set<String> used) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(used, "used");
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long bits = random.nextLong() & LOW_40_BITS;
            byte[] octets = new byte[6];
            octets[0] = (byte) LOCAL_UNICAST_FIRST_OCTET;
            for (int i = 5; i >= 1; i--) {
                octets[i] = (byte) bits;
                bits >>>= 8;
            }
            String mac = COLONS.formatHex(octets);
            if (!used.contains(mac)) {
                return mac;
            }
        }
        throw new IllegalStateException("No free MAC address after " + MAX_ATTEMPTS + " random draws");
    }

    /**
     * Checks a MAC address a user gave for a port.
     *
     * @param mac six hex octets separated by {@code :} or {@code -} (one separator throughout), either case
     * @param field the input field path reported on failure, such as {@code mac}
     * @return the canonical form: lower case, colon separated
     * @throws ValidationException {@code INVALID_MAC} when it is malformed, multicast (including broadcast) or all
     *         zeros
     */
    public static String check(String mac, String field) {
        if (mac == null || mac.isEmpty()) {
            throw new ValidationException(INVALID_MAC, "A MAC address is required, written like aa:bb:cc:dd:ee:ff.",
                    field);
        }
        if (!MAC.matcher(mac).matches()) {
            throw new ValidationException(INVALID_MAC, "A MAC address must be six pairs of hex digits separated by"
                    + " ':' or '-', like aa:bb:cc:dd:ee:ff.", field);
        }
        String canonical = mac.toLowerCase(Locale.ROOT).replace('-', ':');
        byte[] octets = COLONS.parseHex(canonical);
        if (canonical.equals("ff:ff:ff:ff:ff:ff")) {
            throw new ValidationException(INVALID_MAC, "ff:ff:ff:ff:ff:ff is the broadcast address and cannot be given"
                    + " to a port.", field);
        }
        if ((octets[0] & 1) != 0) {
            throw new ValidationException(INVALID_MAC, canonical + " is a multicast address (the lowest bit of its"
                    + " first octet is set) and cannot be given to a port.", field);
        }
        if (canonical.equals("00:00:00:00:00:00")) {
            throw new ValidationException(INVALID_MAC, "00:00:00:00:00:00 is not a valid port MAC address.", field);
        }
        return canonical;
    }
}
