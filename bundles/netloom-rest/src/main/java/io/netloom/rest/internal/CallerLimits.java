package io.netloom.rest.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fair service: how many requests of one kind (writes in flight, writes waiting for realisation) each caller may
 * have at once, and all callers together. A request over a limit is refused before it changes anything, so one
 * tenant cannot take the API from the others.
 */
final class CallerLimits {

    /** Why a request was refused. */
    enum Refusal {
        /** The caller has too many at once: 429. */
        CALLER,
        /** Everyone together has too many at once: 503. */
        GLOBAL
    }

    private final int perCaller;
    private final int total;
    /** Caller → places taken; a caller with none has no entry. */
    private final Map<String, Integer> byCaller = new ConcurrentHashMap<>();
    private final AtomicInteger all = new AtomicInteger();

    CallerLimits(int perCaller, int total) {
        if (perCaller < 1 || total < 1) {
            throw new IllegalArgumentException("Limits must be at least 1, were " + perCaller + " and " + total);
        }
        this.perCaller = perCaller;
        this.total = total;
    }

    /**
     * Takes a place for the caller.
     *
     * @return {@code null} when taken (give it back with {@link #release}), else why not
     */
    Refusal acquire(String caller) {
        boolean[] taken = {false};
        byCaller.compute(caller, (c, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perCaller) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            return Refusal.CALLER;
        }
        if (all.incrementAndGet() > total) {
            all.decrementAndGet();
            giveBack(caller);
            return Refusal.GLOBAL;
        }
        return null;
    }

    /** Gives back a place {@link #acquire} took. */
    void release(String caller) {
        all.decrementAndGet();
        giveBack(caller);
    }

    private void giveBack(String caller) {
        byCaller.compute(caller, (c, n) -> n == null || n <= 1 ? null : n - 1);
    }

    /** @return how many places are taken now, by everyone */
    int inUse() {
        return all.get();
    }

    /** @return how many places the caller holds now */
    int heldBy(String caller) {
        return byCaller.getOrDefault(caller, 0);
    }
}
