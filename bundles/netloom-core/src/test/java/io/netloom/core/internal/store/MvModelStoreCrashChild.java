package io.netloom.core.internal.store;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netloom.api.store.StoreWrite;

/**
 * The child JVM of the crash test: three threads each commit one write at a time (so that they share fsyncs, as
 * concurrent REST writers do) and print {@code ack <key>} after each commit has returned, until it is killed. It stops
 * by itself after a while, so a parent that died cannot leave it running.
 */
public final class MvModelStoreCrashChild {

    static final String COLLECTION = "crash";
    static final String ACK = "ack ";

    private static final long MAX_RUN_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int MAX_COMMITS = 1_000_000;
    private static final int THREADS = 3;

    private MvModelStoreCrashChild() {
    }

    /**
     * @param args the store file
     */
    public static void main(String[] args) throws InterruptedException {
        MvModelStore store = new MvModelStore(Paths.get(args[0]));
        long deadline = System.nanoTime() + MAX_RUN_NANOS;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            Thread writer = new Thread(() -> {
                for (int i = first; i < MAX_COMMITS && System.nanoTime() - deadline < 0; i += THREADS) {
                    // stage + awaitDurable, as the model repository does, with the lock of its own.
                    long ticket;
                    synchronized (store) {
                        ticket = store.stage(List.of(StoreWrite.put(COLLECTION, key(i), document(i))));
                    }
                    store.awaitDurable(ticket);
                    // Printed only once durable: every line the parent sees is a promise of durability.
                    synchronized (System.out) {
                        System.out.println(ACK + key(i));
                        System.out.flush();
                    }
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
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
