package io.netloom.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import io.netloom.api.codec.JsonCodec;
import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreWrite;

/**
 * {@code Idempotency-Key} on POST: the first answer to a key is kept (durably, in the store), and a retry with the
 * same key and the same request gets that answer again instead of a second change. The same key with a different
 * request is a conflict. Only answers to accepted requests are kept: a refused request may be corrected and sent
 * again under the same key.
 *
 * <p>A record that the request was applied, with the model revision of its write, commits in the same store
 * transaction as the change ({@link #applied}); the full answer replaces it right after. If the controller stops in
 * between, a retry is not applied a second time: it is told that the request was applied and its answer lost.
 *
 * <p>An answer is kept for a configurable time ({@link #DEFAULT_EXPIRY}, 24 hours, by default): a retry later than
 * that is a new request. A background task deletes expired answers every {@link #PURGE_EVERY}.
 */
final class Idempotency {

    static final String COLLECTION = "idempotency";
    static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);
    static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final int MAX_KEY = 255;
    private static final int PURGE_PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);

    private final ModelStore store;
    private final Clock clock;
    private final Duration expiry;
    private ScheduledExecutorService purger;

    Idempotency(ModelStore store, Clock clock) {
        this(store, clock, DEFAULT_EXPIRY);
    }

    Idempotency(ModelStore store, Clock clock, Duration expiry) {
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("The expiry of idempotency keys must be positive, was " + expiry);
        }
        this.store = store;
        this.clock = clock;
        this.expiry = expiry;
    }

    /**
     * A kept answer, or the record that a request was applied whose answer is not kept yet ({@code status} 0).
     *
     * @param at when it was kept; null in answers kept before answers expired, which count as expired
     * @param revision the model revision of the request's write; 0 when it wrote nothing (or was kept before
     *     revisions)
     */
    record Kept(String requestHash, int status, String body, String location, Instant at, long revision) {

        boolean expiredAt(Instant now, Duration expiry) {
            return at == null || !at.plus(expiry).isAfter(now);
        }

        /**
         * @return whether the answer itself is kept (else only that the request was applied)
         */
        boolean answered() {
            return status != 0;
        }
    }

    /**
     * @return how long an answer is kept
     */
    Duration expiry() {
        return expiry;
    }

    /** Starts deleting expired answers in the background, the first time a minute from now. */
    void startPurging() {
        purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netloom-idempotency-purge");
            t.setDaemon(true);
            return t;
        });
        purger.scheduleWithFixedDelay(this::purgeInBackground, 60, PURGE_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stops the background purge, if it runs. */
    void stopPurging() {
        if (purger != null) {
            purger.shutdownNow();
        }
    }

    private void purgeInBackground() {
        try {
            long purged = purgeExpired();
            if (purged > 0) {
                LOG.info("Deleted {} expired idempotency records", purged);
            }
        } catch (RuntimeException e) {
            // The next run tries again; expired answers are not replayed meanwhile.
            LOG.warn("Expired idempotency records could not be deleted", e);
        }
    }

    /**
     * Deletes the expired answers, a page per commit.
     *
     * @return how many were deleted
     */
    long purgeExpired() {
        Instant now = clock.instant();
        long purged = 0;
        Optional<String> after = Optional.empty();
        while (true) {
            List<Map.Entry<String, String>> page = store.ascending(COLLECTION, after, PURGE_PAGE);
            List<StoreWrite> deletes = new ArrayList<>();
            for (Map.Entry<String, String> stored : page) {
                if (JsonCodec.gson().fromJson(stored.getValue(), Kept.class).expiredAt(now, expiry)) {
                    deletes.add(StoreWrite.delete(COLLECTION, stored.getKey()));
                }
            }
            if (!deletes.isEmpty()) {
                store.commit(deletes);
                purged += deletes.size();
            }
            if (page.size() < PURGE_PAGE) {
                return purged;
            }
            after = Optional.of(page.get(page.size() - 1).getKey());
        }
    }

    static String checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key is 1-255 printable ASCII "
                    + "characters", "Idempotency-Key");
        }
        return key;
    }

    static String storeKey(String user, String key) {
        return sha256(user + "\n" + key);
    }

    static String requestHash(String method, String path, String body) {
        return sha256(method + "\n" + path + "\n" + body);
    }

    /**
     * @return the answer kept for the key, unless it has expired
     */
    Optional<Kept> find(String storeKey) {
        Instant now = clock.instant();
        return store.get(COLLECTION, storeKey).map(json -> JsonCodec.gson().fromJson(json, Kept.class))
                .filter(kept -> !kept.expiredAt(now, expiry));
    }

    /**
     * @return the store write recording that the request was applied at {@code revision}, to commit with its change
     */
    StoreWrite applied(String storeKey, String requestHash, long revision) {
        Kept kept = new Kept(requestHash, 0, null, null, clock.instant(), revision);
        return StoreWrite.put(COLLECTION, storeKey, JsonCodec.gson().toJson(kept));
    }

    /** Keeps an answer, stamped with the time now. */
    void keep(String storeKey, String requestHash, ApiResponse answer) {
        keep(storeKey, requestHash, answer, 0);
    }

    /** Keeps an answer to a request whose write has the given revision, stamped with the time now. */
    void keep(String storeKey, String requestHash, ApiResponse answer, long revision) {
        Kept kept = new Kept(requestHash, answer.status(),
                answer.body() == null ? null : JsonCodec.gson().toJson(answer.body()), answer.location(),
                clock.instant(), revision);
        store.commit(List.of(StoreWrite.put(COLLECTION, storeKey, JsonCodec.gson().toJson(kept))));
    }

    static ApiResponse replay(Kept kept) {
        JsonElement body = kept.body() == null ? null : JsonParser.parseString(kept.body());
        return new ApiResponse(kept.status(), body, kept.location());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
