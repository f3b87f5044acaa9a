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
}
