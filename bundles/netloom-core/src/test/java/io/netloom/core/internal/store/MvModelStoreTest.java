package io.netloom.core.internal.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.netloom.api.store.StoreException;
import io.netloom.api.store.StoreWrite;

public class MvModelStoreTest {

    private static final int ACKS_BEFORE_KILL = 200;
    private static final int COMPACTION_OBJECTS = 2_000;
    private static final long MIB = 1L << 20;
    private static final long CRASH_TEST_SECONDS = 90;
    private static final String EOF = "\u0000eof";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path file;
    private MvModelStore store;

    @Before
    public void openStore() {
        file = tmp.getRoot().toPath().resolve("data/netloom/model.db");
        store = new MvModelStore(file);
    }

    @After
    public void closeStore() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = new MvModelStore(file);
    }

    private static StoreWrite put(String collection, String key, String document) {
        return StoreWrite.put(collection, key, document);
    }

    private static RuntimeException injected() {
        return new IllegalStateException("injected failure");
    }

    @Test
    public void putGetAndDeleteRoundTrip() {
        store.commit(List.of(put("networks", "n1", "{\"name\":\"a\"}")));
        assertEquals(Optional.of("{\"name\":\"a\"}"), store.get("networks", "n1"));

        store.commit(List.of(put("networks", "n1", "{\"name\":\"b\"}")));
        assertEquals(Optional.of("{\"name\":\"b\"}"), store.get("networks", "n1"));
        assertEquals(Map.of("n1", "{\"name\":\"b\"}"), store.load("networks"));

        store.commit(List.of(StoreWrite.delete("networks", "n1")));
        assertEquals(Optional.empty(), store.get("networks", "n1"));
        assertTrue(store.load("networks").isEmpty());
    }

    @Test
    public void loadReturnsDocumentsInKeyOrderAsAnIndependentCopy() {
        store.commit(List.of(put("ports", "c", "3"), put("ports", "a", "1"), put("ports", "b", "2")));

        SortedMap<String, String> loaded = store.load("ports");
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(loaded.keySet()));
        assertEquals(List.of("1", "2", "3"), new ArrayList<>(loaded.values()));

        loaded.put("d", "4");
        store.commit(List.of(StoreWrite.delete("ports", "a")));
        assertEquals(List.of("a", "b", "c", "d"), new ArrayList<>(loaded.keySet()));
        assertEquals(List.of("b", "c"), new ArrayList<>(store.load("ports").keySet()));
    }

    @Test
    public void unknownCollectionLoadsAsEmptyMapAndIsNotCreatedByReading() {
        SortedMap<String, String> loaded = store.load("audit");
        assertTrue(loaded.isEmpty());
        assertEquals(Optional.empty(), store.get("audit", "x"));

        loaded.put("mine", "to change");
        assertTrue(store.load("audit").isEmpty());
    }

    @Test
    public void deleteOfAMissingKeyIsANoOp() {
        store.commit(List.of(StoreWrite.delete("networks", "never-there")));
        store.commit(List.of());

        assertTrue(store.load("networks").isEmpty());
    }

    @Test
    public void commitToSeveralCollectionsIsAllVisibleAfterReopen() {
        store.commit(List.of(put("networks", "n1", "net1"), put("subnets", "s1", "sub1"),
                put("networks", "n2", "net2"), put("audit", "0001", "created")));
        store.commit(List.of(StoreWrite.delete("networks", "n2"), put("subnets", "s2", "sub2")));

        reopen();

        assertEquals(Map.of("n1", "net1"), store.load("networks"));
        assertEquals(Map.of("s1", "sub1", "s2", "sub2"), store.load("subnets"));
        assertEquals(Optional.of("created"), store.get("audit", "0001"));
    }

    @Test
    public void commitFailingAtItsSecondWriteLeavesNoneOfItsWritesBeforeOrAfterReopen() {
        store.commit(List.of(put("networks", "n1", "old"), put("networks", "n2", "keep")));
        store.beforeWrite = write -> {
            if (write.collection().equals("peerings")) {
                throw injected();
            }
        };

        StoreException thrown = assertThrows(StoreException.class, () -> store.commit(List.of(
                put("networks", "n1", "new"), put("peerings", "p1", "peer"), StoreWrite.delete("networks", "n2"))));

        assertEquals("injected failure", thrown.getCause().getMessage());
        assertEquals(Map.of("n1", "old", "n2", "keep"), store.load("networks"));
        assertTrue(store.load("peerings").isEmpty());

        store.beforeWrite = write -> { };
        reopen();
        assertEquals(Map.of("n1", "old", "n2", "keep"), store.load("networks"));
        assertTrue(store.load("peerings").isEmpty());
    }

    @Test
    public void failedCommitThatCreatedACollectionLeavesTheStoreUsableForThatCollection() {
        store.commit(List.of(put("networks", "n1", "net1")));
        store.beforeWrite = write -> {
            if (write.key().equals("boom")) {
                throw injected();
            }
        };
        assertThrows(StoreException.class,
                () -> store.commit(List.of(put("tenants", "t1", "lost"), put("tenants", "boom", "x"))));
        store.beforeWrite = write -> { };

        store.commit(List.of(put("tenants", "t2", "kept")));

        reopen();
        assertEquals(Map.of("t2", "kept"), store.load("tenants"));
        assertEquals(Map.of("n1", "net1"), store.load("networks"));
    }

    @Test
    public void failedFirstCommitOfANewStoreLeavesItEmptyAndUsable() {
        store.beforeWrite = write -> {
            if (write.key().equals("second")) {
                throw injected();
            }
        };
        assertThrows(StoreException.class,
                () -> store.commit(List.of(put("networks", "first", "1"), put("networks", "second", "2"))));
        assertTrue(store.load("networks").isEmpty());
        store.beforeWrite = write -> { };

        store.commit(List.of(put("networks", "third", "3")));
        reopen();
        assertEquals(Map.of("third", "3"), store.load("networks"));
    }

    /**
     * MVStore commits on its own once unsaved changes pass its buffer size, even with {@code autoCommitDisabled()};
     * a large failing batch shows whether that can make part of it durable.
     */
    @Test
    public void largeFailingCommitIsNotPartlyCommittedByMvStoreOnItsOwn() {
        String document = "d".repeat(256 * 1024);
        List<StoreWrite> writes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            writes.add(put("audit", String.format("%03d", i), document));
        }
        writes.add(put("audit", "boom", "x"));
        store.beforeWrite = write -> {
            if (write.key().equals("boom")) {
                throw injected();
            }
        };

        assertThrows(StoreException.class, () -> store.commit(writes));

        String partly = "MVStore committed part of the failed batch on its own";
        assertTrue(partly, store.load("audit").isEmpty());
        store.beforeWrite = write -> { };
        reopen();
        assertTrue(partly, store.load("audit").isEmpty());
    }

    @Test
    public void readDuringACommitNeverSeesItsUncommittedWrites() throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            List<Optional<String>> seen = new ArrayList<>();
            store.beforeWrite = write -> {
                if (write.key().equals("second")) {
                    // "first" is applied but not committed; a reader must wait for the outcome or see nothing.
                    Future<Optional<String>> read = reader.submit(() -> store.get("networks", "first"));
                    try {
                        seen.add(read.get(200, TimeUnit.MILLISECONDS));
                    } catch (TimeoutException expected) {
                        // The reader is held back until the commit ends, which is the point.
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    throw injected();
                }
            };

            assertThrows(StoreException.class,
                    () -> store.commit(List.of(put("networks", "first", "1"), put("networks", "second", "2"))));

            assertTrue("a reader saw an uncommitted write: " + seen, seen.stream().allMatch(Optional::isEmpty));
            reader.shutdown();
            assertTrue(reader.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), store.get("networks", "first"));
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    public void concurrentStagingWritersFindEveryWriteAfterReopen() throws Exception {
        int writers = 4;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w;
                done.add(pool.submit(() -> {
                    for (int i = first; i < writers * each; i += writers) {
                        long ticket;
                        synchronized (store) {
                            ticket = store.stage(List.of(put("networks", String.format("%04d", i), "{}")));
                        }
                        store.awaitDurable(ticket);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long ticket = store.stage(List.of());
        assertEquals("one ticket per non-empty stage", writers * each, ticket);
        store.awaitDurable(ticket);
        reopen();
        assertEquals(writers * each, store.load("networks").size());
    }

    @Test
    public void invalidCollectionNameIsRejectedBeforeAnyWriteIsApplied() {
        assertThrows(IllegalArgumentException.class,
                () -> store.commit(List.of(put("networks", "n1", "1"), put("bad name", "k", "2"))));
        assertThrows(IllegalArgumentException.class, () -> store.load(""));

        assertTrue(store.load("networks").isEmpty());
    }

    @Test
    public void closedStoreFailsInsteadOfAnsweringEmpty() {
        store.close();

        assertThrows(StoreException.class, () -> store.load("networks"));
        assertThrows(StoreException.class, () -> store.commit(List.of(put("networks", "n1", "1"))));
    }

    @Test
    public void defaultFileIsUnderKarafDataAndAConfiguredPathWins() {
        assertEquals(Paths.get("/opt/karaf/data", "netloom", "model.db"), MvModelStore.fileOf("", "/opt/karaf/data"));
        assertEquals(Paths.get("/srv/model.db"), MvModelStore.fileOf(" /srv/model.db ", null));
    }

    @Test
    public void missingKarafDataWithoutAConfiguredPathFailsActivationClearly() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> MvModelStore.fileOf("", null));
        assertTrue(thrown.getMessage(), thrown.getMessage().contains("karaf.data"));
    }

    @Test
    public void everyAcknowledgedCommitSurvivesKillMinus9OfTheJvm() throws Exception {
        Path crashFile = tmp.getRoot().toPath().resolve("crash/model.db");
        Path stderr = tmp.getRoot().toPath().resolve("crash-child.err");
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MvModelStoreCrashChild.class.getName(),
                crashFile.toString())
                .redirectError(stderr.toFile())
                .start();
        List<String> acknowledged = new ArrayList<>();
        try {
            BlockingQueue<String> lines = linesOf(child);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CRASH_TEST_SECONDS);
            while (acknowledged.size() < ACKS_BEFORE_KILL) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(EOF)) {
                    fail("child stopped or hung after " + acknowledged.size() + " acknowledgements; stderr:\n"
                            + Files.readString(stderr));
                }
                if (!line.matches(MvModelStoreCrashChild.ACK + "[0-9]{7}")) {
                    fail("unexpected line from the child: " + line);
                }
                acknowledged.add(line.substring(MvModelStoreCrashChild.ACK.length()));
            }
        } finally {
            child.destroyForcibly();
            assertTrue("child did not die", child.waitFor(30, TimeUnit.SECONDS));
        }

        MvModelStore reopened = new MvModelStore(crashFile);
        try {
            SortedMap<String, String> stored = reopened.load(MvModelStoreCrashChild.COLLECTION);
            for (String key : acknowledged) {
                String expected = MvModelStoreCrashChild.document(Integer.parseInt(key));
                assertEquals("acknowledged key " + key, expected, stored.get(key));
            }
            assertTrue(stored.size() >= acknowledged.size());
        } finally {
            reopened.close();
        }
    }

    private static String compactionDocument(int i) {
        return "{\"id\":\"port-" + i + "\",\"name\":\"" + "p".repeat(300) + "\"}";
    }

    private static String compactionKey(int i) {
        return String.format("%08d", i);
    }

    @Test
    public void compactionBringsTheFileNearTheLiveDataAfterManyWritesAndDeletes() throws Exception {
        for (int i = 0; i < COMPACTION_OBJECTS; i++) {
            store.commit(List.of(StoreWrite.put("ports", compactionKey(i), compactionDocument(i)),
                    StoreWrite.put("audit", compactionKey(i), compactionDocument(i))));
        }
        for (int i = 0; i < COMPACTION_OBJECTS; i++) {
            store.commit(List.of(StoreWrite.delete("ports", compactionKey(i))));
        }
        long grown = Files.size(file);
        // One chunk per commit, each at least one 4 KiB block: the file grew with the writes.
        assertTrue("file of " + grown + " bytes", grown > 2L * COMPACTION_OBJECTS * 4096);

        MvModelStore.Compaction compaction = store.compactIfWasteful().orElseThrow();
        long live = COMPACTION_OBJECTS * (8L + compactionDocument(0).length());
        long compacted = Files.size(file);
        assertTrue("file of " + compacted + " bytes for " + live + " live bytes", compacted <= 2 * live + 1 * MIB);
        assertEquals(grown, compaction.beforeBytes());
        assertEquals(compacted, compaction.afterBytes());
        // Until the file has grown by its compacted size plus the slack, it is left as it is.
        assertTrue(store.compactIfWasteful().isEmpty());
        assertEquals(COMPACTION_OBJECTS, store.count("audit"));
        assertEquals(0, store.count("ports"));
        assertEquals(Optional.of(compactionDocument(7)), store.get("audit", compactionKey(7)));
        assertEquals("the compacted file is as private", "rw-------", mode(file));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    public void theStoreFileIs0600AndItsNewDirectory0700() throws Exception {
        store.commit(List.of(put("networks", "n1", "{}")));
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()));
    }

    @Test
    public void aStoreFileFoundWithAWiderModeIsNarrowedOnOpen() throws Exception {
        store.close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        store = new MvModelStore(file);
        assertEquals("rw-------", mode(file));
    }

    @Test
    public void aCompactionACrashInterruptedIsDiscardedOnOpen() throws Exception {
        store.commit(List.of(StoreWrite.put("ports", compactionKey(1), compactionDocument(1))));
        store.close();
        Path leftover = file.resolveSibling("model.db.compacting");
        Files.writeString(leftover, "half a copy");
        store = new MvModelStore(file);
        assertFalse(Files.exists(leftover));
        assertEquals(Optional.of(compactionDocument(1)), store.get("ports", compactionKey(1)));
    }

    @Test
    public void aCompactedStoreKeepsServingAndReopensWithItsData() {
        for (int i = 0; i < COMPACTION_OBJECTS; i++) {
            store.commit(List.of(StoreWrite.put("ports", compactionKey(i % 10), compactionDocument(i))));
        }
        store.compact();
        store.commit(List.of(StoreWrite.put("ports", compactionKey(42), compactionDocument(42))));
        store.close();
        store = new MvModelStore(file);
        assertEquals(11, store.count("ports"));
        assertEquals(Optional.of(compactionDocument(COMPACTION_OBJECTS - 1)), store.get("ports", compactionKey(9)));
    }

    @Test
    public void aSmallFileIsNotCompacted() throws Exception {
        store.commit(List.of(StoreWrite.put("ports", compactionKey(1), compactionDocument(1))));
        assertTrue(store.compactIfWasteful().isEmpty());
        assertFalse(Files.exists(file.resolveSibling("model.db.compacting")));
    }

    @Test
    public void pagesRunBothWaysAndExcludeTheirBound() {
        for (int i = 0; i < 5; i++) {
            store.commit(List.of(StoreWrite.put("audit", compactionKey(i), compactionDocument(i))));
        }
        assertEquals(List.of(compactionKey(0), compactionKey(1)), keys(store.ascending("audit", Optional.empty(), 2)));
        assertEquals(List.of(compactionKey(2), compactionKey(3)),
                keys(store.ascending("audit", Optional.of(compactionKey(1)), 2)));
        assertEquals(List.of(compactionKey(4), compactionKey(3)), keys(store.descending("audit", Optional.empty(), 2)));
        assertEquals(List.of(compactionKey(2), compactionKey(1), compactionKey(0)),
                keys(store.descending("audit", Optional.of(compactionKey(3)), 9)));
        assertEquals(List.of(), store.descending("audit", Optional.of(compactionKey(0)), 9));
        assertEquals(List.of(), store.ascending("audit", Optional.of(compactionKey(4)), 9));
        assertEquals(List.of(), store.descending("none", Optional.empty(), 9));
        assertEquals(5, store.count("audit"));
    }

    private static List<String> keys(List<Map.Entry<String, String>> page) {
        return page.stream().map(Map.Entry::getKey).toList();
    }

    /** Reads the child's stdout on a daemon thread, so the test can wait for it with a timeout. */
    private static BlockingQueue<String> linesOf(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The stream breaks when the child is killed; the end marker below tells the test.
                lines.add("io error: " + e);
            } finally {
                lines.add(EOF);
            }
        }, "crash-child-stdout");
        pump.setDaemon(true);
        pump.start();
        return lines;
    }
}
