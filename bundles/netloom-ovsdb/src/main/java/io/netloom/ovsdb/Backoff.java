package io.netloom.ovsdb;

import java.time.Duration;

/** Reconnection delays: the initial delay, doubled after each failed attempt up to a maximum. Not thread-safe. */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** Returns the delay before the next attempt and doubles the one after, up to the maximum. */
    Duration next() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }

    /** Starts again from the initial delay, after a successful connection. */
    void reset() {
        next = initial;
    }
}
