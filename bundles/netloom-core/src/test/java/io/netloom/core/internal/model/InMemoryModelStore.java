package io.netloom.core.internal.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreException;
import io.netloom.api.store.StoreWrite;

/**
 * A store in memory for unit tests of the managers; it can be told to fail the next commit.
 */
final class InMemoryModelStore implements ModelStore {

    private final Map<String, TreeMap<String, String>> collections = new HashMap<>();
    final List<List<StoreWrite>> commits = new ArrayList<>();
    boolean failNextCommit;

    @Override
    public synchronized SortedMap<String, String> load(String collection) {
        return new TreeMap<>(collections.getOrDefault(collection, new TreeMap<>()));
    }

    @Override
    public synchronized Optional<String> get(String collection, String key) {
        return Optional.ofNullable(collections.getOrDefault(collection, new TreeMap<>()).get(key));
    }

    @Override
    public synchronized void commit(List<StoreWrite> writes) {
        if (failNextCommit) {
            failNextCommit = false;
            throw new StoreException("disk full", null);
        }
        for (StoreWrite w : writes) {
            TreeMap<String, String> c = collections.computeIfAbsent(w.collection(), k -> new TreeMap<>());
            if (w.document() == null) {
                c.remove(w.key());
            } else {
                c.put(w.key(), w.document());
            }
        }
        commits.add(List.copyOf(writes));
    }
}
