package io.netloom.firewall.internal;

import java.util.Arrays;

/**
 * A hash map from a masked address (two longs) to a non-negative int, with open addressing and linear probing.
 * It exists so that a lookup on the decision path neither boxes a key nor follows a chain of entry objects; it is
 * filled once when an engine is built and only read afterwards.
 */
final class AddressMap {

    private static final int EMPTY = -1;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private static final long MIX = 0xFF51_AFD7_ED55_8CCDL;

    private final long[] highs;
    private final long[] lows;
    private final int[] values;
    private final int mask;
    private int size;

    /**
     * @param expected how many keys will be put; the table keeps its load at or below one half
     */
    AddressMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(2, expected) * 2 - 1) * 2;
        highs = new long[capacity];
        lows = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, EMPTY);
        mask = capacity - 1;
    }

    private int slot(long high, long low) {
        long x = high * GOLDEN + low;
        x = (x ^ (x >>> 33)) * MIX;
        return (int) (x ^ (x >>> 33)) & mask;
    }

    /**
     * @param high upper half of the key
     * @param low lower half of the key
     * @param value zero or more
     * @throws IllegalStateException when more keys are put than the map was sized for
     */
    void put(long high, long low, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Values are zero or more, not " + value);
        }
        int i = slot(high, low);
        while (values[i] != EMPTY && (highs[i] != high || lows[i] != low)) {
            i = (i + 1) & mask;
        }
        if (values[i] == EMPTY) {
            if (++size > values.length / 2) {
                throw new IllegalStateException("AddressMap sized for " + values.length / 2 + " keys is full");
            }
            highs[i] = high;
            lows[i] = low;
        }
        values[i] = value;
    }

    /**
     * @param high upper half of the key
     * @param low lower half of the key
     * @return the value put for the key, or {@code -1} when there is none
     */
    int get(long high, long low) {
        int i = slot(high, low);
        int value;
        while ((value = values[i]) != EMPTY) {
            if (highs[i] == high && lows[i] == low) {
                return value;
            }
            i = (i + 1) & mask;
        }
        return EMPTY;
    }

    /**
     * @return how many keys it holds
     */
    int size() {
        return size;
    }
}
