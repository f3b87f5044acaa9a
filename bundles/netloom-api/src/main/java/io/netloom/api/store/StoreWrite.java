package io.netloom.api.store;

import java.util.Objects;

/**
 * One write of a commit: put a document under a key of a collection, or delete the key.
 *
 * @param collection the collection, such as {@code networks}
 * @param key the key, such as an object id
 * @param document the document (JSON), or {@code null} to delete the key
 */
public record StoreWrite(String collection, String key, String document) {

    /**
     * Checks that no required component is missing.
     */
    public StoreWrite {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(key, "key");
    }

    /**
     * @return a put of {@code document} under {@code key}
     */
    public static StoreWrite put(String collection, String key, String document) {
        return new StoreWrite(collection, key, Objects.requireNonNull(document, "document"));
    }

    /**
     * @return a delete of {@code key}
     */
    public static StoreWrite delete(String collection, String key) {
        return new StoreWrite(collection, key, null);
    }
}
