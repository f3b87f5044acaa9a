package io.netloom.core.internal.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.google.gson.Gson;

import io.netloom.api.model.AuditEntry;
import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreWrite;

/**
 * The audit log in the store: entries keyed by their zero-padded sequence number (so key order is sequence order, and
 * the greatest key is the newest entry), read and trimmed a page at a time so that no call holds much in memory and
 * writers of the model wait for no more than one page. The entries themselves are written by
 * {@link ModelRepository#write}, in the same commit as the change they record.
 */
final class AuditLog {

    /** Audit entries read or deleted per store call. */
    private static final int PAGE = 500;

    private final ModelStore store;
    private final Gson gson;

    AuditLog(ModelStore store, Gson gson) {
        this.store = store;
        this.gson = gson;
    }

    /**
     * @return the store key of the entry with this sequence number
     */
    static String key(long sequence) {
        return String.format("%019d", sequence);
    }

    /**
     * @return the sequence number of the newest entry; 0 when there is none
     */
    long newestSequence() {
        return store.descending(ModelRepository.AUDIT, Optional.empty(), 1).stream()
                .mapToLong(newest -> Long.parseLong(newest.getKey()))
                .findFirst().orElse(0);
    }

    /**
     * Reads the audit log from the store, newest first, a page at a time, until {@code limit} entries pass the
     * filter or the log ends.
     *
     * @return the newest audit entries that pass the filter, newest first
     */
    List<AuditEntry> read(Predicate<AuditEntry> filter, int limit) {
        List<AuditEntry> result = new ArrayList<>();
        Optional<String> before = Optional.empty();
        while (result.size() < limit) {
            List<Map.Entry<String, String>> page = store.descending(ModelRepository.AUDIT, before, PAGE);
            for (Map.Entry<String, String> stored : page) {
                AuditEntry entry = gson.fromJson(stored.getValue(), AuditEntry.class);
                if (filter.test(entry) && result.size() < limit) {
                    result.add(entry);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            before = Optional.of(page.get(page.size() - 1).getKey());
        }
        return result;
    }

    /**
     * Deletes the oldest audit entries beyond {@code maxCount} and those older than {@code notBefore}, a page per
     * commit, so that the writers of the model wait for no more than one page at a time.
     *
     * @param maxCount how many entries to keep at most
     * @param notBefore entries from before this instant are deleted
     * @return how many entries were deleted
     */
    long trim(long maxCount, Instant notBefore) {
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must not be negative, was " + maxCount);
        }
        long excess = store.count(ModelRepository.AUDIT) - maxCount;
        long deleted = 0;
        Optional<String> after = Optional.empty();
        while (true) {
            List<Map.Entry<String, String>> page = store.ascending(ModelRepository.AUDIT, after, PAGE);
            List<StoreWrite> deletes = new ArrayList<>();
            boolean reachedKept = false;
            for (Map.Entry<String, String> stored : page) {
                boolean beyondCount = deleted + deletes.size() < excess;
                if (!beyondCount && !gson.fromJson(stored.getValue(), AuditEntry.class).at().isBefore(notBefore)) {
                    // Sequence order is time order (one clock, read under the write lock): later ones are kept too.
                    reachedKept = true;
                    break;
                }
                deletes.add(StoreWrite.delete(ModelRepository.AUDIT, stored.getKey()));
            }
            if (!deletes.isEmpty()) {
                store.commit(deletes);
                deleted += deletes.size();
            }
            if (reachedKept || page.size() < PAGE) {
                return deleted;
            }
            after = Optional.of(page.get(page.size() - 1).getKey());
        }
    }
}
