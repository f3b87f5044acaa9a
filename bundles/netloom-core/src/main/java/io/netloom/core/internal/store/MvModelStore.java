package io.netloom.core.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;
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

/**
 * The embedded {@link ModelStore}: one H2 MVStore file, one {@code MVMap<String, String>} per collection.
 * <p>
 * Durability: auto-commit is off, so MVStore writes nothing on its own; {@link #commit} applies the writes, then
 * calls {@code MVStore.commit()} (which writes a new chunk to the file) and {@code sync()} (fsync), so a commit
 * survives {@code kill -9} and power loss once it returns. {@link #stage} and {@link #awaitDurable} split the two
 * for group commit: writers that stage one after another under their own lock and then wait outside it share one
 * fsync, which is what limits how many writes per second a disk takes. Atomicity: a failure while applying the writes is undone
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
 * rounded up to 4 KB blocks). A chunk turns dead once newer ones hold all of its pages, but MVStore only reuses its
 * space after the chunk retention time, and with auto-commit off no MVStore background thread ever compacts: so
 * the file grew by some 30 KB per write, whatever the live data. Two things bound it now. The chunk retention time
 * is short ({@code chunk.retention}, 5 s rather than MVStore's 45 s), which is safe because every commit is synced
 * before anyone is told it is done, so a dead chunk is never needed again once it is seconds old. And a background
 * task ({@code compaction.interval}) estimates the live data (file size × block fill × chunk fill) and, when the
 * file exceeds twice that plus {@link #COMPACTION_SLACK}, syncs and then compacts the file for at most
 * {@code compaction.time} ms: live pages of sparse chunks are rewritten, chunks moved to the front and the file
 * truncated. Closing compacts nothing, so that a shutdown is quick and leaves the file as the last run left it.
 * Compression is off (documents are small JSON and are read often).
 */
@Component(service = ModelStore.class, configurationPid = MvModelStore.PID)
@Designate(ocd = MvModelStore.Config.class)
public class MvModelStore implements ModelStore {

    static final String PID = "io.netloom.store";

    private static final Logger LOG = LoggerFactory.getLogger(MvModelStore.class);

    /** Collection names become MVMap names; keeping them to plain words keeps typos from creating new maps. */
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** A file of at most this many bytes more than twice the estimated live data is left as it is. */
    static final long COMPACTION_SLACK = 16L << 20;

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
        int compaction_interval() default 30;

        /**
         * @return the longest time one compaction may hold up writes, in milliseconds
         */
        @AttributeDefinition(name = "compaction.time", description = "The longest time one compaction may hold up "
                + "writes, in milliseconds")
        int compaction_time() default 1000;

        /**
         * @return how long a dead chunk is kept before its space is reused, in milliseconds
         */
        @AttributeDefinition(name = "chunk.retention", description = "How long a dead chunk is kept before its "
                + "space is reused, in milliseconds")
        int chunk_retention() default 5000;
    }

    /**
     * The size of the store file against the live data in it.
     *
     * @param fileBytes the file's size
     * @param liveBytes the estimated bytes of live pages in it
     */
    record Size(long fileBytes, long liveBytes) {

        /** @return whether the file is worth compacting: more than twice the live data plus the slack */
        boolean wasteful() {
            return fileBytes > 2 * liveBytes + COMPACTION_SLACK;
        }
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
    private int compactionMillis = 1000;
    private int chunkRetentionMillis = 5000;

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
        compactionMillis = atLeast("compaction.time", config.compaction_time(), 1, compactionMillis);
        chunkRetentionMillis = atLeast("chunk.retention", config.chunk_retention(), 0, chunkRetentionMillis);
        int interval = atLeast("compaction.interval", config.compaction_interval(), 0, 30);
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
            compactIfWasteful(compactionMillis);
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
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new StoreException("Could not create the directory of the store " + target, e);
            }
            try {
                store = new MVStore.Builder()
                        .fileName(target.toString())
                        .autoCommitDisabled()
                        // autoCommitDisabled() alone leaves the buffer limit set, and MVStore would then commit a
                        // large batch halfway on its own, making half of it durable before our commit decides.
                        .autoCommitBufferSize(0)
                        .open();
                store.setRetentionTime(chunkRetentionMillis);
            } catch (RuntimeException e) {
                throw new StoreException("Could not open the store " + target, e);
            }
            file = target;
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
                // No compaction: MVStore would move chunks for a while and could stop halfway, leaving the file
                // larger than it was; the background task compacts with the writes it holds up in view.
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
     * @return the file's size and the estimated live data in it
     */
    Size size() {
        lock.readLock().lock();
        try {
            return sizeOf(openStore());
        } finally {
            lock.readLock().unlock();
        }
    }

    private static Size sizeOf(MVStore open) {
        FileStore<?> fileStore = open.getFileStore();
        long fileBytes = fileStore.size();
        // Block fill: blocks in use by chunks; chunk fill: bytes of live pages in those chunks.
        long live = fileBytes * fileStore.getFillRate() / 100 * fileStore.getChunksFillRate() / 100;
        return new Size(fileBytes, live);
    }

    /**
     * Compacts the file when it holds more than twice the live data plus {@link #COMPACTION_SLACK}. Writes wait
     * meanwhile, for at most about {@code maxMillis}.
     *
     * @param maxMillis the time compaction may take
     * @return the size before and after; the same twice when there was nothing worth compacting
     */
    Size[] compactIfWasteful(int maxMillis) {
        lock.writeLock().lock();
        try {
            MVStore open = openStore();
            Size before = sizeOf(open);
            if (!before.wasteful()) {
                return new Size[] {before, before};
            }
            long started = System.nanoTime();
            try {
                // Everything staged so far becomes durable first, so that no chunk compaction frees is still the
                // newest durable copy of anything.
                open.sync();
                open.compactFile(maxMillis);
                // compactFile leaves the retention time at 0; from here on, unsynced chunks need it again.
                open.setRetentionTime(chunkRetentionMillis);
            } catch (RuntimeException e) {
                StoreException failed = new StoreException("Compaction of " + file + " failed; the store refuses "
                        + "further use until it is reopened", e);
                fail(open, failed);
                throw failed;
            }
            Size after = sizeOf(open);
            LOG.info("Model store compacted in {} ms: {} KiB to {} KiB, about {} KiB live",
                    (System.nanoTime() - started) / 1_000_000, before.fileBytes() / 1024, after.fileBytes() / 1024,
                    after.liveBytes() / 1024);
            return new Size[] {before, after};
        } finally {
            lock.writeLock().unlock();
        }
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
                return reader.apply(mapOf(open, collection));
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
                MVMap<String, String> map = mapOf(open, write.collection());
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

    /** Opened by name each time, because a rollback closes maps created since the last commit. */
    private static MVMap<String, String> mapOf(MVStore open, String collection) {
        return open.openMap(collection, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
    }

    private static void checkCollection(String collection) {
        Objects.requireNonNull(collection, "collection");
        if (!COLLECTION.matcher(collection).matches()) {
            throw new IllegalArgumentException("Invalid collection name '" + collection
                    + "': use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }
}
