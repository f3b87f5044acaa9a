package io.netloom.core.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;

/**
 * The file-level operations of {@link MvModelStore}: opening a store file, opening a collection's map, copying the
 * live data into a new file for compaction, and making a rename durable.
 */
final class StoreFiles {

    /** Bytes of documents copied between two commits of the new file while compacting. */
    private static final long COPY_BATCH_BYTES = 8L << 20;

    private StoreFiles() {
    }

    /**
     * Opens a store file for Netloom's use: no automatic commit (a commit is the store's decision, all or nothing).
     *
     * @param chunkRetentionMillis how long a dead chunk is kept before its space is reused
     */
    static MVStore open(Path target, int chunkRetentionMillis) {
        MVStore opened = new MVStore.Builder()
                .fileName(target.toString())
                .autoCommitDisabled()
                // autoCommitDisabled() alone leaves the buffer limit set, and MVStore would then commit a large
                // batch halfway on its own, making half of it durable before our commit decides.
                .autoCommitBufferSize(0)
                .open();
        opened.setRetentionTime(chunkRetentionMillis);
        return opened;
    }

    /** Opened by name each time, because a rollback closes maps created since the last commit. */
    static MVMap<String, String> mapOf(MVStore open, String collection) {
        return open.openMap(collection, new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
    }

    /** Copies every map into a new store file, committed a batch at a time, synced and closed. */
    static void copyLiveData(MVStore from, Path target) {
        MVStore to = new MVStore.Builder()
                .fileName(target.toString())
                .autoCommitDisabled()
                .autoCommitBufferSize(0)
                .open();
        try {
            for (String name : from.getMapNames()) {
                MVMap<String, String> source = mapOf(from, name);
                MVMap<String, String> copy = mapOf(to, name);
                long batch = 0;
                for (Cursor<String, String> cursor = source.cursor(null); cursor.hasNext();) {
                    String key = cursor.next();
                    String document = cursor.getValue();
                    copy.put(key, document);
                    batch += key.length() + document.length();
                    if (batch >= COPY_BATCH_BYTES) {
                        to.commit();
                        batch = 0;
                    }
                }
                // An empty map is copied too, so that the copy holds the same collections.
                to.commit();
            }
            to.sync();
            to.close(0);
        } catch (RuntimeException e) {
            to.closeImmediately();
            throw e;
        }
    }

    /** Makes a rename in the directory durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteQuietly(Path path, Exception cause) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
