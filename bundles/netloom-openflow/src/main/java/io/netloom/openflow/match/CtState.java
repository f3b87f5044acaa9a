package io.netloom.openflow.match;

/**
 * A match on Open vSwitch's connection-tracking state ({@code NXM_NX_CT_STATE}): which bits must be set and which
 * must be clear. Bits outside {@code mask} are not matched.
 *
 * @param value required bit values
 * @param mask bits that are matched
 */
public record CtState(int value, int mask) {
    /** The packet starts a new connection. */
    public static final int NEW = 0x01;
    /** The packet belongs to an established connection. */
    public static final int ESTABLISHED = 0x02;
    /** The packet relates to an existing connection (e.g. ICMP error). */
    public static final int RELATED = 0x04;
    /** The packet is in the reply direction. */
    public static final int REPLY = 0x08;
    /** The connection tracker considers the packet invalid. */
    public static final int INVALID = 0x10;
    /** The packet went through the connection tracker. */
    public static final int TRACKED = 0x20;
    /** Source NAT was applied. */
    public static final int SNAT = 0x40;
    /** Destination NAT was applied. */
    public static final int DNAT = 0x80;

    private static final String[] NAMES = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};

    /**
     * Checks that the value has no bits outside the mask.
     *
     * @throws IllegalArgumentException otherwise
     */
    public CtState {
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException("ct_state value has bits outside its mask");
        }
    }

    /**
     * Builds a state match from the bits that must be set and those that must be clear.
     *
     * @param set bits required to be 1
     * @param clear bits required to be 0
     * @return the match
     */
    public static CtState of(int set, int clear) {
        if ((set & clear) != 0) {
            throw new IllegalArgumentException("a ct_state bit cannot be both set and clear");
        }
        return new CtState(set, set | clear);
    }

    /**
     * Parses Open vSwitch's notation, e.g. {@code +trk+new} or {@code +trk-new+est}.
     *
     * @param text flags each prefixed with {@code +} (set) or {@code -} (clear)
     * @return the match
     * @throws IllegalArgumentException for an unknown flag or missing sign
     */
    public static CtState parse(String text) {
        int set = 0;
        int clear = 0;
        int i = 0;
        while (i < text.length()) {
            char sign = text.charAt(i);
            if (sign != '+' && sign != '-') {
                throw new IllegalArgumentException("ct_state flags need a + or - sign: " + text);
            }
            int end = i + 1;
            while (end < text.length() && text.charAt(end) != '+' && text.charAt(end) != '-') {
                end++;
            }
            int bit = bit(text.substring(i + 1, end), text);
            if (sign == '+') {
                set |= bit;
            } else {
                clear |= bit;
            }
            i = end;
        }
        return of(set, clear);
    }

    private static int bit(String name, String text) {
        for (int b = 0; b < NAMES.length; b++) {
            if (NAMES[b].equals(name)) {
                return 1 << b;
            }
        }
        throw new IllegalArgumentException("unknown ct_state flag '" + name + "' in " + text);
    }

    /** @return the flags in Open vSwitch's notation, e.g. {@code +new+trk} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < NAMES.length; b++) {
            if ((mask & (1 << b)) != 0) {
                sb.append((value & (1 << b)) != 0 ? '+' : '-').append(NAMES[b]);
            }
        }
        return sb.toString();
    }
}
