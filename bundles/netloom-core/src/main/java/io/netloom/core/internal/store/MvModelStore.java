package io.netloom.core.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreException;
import io.netloom.api.store.StoreWrite;
import io.netloom.core.internal.PrivateFiles;

/**
 * The embedded {@link ModelStore}: one H2 MVStore file, one {@code MVMap<String, String>} per collection.
 * <p>
 * Durability: auto-commit is off, so MVStore writes nothing on its own; {@link #commit} applies the writes, then
 * calls {@code MVStore.commit()} (which writes a new chunk to the file) and {@code sync()} (fsync), so a commit
 * survives {@code kill -9} and power loss once it returns. {@link #stage} and {@link #awaitDurable} split the two
 * for group commit: writers that stage one after another under their own lock and then wait outside it share one
 * fsync, which is what limits how many writes per second a disk takes. Atomicity: a failure while applying the writes
 * is undone
 * with {@code MVStore.rollback()}, which reverts every map to the last commit. A failure while writing or syncing
 * the file leaves it in doubt (the chunk may or may not be on disk), so the store then refuses all further calls
 * until it is reopened, rather than serve data that may differ from the file.
 * <p>
 * Isolation: commits hold the write lock of a read-write lock from the first write until the chunk is written,
 * and reads hold its read lock, so reads run concurrently with each other and only ever see committed data (staged
 * data may not be durable yet: whoever staged it has not been told it is).
 * <p>
 * Size: every commit writes a chunk of its own, and a chunk costs 12 to 30 KB whatever the commit holds (the
 * changed leaf and inner pages of each map touched, the layout map's page listing the chunks, header and footer,
 * rounded up to 4 KB blocks). A chunk's space is reused only once all its pages are dead and the chunk retention
 * time has passed, and a chunk holding one long-lived page (a full leaf of the audit log) never dies; with auto-commit
 * off no MVStore background thread compacts either. So the file grew by some 27 KB per write, whatever the live
 * data. MVStore's own online compaction ({@code compactFile}) does not help at that scale: on 20,000 such chunks it
 * ran its whole 600 s budget and left 59 MB of a file whose live data rewrites into 18 MB.
 * <p>
 * So the store compacts by rewriting: a background task ({@code compaction.interval}) checks whether the file has
 * grown beyond twice its size after the last compaction plus {@link #COMPACTION_SLACK} (32 MiB), and if so copies
 * the live maps into a new file, syncs it, renames it over the store file atomically, syncs the directory and
 * reopens. The copy costs time in proportion to the live data (writes wait meanwhile), and since a compaction runs
 * only after the file has grown by at least the live data plus 32 MiB, it never copies more bytes than the writes
 * since the last one wrote. A crash at any point leaves either the old file or the complete new one. The chunk
 * retention time is short
 * ({@code chunk.retention}, 5 s rather than MVStore's 45 s) so that space is reused between compactions; that is safe
 * because every commit is synced before anyone is told it is done. Closing compacts nothing, so that a shutdown is
 * quick and leaves the file as the last compaction left it. Compression is off (documents are small JSON and are
 * read often).
 */
@Component(service = ModelStore.class, configurationPid = MvModelStore.PID)
@Designate(ocd = MvModelStore.Config.class)
public class MvModelStore implements ModelStore {

    static final String PID = "io.netloom.store";

    private static final Logger LOG = LoggerFactory.getLogger(MvModelStore.class);

    /** Collection names become MVMap names; keeping them to plain words keeps typos from creating new maps. */
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** A file of at most this many bytes more than twice its size after the last compaction is left as it is. */
    static final long COMPACTION_SLACK = 32L << 20;

    /** The store's settings, {@code etc/io.netloom.store.cfg}. */
    @ObjectClassDefinition(name = "Netloom store", description = "The embedded store of Netloom's desired state")
    public @interface Config {
        /**
         * @return the store file; empty for {@code ${karaf.data}/netloom/model.db}
         */
        @AttributeDefinition(description = "Store file; empty for ${karaf.data}/netloom/model.db")
        String path() default "";

        /**
         * @return seconds between two checks of whether the file needs compacting; 0 turns compaction off
         */
        @AttributeDefinition(name = "compaction.interval", description = "Seconds between two checks of whether "
                + "the store file needs compacting; 0 turns background compaction off")
        int compaction_interval() default 5;

        /**
         * @return how long a dead chunk is kept before its space is reused, in milliseconds
         */
        @AttributeDefinition(name = "chunk.retention", description = "How long a dead chunk is kept before its "
                + "space is reused, in milliseconds")
        int chunk_retention() default 5000;
    }

    /**
     * What one compaction did.
     *
     * @param beforeBytes the file's size before
     * @param afterBytes the file's size after
     * @param millis how long writes waited
     */
    record Compaction(long beforeBytes, long afterBytes, long millis) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Guarded by {@link #lock}. */
    private MVStore store;
    /** Guarded by {@link #lock}. */
    private Path file;
    /** Why the store refuses further use; guarded by {@link #lock}. */
    private RuntimeException failure;
    /** Tickets handed out by {@link #stage}, counting up; guarded by {@link #lock}. */
    private long staged;
    /** Held while flushing; one flush at a time. */
    private final Object flush = new Object();
    /** The newest ticket known durable; guarded by {@link #flush}. */
    private long durable;

    /** Runs the background compaction; null when it is off. */
    private ScheduledExecutorService maintenance;
    private int chunkRetentionMillis = 5000;
    /** The file's size after the last compaction; -1 before the first. Guarded by {@link #lock}. */
    private long compactedBytes = -1;

    /** A seam for tests: runs before each write is applied, so a test can make a commit fail halfway. */
    volatile Consumer<StoreWrite> beforeWrite = write -> { };

    /** Used by the component runtime, which then calls {@link #activate}. */
    public MvModelStore() {
    }

    /**
     * Opens the store without OSGi.
     *
     * @param file the store file; its directory is created when missing
     */
    MvModelStore(Path file) {
        open(file);
    }

    @Activate
    void activate(BundleContext context, Config config) {
        // A mistyped number must not keep the whole model from starting: the default applies, and the log says so.
        chunkRetentionMillis = atLeast("chunk.retention", config.chunk_retention(), 0, chunkRetentionMillis);
        int interval = atLeast("compaction.interval", config.compaction_interval(), 0, 5);
        open(fileOf(config.path(), context.getProperty("karaf.data")));
        if (interval > 0) {
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "netloom-store-compaction");
                t.setDaemon(true);
                return t;
            });
            maintenance.scheduleWithFixedDelay(this::compactInBackground, interval, interval, TimeUnit.SECONDS);
        }
    }

    private static int atLeast(String key, int value, int min, int fallback) {
        if (value >= min) {
            return value;
        }
        LOG.error("{}: {} must be at least {}, was {}; using {}", PID, key, min, value, fallback);
        return fallback;
    }

    private void compactInBackground() {
        try {
            compactIfWasteful();
        } catch (RuntimeException e) {
            // The next run tries again; a store that failed refuses every call and says so to its writers.
            LOG.warn("Background compaction of the model store {} failed", file, e);
        }
    }

    static Path fileOf(String configured, String karafData) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        if (karafData == null) {
            throw new IllegalStateException("The framework property karaf.data is not set, so the default store file "
                    + "${karaf.data}/netloom/model.db has no location; set 'path' in " + PID + ".cfg");
        }
        return Paths.get(karafData, "netloom", "model.db");
    }

    void open(Path path) {
        Path target = path.toAbsolutePath();
        lock.writeLock().lock();
        try {
            if (store != null) {
                throw new IllegalStateException("The store is already open at " + file);
            }
            try {
                Path parent = target.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    PrivateFiles.directory(parent);
                }
            } catch (IOException e) {
                throw new StoreException("Could not create the directory of the store " + target, e);
            }
            try {
                // A copy left by a compaction that a crash interrupted; the store file itself is whole.
                Files.deleteIfExists(target.resolveSibling(target.getFileName() + ".compacting"));
            } catch (IOException e) {
                throw new StoreException("Could not delete the unfinished compaction next to " + target, e);
            }
            try {
                // Created 0600 before MVStore writes a byte (it starts a new store in an empty file).
                PrivateFiles.file(target);
            } catch (IOException e) {
                throw new StoreException("Could not create the store file " + target + " with mode 0600", e);
            }
            try {
                store = StoreFiles.open(target, chunkRetentionMillis);
            } catch (RuntimeException e) {
                throw new StoreException("Could not open the store " + target, e);
            }
            file = target;
            compactedBytes = -1;
            failure = null;
            LOG.info("Model store opened: {}", target);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Closes the store; later calls fail until it is opened again.
     */
    @Deactivate
    void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
            maintenance = null;
        }
        lock.writeLock().lock();
        try {
            if (store == null) {
                return;
            }
            MVStore closing = store;
            store = null;
            if (failure != null) {
                // The file may hold a chunk this instance does not know about; write nothing more to it.
                closing.closeImmediately();
                LOG.info("Model store closed after a failure: {}", file);
            } else {
                // No compaction: MVStore's would move chunks for a while and could stop halfway, leaving the file
                // larger than it was; the background task compacts, by rewriting.
                closing.close(0);
                LOG.info("Model store closed: {}", file);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public SortedMap<String, String> load(String collection) {
        checkCollection(collection);
        return read(collection, map -> new TreeMap<>(map), TreeMap::new);
    }

    @Override
    public Optional<String> get(String collection, String key) {
        checkCollection(collection);
        Objects.requireNonNull(key, "key");
        return read(collection, map -> Optional.ofNullable(map.get(key)), Optional::empty);
    }

    @Override
    public List<Map.Entry<String, String>> ascending(String collection, Optional<String> after, int limit) {
        return page(collection, after, limit, false);
    }

    @Override
    public List<Map.Entry<String, String>> descending(String collection, Optional<String> before, int limit) {
        return page(collection, before, limit, true);
    }

    private List<Map.Entry<String, String>> page(String collection, Optional<String> from, int limit,
            boolean reverse) {
        checkCollection(collection);
        Objects.requireNonNull(from, "from");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return read(collection, map -> {
            List<Map.Entry<String, String>> page = new ArrayList<>();
            // The bound itself is excluded: it is the last key of the previous page.
            String start;
            if (from.isPresent()) {
                start = reverse ? map.lowerKey(from.get()) : map.higherKey(from.get());
            } else {
                start = reverse ? map.lastKey() : map.firstKey();
            }
            if (start == null) {
                return page;
            }
            Iterator<String> keys = reverse ? map.keyIteratorReverse(start) : map.keyIterator(start);
            while (keys.hasNext() && page.size() < limit) {
                String key = keys.next();
                page.add(Map.entry(key, map.get(key)));
            }
            return page;
        }, List::of);
    }

    @Override
    public long count(String collection) {
        checkCollection(collection);
        return read(collection, map -> map.sizeAsLong(), () -> 0L);
    }

    /**
     * Compacts the file when it has grown beyond twice its size after the last compaction plus
     * {@link #COMPACTION_SLACK} (beyond the slack alone before the first compaction).
     *
     * @return what the compaction did; empty when the file was left as it is
     */
    Optional<Compaction> compactIfWasteful() {
        // Checked first under the read lock alone, so that the frequent check does not hold up a flush.
        lock.readLock().lock();
        try {
            if (!wasteful(openStore())) {
                return Optional.empty();
            }
        } finally {
            lock.readLock().unlock();
        }
        synchronized (flush) {
            lock.writeLock().lock();
            try {
                return wasteful(openStore()) ? Optional.of(compactNow()) : Optional.empty();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private boolean wasteful(MVStore open) {
        return open.getFileStore().size() > Math.max(0, 2 * compactedBytes) + COMPACTION_SLACK;
    }

    /**
     * Rewrites the live data into a new file that replaces the store file.
     *
     * @return what the compaction did
     * @throws StoreException when it failed; when the old file could not be reopened either, the store refuses
     *     further use
     */
    Compaction compact() {
        synchronized (flush) {
            lock.writeLock().lock();
            try {
                return compactNow();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** Holds {@link #flush} and the write lock: nobody stages, syncs or reads meanwhile. */
    private Compaction compactNow() {
        long started = System.nanoTime();
        MVStore old = openStore();
        long beforeBytes = old.getFileStore().size();
        Path copy = file.resolveSibling(file.getFileName() + ".compacting");
        try {
            // Everything staged becomes durable here, so the copy holds every write anyone may have been told of.
            old.sync();
            durable = staged;
            Files.deleteIfExists(copy);
            // The copy replaces the store file: it is as private from its first byte.
            PrivateFiles.file(copy);
            StoreFiles.copyLiveData(old, copy);
        } catch (IOException | RuntimeException e) {
            StoreFiles.deleteQuietly(copy, e);
            throw new StoreException("Compaction of " + file + " failed; the store is unchanged", e);
        }
        store = null;
        try {
            old.close(0);
        } catch (RuntimeException e) {
            // Everything in it was synced and copied; what matters is that it no longer writes to the file.
            LOG.warn("Closing the model store {} for compaction failed; closing it without writing", file, e);
            old.closeImmediately();
        }
        StoreException failed = null;
        try {
            Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            StoreFiles.syncDirectory(file.getParent());
        } catch (IOException | RuntimeException e) {
            StoreFiles.deleteQuietly(copy, e);
            failed = new StoreException("Compaction of " + file + " could not replace the file; the old one is "
                    + "reopened", e);
        }
        try {
            store = StoreFiles.open(file, chunkRetentionMillis);
        } catch (RuntimeException e) {
            StoreException reopen = new StoreException("The store " + file + " could not be reopened after "
                    + "compaction; it refuses further use", e);
            failure = reopen;
            LOG.error("Model store {} failed; it refuses further use until it is reopened", file, reopen);
            throw reopen;
        }
        if (failed != null) {
            throw failed;
        }
        long afterBytes = store.getFileStore().size();
        compactedBytes = afterBytes;
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Model store compacted in {} ms: {} KiB to {} KiB", millis, beforeBytes / 1024, afterBytes / 1024);
        return new Compaction(beforeBytes, afterBytes, millis);
    }

    private <T> T read(String collection, Function<MVMap<String, String>, T> reader,
            Supplier<T> whenMissing) {
        lock.readLock().lock();
        try {
            MVStore open = openStore();
            try {
                // Checked first because opening a missing map would create it, which is a write.
                if (!open.hasMap(collection)) {
                    return whenMissing.get();
                }
                return reader.apply(StoreFiles.mapOf(open, collection));
            } catch (RuntimeException e) {
                throw new StoreException("Could not read collection '" + collection + "' from " + file, e);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void commit(List<StoreWrite> writes) {
        awaitDurable(stage(writes));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Applies the writes and writes them to the file as a new chunk ({@code MVStore.commit()}) under the write
     * lock; the fsync is left to {@link #awaitDurable}.
     */
    @Override
    public long stage(List<StoreWrite> writes) {
        // List.copyOf rejects null elements, and the copy keeps the caller from changing the batch meanwhile.
        List<StoreWrite> batch = List.copyOf(Objects.requireNonNull(writes, "writes"));
        for (StoreWrite write : batch) {
            checkCollection(write.collection());
        }
        lock.writeLock().lock();
        try {
            MVStore open = openStore();
            if (batch.isEmpty()) {
                return staged;
            }
            apply(open, batch);
            persist(open, batch.size());
            return ++staged;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Flushes are serialised: a caller whose ticket an earlier flush covered returns at once; otherwise it flushes
     * everything staged so far, on behalf of every caller waiting behind it.
     */
    @Override
    public void awaitDurable(long ticket) {
        synchronized (flush) {
            if (durable >= ticket) {
                return;
            }
            long upTo;
            MVStore open;
            lock.readLock().lock();
            try {
                open = openStore();
                upTo = staged;
            } finally {
                lock.readLock().unlock();
            }
            try {
                open.sync();
            } catch (RuntimeException e) {
                StoreException failed = new StoreException((upTo - durable) + " staged commit(s) could not be made "
                        + "durable in " + file + "; the store refuses further use until it is reopened", e);
                lock.writeLock().lock();
                try {
                    fail(open, failed);
                } finally {
                    lock.writeLock().unlock();
                }
                throw failed;
            }
            durable = upTo;
        }
    }

    private void apply(MVStore open, List<StoreWrite> batch) {
        try {
            for (StoreWrite write : batch) {
                beforeWrite.accept(write);
                MVMap<String, String> map = StoreFiles.mapOf(open, write.collection());
                if (write.document() == null) {
                    map.remove(write.key());
                } else {
                    map.put(write.key(), write.document());
                }
            }
        } catch (RuntimeException e) {
            StoreException failed = new StoreException("Commit of " + batch.size()
                    + " writes failed; none of them was applied", e);
            rollBack(open, failed);
            throw failed;
        } catch (Error e) {
            rollBack(open, e);
            throw e;
        }
    }

    /** When even the rollback fails, the store is put out of use, so the half-applied writes are never served. */
    private void rollBack(MVStore open, Throwable cause) {
        try {
            // Reverts every map to the last commit and closes maps created since, so none of the writes stays.
            open.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            fail(open, new StoreException("Could not roll back a failed commit in " + file, e));
        }
    }

    /** Writes the applied writes to the file as a new chunk; the fsync is {@link #awaitDurable}'s. */
    private void persist(MVStore open, int size) {
        try {
            open.commit();
        } catch (RuntimeException e) {
            StoreException failed = new StoreException("Commit of " + size + " writes could not be written to "
                    + file + "; the store refuses further use until it is reopened", e);
            fail(open, failed);
            throw failed;
        }
    }

    /** Puts the store out of use: whether the failed commit reached the file is unknown, so nothing is served. */
    private void fail(MVStore open, StoreException cause) {
        failure = cause;
        LOG.error("Model store {} failed; it refuses further use until it is reopened", file, cause);
        // A write failure inside MVStore has closed it already; this makes sure no later write reaches the file.
        open.closeImmediately();
    }

    private MVStore openStore() {
        if (failure != null) {
            throw new StoreException("The store " + file + " failed earlier and must be reopened", failure);
        }
        if (store == null) {
            throw new StoreException("The store is closed", null);
        }
        return store;
    }

    private static void checkCollection(String collection) {
        Objects.requireNonNull(collection, "collection");
        if (!COLLECTION.matcher(collection).matches()) {
            throw new IllegalArgumentException("Invalid collection name '" + collection
                    + "': use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }
}
