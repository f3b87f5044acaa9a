package io.netloom.core.internal.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import inet.ipaddr.IPAddress;
import io.netloom.api.ValidationException;
import io.netloom.api.model.AddressPair;
import io.netloom.core.internal.ip.Cidrs;
import io.netloom.core.internal.ip.Macs;

/**
 * Checks a port's allowed address pairs: at most {@link #MAX_PAIRS}, each an address or a prefix no broader than
 * {@code /8} (IPv4) or {@code /16} (IPv6) outside the reserved address spaces (so never {@code 0.0.0.0/0}: a port
 * that may send from everything is a port without source checks, which Netloom does not offer), with an optional
 * MAC, no two alike.
 */
final class AddressPairs {

    /** Pairs per port at most (Neutron's default {@code max_allowed_address_pair}). */
    static final int MAX_PAIRS = 10;
    /** The broadest IPv4 prefix a pair may have. */
    static final int MIN_IPV4_LENGTH = 8;
    /** The broadest IPv6 prefix a pair may have. */
    static final int MIN_IPV6_LENGTH = 16;

    private static final String FIELD = "allowedAddressPairs";

    private AddressPairs() {
    }

    /**
     * @param pairs the pairs as the user wrote them, or {@code null} for none
     * @return the pairs in canonical form (a single address as a host prefix, MACs lower case), in the same order
     * @throws ValidationException {@code TOO_MANY_ADDRESS_PAIRS}, {@code REQUIRED}, {@code INVALID_CIDR},
     *         {@code INVALID_ADDRESS}, {@code RESERVED_ADDRESS_SPACE}, {@code ADDRESS_PAIR_TOO_BROAD},
     *         {@code INVALID_MAC}, {@code DUPLICATE_ADDRESS_PAIR}, each with the field at fault
     */
    static List<AddressPair> check(List<AddressPair> pairs) {
        if (pairs == null) {
            return List.of();
        }
        if (pairs.size() > MAX_PAIRS) {
            throw new ValidationException("TOO_MANY_ADDRESS_PAIRS", "A port has at most " + MAX_PAIRS
                    + " allowed address pairs", FIELD);
        }
        List<AddressPair> checked = new ArrayList<>();
        Set<AddressPair> seen = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            String field = FIELD + "[" + i + "]";
            AddressPair pair = pairs.get(i);
            if (pair == null || pair.ipAddress() == null) {
                throw new ValidationException("REQUIRED", "An allowed address pair needs its ipAddress (an address "
                        + "or a prefix)", field + ".ipAddress");
            }
            String prefix = prefix(pair.ipAddress(), field + ".ipAddress");
            String mac = pair.macAddress() == null ? null : Macs.check(pair.macAddress(), field + ".macAddress");
            AddressPair canonical = new AddressPair(prefix, mac);
            if (!seen.add(canonical)) {
                throw new ValidationException("DUPLICATE_ADDRESS_PAIR", "The pair " + prefix
                        + (mac == null ? "" : " " + mac) + " is given twice", field);
            }
            checked.add(canonical);
        }
        return List.copyOf(checked);
    }

    private static String prefix(String text, String field) {
        IPAddress block = text.indexOf('/') >= 0 ? Cidrs.parsePrefix(text, field)
                : Cidrs.parseAddress(text, field).toPrefixBlock(Cidrs.parseAddress(text, field).getBitCount());
        Cidrs.reservedOverlap(block).ifPresent(reserved -> {
            throw new ValidationException("RESERVED_ADDRESS_SPACE", Cidrs.canonical(block) + " overlaps " + reserved
                    + ", which no port may send from", field);
        });
        int min = block.isIPv4() ? MIN_IPV4_LENGTH : MIN_IPV6_LENGTH;
        if (block.getNetworkPrefixLength() < min) {
            throw new ValidationException("ADDRESS_PAIR_TOO_BROAD", Cidrs.canonical(block) + " is broader than /"
                    + min + ", the broadest prefix an allowed address pair may have", field);
        }
        return Cidrs.canonical(block);
    }
}
