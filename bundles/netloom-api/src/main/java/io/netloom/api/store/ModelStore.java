package io.netloom.api.store;

import java.util.List;
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
}
