package io.netloom.api.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of documents in named collections. Commits are atomic (all writes or none) and durable when
 * {@link #commit} returns: a crash afterwards, even {@code kill -9}, loses none of them.
 */
@ProviderType
public interface ModelStore {

    /**
     * @param collection a collection name
     * @return every key and document of the collection, in key order; empty when it has none
     */
    SortedMap<String, String> load(String collection);

    /**
     * @param collection a collection name
     * @param key a key
     * @return the document, when there is one
     */
    Optional<String> get(String collection, String key);

    /**
     * Reads a collection a page at a time, oldest key first, so that a collection that grows with history (the
     * audit log) is never loaded whole. The default loads the collection and pages through it.
     *
     * @param collection a collection name
     * @param after only keys greater than this one; empty for the first page
     * @param limit at most this many entries, at least 1
     * @return the entries in ascending key order; fewer than {@code limit} when the collection ends
     */
    default List<Map.Entry<String, String>> ascending(String collection, Optional<String> after, int limit) {
        checkLimit(limit);
        SortedMap<String, String> all = load(collection);
        SortedMap<String, String> tail = after.isEmpty() ? all : all.tailMap(after.get() + '\0');
        List<Map.Entry<String, String>> page = new ArrayList<>();
        for (Map.Entry<String, String> entry : tail.entrySet()) {
            if (page.size() == limit) {
                break;
            }
            page.add(Map.entry(entry.getKey(), entry.getValue()));
        }
        return page;
    }

    /**
     * Reads a collection a page at a time, newest (greatest) key first. The default loads the collection and pages
     * through it.
     *
     * @param collection a collection name
     * @param before only keys less than this one; empty for the first page
     * @param limit at most this many entries, at least 1
     * @return the entries in descending key order; fewer than {@code limit} when the collection ends
     */
    default List<Map.Entry<String, String>> descending(String collection, Optional<String> before, int limit) {
        checkLimit(limit);
        SortedMap<String, String> all = load(collection);
        SortedMap<String, String> head = before.isEmpty() ? all : all.headMap(before.get());
        List<Map.Entry<String, String>> page = new ArrayList<>();
        List<String> keys = new ArrayList<>(head.keySet());
        for (int i = keys.size() - 1; i >= 0 && page.size() < limit; i--) {
            page.add(Map.entry(keys.get(i), head.get(keys.get(i))));
        }
        return page;
    }

    /**
     * @param collection a collection name
     * @return how many documents the collection holds; 0 when it has none
     */
    default long count(String collection) {
        return load(collection).size();
    }

    /**
     * Applies all writes atomically and returns once they are durable.
     *
     * @param writes the writes, applied in order
     * @throws StoreException when they could not be made durable; then none of them is applied
     */
    void commit(List<StoreWrite> writes);

    /**
     * The first half of a commit, for writers that serialise among themselves and want to share one flush to disk
     * (group commit): applies all writes atomically, as {@link #commit} does, but returns before they are durable.
     * The caller must then call {@link #awaitDurable} with the returned ticket before it tells anyone the writes are
     * done. The default commits fully.
     *
     * @param writes the writes, applied in order
     * @return a ticket for {@link #awaitDurable}
     * @throws StoreException when they could not be applied; then none of them is
     */
    default long stage(List<StoreWrite> writes) {
        commit(writes);
        return 0;
    }

    /**
     * Returns once the writes staged under {@code ticket}, and all staged before them, are durable. Concurrent
     * callers share flushes: one flush makes every write staged before it began durable.
     *
     * @param ticket what {@link #stage} returned
     * @throws StoreException when the writes could not be made durable; whether they reached the disk is then
     *     unknown, and the store refuses all further use until it is reopened
     */
    default void awaitDurable(long ticket) {
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
