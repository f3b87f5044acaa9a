package io.netloom.core.internal.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.netloom.api.store.StoreWrite;

public class MvModelStoreCompactionTest {

    private static final int OBJECTS = 2_000;
    private static final long MIB = 1L << 20;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path file;
    private MvModelStore store;

    @Before
    public void openStore() {
        file = tmp.getRoot().toPath().resolve("model.db");
        store = new MvModelStore(file);
    }

    @After
    public void closeStore() {
        store.close();
    }

    private static String document(int i) {
        return "{\"id\":\"port-" + i + "\",\"name\":\"" + "p".repeat(300) + "\"}";
    }

    private static String key(int i) {
        return String.format("%08d", i);
    }

    @Test
    public void compactionBringsTheFileNearTheLiveDataAfterManyWritesAndDeletes() throws Exception {
        for (int i = 0; i < OBJECTS; i++) {
            store.commit(List.of(StoreWrite.put("ports", key(i), document(i)),
                    StoreWrite.put("audit", key(i), document(i))));
        }
        for (int i = 0; i < OBJECTS; i++) {
            store.commit(List.of(StoreWrite.delete("ports", key(i))));
        }
        long grown = Files.size(file);
        // One chunk per commit, each at least one 4 KiB block: the file grew with the writes.
        assertTrue("file of " + grown + " bytes", grown > 2L * OBJECTS * 4096);

        MvModelStore.Compaction compaction = store.compactIfWasteful().orElseThrow();
        long live = OBJECTS * (8L + document(0).length());
        long compacted = Files.size(file);
        assertTrue("file of " + compacted + " bytes for " + live + " live bytes", compacted <= 2 * live + 1 * MIB);
        assertEquals(grown, compaction.beforeBytes());
        assertEquals(compacted, compaction.afterBytes());
        // Until the file has grown by its compacted size plus the slack, it is left as it is.
        assertTrue(store.compactIfWasteful().isEmpty());
        assertEquals(OBJECTS, store.count("audit"));
        assertEquals(0, store.count("ports"));
        assertEquals(Optional.of(document(7)), store.get("audit", key(7)));
    }

    @Test
    public void aCompactionACrashInterruptedIsDiscardedOnOpen() throws Exception {
        store.commit(List.of(StoreWrite.put("ports", key(1), document(1))));
        store.close();
        Path leftover = file.resolveSibling("model.db.compacting");
        Files.writeString(leftover, "half a copy");
        store = new MvModelStore(file);
        assertFalse(Files.exists(leftover));
        assertEquals(Optional.of(document(1)), store.get("ports", key(1)));
    }

    @Test
    public void aCompactedStoreKeepsServingAndReopensWithItsData() {
        for (int i = 0; i < OBJECTS; i++) {
            store.commit(List.of(StoreWrite.put("ports", key(i % 10), document(i))));
        }
        store.compact();
        store.commit(List.of(StoreWrite.put("ports", key(42), document(42))));
        store.close();
        store = new MvModelStore(file);
        assertEquals(11, store.count("ports"));
        assertEquals(Optional.of(document(OBJECTS - 1)), store.get("ports", key(9)));
    }

    @Test
    public void aSmallFileIsNotCompacted() throws Exception {
        store.commit(List.of(StoreWrite.put("ports", key(1), document(1))));
        assertTrue(store.compactIfWasteful().isEmpty());
        assertFalse(Files.exists(file.resolveSibling("model.db.compacting")));
    }

    @Test
    public void pagesRunBothWaysAndExcludeTheirBound() {
        for (int i = 0; i < 5; i++) {
            store.commit(List.of(StoreWrite.put("audit", key(i), document(i))));
        }
        assertEquals(List.of(key(0), key(1)), keys(store.ascending("audit", Optional.empty(), 2)));
        assertEquals(List.of(key(2), key(3)), keys(store.ascending("audit", Optional.of(key(1)), 2)));
        assertEquals(List.of(key(4), key(3)), keys(store.descending("audit", Optional.empty(), 2)));
        assertEquals(List.of(key(2), key(1), key(0)), keys(store.descending("audit", Optional.of(key(3)), 9)));
        assertEquals(List.of(), store.descending("audit", Optional.of(key(0)), 9));
        assertEquals(List.of(), store.ascending("audit", Optional.of(key(4)), 9));
        assertEquals(List.of(), store.descending("none", Optional.empty(), 9));
        assertEquals(5, store.count("audit"));
    }

    private static List<String> keys(List<Map.Entry<String, String>> page) {
        return page.stream().map(Map.Entry::getKey).toList();
    }
}
