package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.Test;

import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreWrite;

public class IdempotencyTest {

    /** One collection in memory; enough for the idempotency records. */
    private static final class MemoryStore implements ModelStore {
        final TreeMap<String, String> documents = new TreeMap<>();

        @Override
        public SortedMap<String, String> load(String collection) {
            return new TreeMap<>(documents);
        }

        @Override
        public Optional<String> get(String collection, String key) {
            return Optional.ofNullable(documents.get(key));
        }

        @Override
        public void commit(List<StoreWrite> writes) {
            for (StoreWrite write : writes) {
                if (write.document() == null) {
                    documents.remove(write.key());
                } else {
                    documents.put(write.key(), write.document());
                }
            }
        }
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final MovableClock clock = new MovableClock();
    private final Idempotency idempotency = new Idempotency(store, clock);

    private void keep(String key) {
        idempotency.keep(key, "hash-" + key, new ApiResponse(201, Map.of("id", key), "/v1/networks/" + key));
    }

    @Test
    public void anAnswerIsReplayedUntilItExpires() {
        keep("k");
        clock.now = clock.now.plus(Idempotency.DEFAULT_EXPIRY).minusSeconds(1);
        Idempotency.Kept kept = idempotency.find("k").orElseThrow();
        assertEquals("hash-k", kept.requestHash());
        assertEquals(201, kept.status());
        assertEquals("/v1/networks/k", kept.location());

        clock.now = clock.now.plusSeconds(1);
        assertFalse(idempotency.find("k").isPresent());
    }

    @Test
    public void purgingDeletesExpiredAnswersOnlyAcrossPages() {
        for (int i = 0; i < 1_200; i++) {
            keep("old-" + i);
        }
        clock.now = clock.now.plus(Duration.ofHours(12));
        keep("new");
        clock.now = clock.now.plus(Duration.ofHours(13));

        assertEquals(1_200, idempotency.purgeExpired());
        assertEquals(List.of("new"), List.copyOf(store.documents.keySet()));
        assertTrue(idempotency.find("new").isPresent());
        assertEquals(0, idempotency.purgeExpired());
    }

    @Test
    public void anAnswerKeptWithoutATimeCountsAsExpired() {
        store.documents.put("legacy", "{\"requestHash\":\"h\",\"status\":201}");
        assertFalse(idempotency.find("legacy").isPresent());
        assertEquals(1, idempotency.purgeExpired());
    }
}
