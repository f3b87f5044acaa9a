package io.netloom.ovsdb;

import java.time.Duration;

/**
 * Reconnection delays: the initial delay, doubled after each failed attempt up to a maximum. The OVSDB session and
 * the Open vSwitch driver's OpenFlow connection both reconnect by it. Not thread-safe: one connecting thread uses it.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    /**
     * @param initial the first delay, positive
     * @param max the longest delay, at least {@code initial}
     * @throws IllegalArgumentException when the delays are not so
     */
    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /**
     * @return the delay before the next attempt; the one after is twice as long, up to the maximum
     */
    public Duration next() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }

    /** Starts again from the initial delay, after a successful connection. */
    public void reset() {
        next = initial;
    }
}
