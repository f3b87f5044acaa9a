package io.netloom.core.internal.store;

import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netloom.api.store.StoreWrite;

/**
 * The child JVM of the crash test: commits one write at a time and prints {@code ack <key>} after each commit has
 * returned, until it is killed. It stops by itself after a while, so a parent that died cannot leave it running.
 */
public final class MvModelStoreCrashChild {

    static final String COLLECTION = "crash";
    static final String ACK = "ack ";

    private static final long MAX_RUN_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int MAX_COMMITS = 1_000_000;

    private MvModelStoreCrashChild() {
    }

    /**
     * @param args the store file
     */
    public static void main(String[] args) {
        MvModelStore store = new MvModelStore(Paths.get(args[0]));
        long deadline = System.nanoTime() + MAX_RUN_NANOS;
        for (int i = 0; i < MAX_COMMITS && System.nanoTime() - deadline < 0; i++) {
            store.commit(List.of(StoreWrite.put(COLLECTION, key(i), document(i))));
            // Printed only after commit returned: every line the parent sees is a promise of durability.
            System.out.println(ACK + key(i));
            System.out.flush();
        }
        store.close();
    }

    /** Fixed width, so a line cut short by the kill can never be mistaken for another key. */
    static String key(int i) {
        return String.format("%07d", i);
    }

    static String document(int i) {
        return "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(200 + i % 50) + "\"}";
    }
}
