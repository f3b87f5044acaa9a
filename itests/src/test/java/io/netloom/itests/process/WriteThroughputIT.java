package io.netloom.itests.process;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

/**
 * End-to-end harness for durable REST write throughput: creates networks through the real distribution, each
 * acknowledged only once committed and synced to disk, and prints creates per second for each run and their
 * median (line {@code WRITE_THROUGHPUT_MEDIAN=}). It asserts only that every write succeeded: speed is reported,
 * not tested.
 */
public class WriteThroughputIT {

    private static final int RUNS = 3;
    private static final int WRITES_PER_RUN = Integer.getInteger("netloom.bench.writes", 300);
    private static final int THREADS = 4;

    @Test
    public void durableCreatesPerSecond() throws Exception {
        try (NetloomProcess netloom = new NetloomProcess()) {
            netloom.start();
            // Warm the JIT and the connection pool before measuring.
            runBurst(netloom, 50, 0);
            List<Double> rates = new ArrayList<>();
            for (int run = 1; run <= RUNS; run++) {
                long start = System.nanoTime();
                runBurst(netloom, WRITES_PER_RUN, run * 1000);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = WRITES_PER_RUN / seconds;
                rates.add(rate);
                System.out.printf("run %d: %d durable creates in %.2f s = %.0f/s (%d threads)%n", run,
                        WRITES_PER_RUN, seconds, rate, THREADS);
            }
            Collections.sort(rates);
            System.out.printf("WRITE_THROUGHPUT_MEDIAN=%.0f creates/s%n", rates.get(RUNS / 2));
        }
    }

    private static void runBurst(NetloomProcess netloom, int writes, int offset) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < writes; i = next.getAndIncrement()) {
                        int n = offset + i;
                        String body = "{\"name\":\"bench-" + n + "\",\"cidrs\":[\"10." + (200 + n / 65536 % 50) + "."
                                + (n / 256 % 256) + "." + (n % 256 / 16 * 16) + "/28\"]}";
                        if (netloom.rest("POST", "/networks", body).status() == 201) {
                            created.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("every write acknowledged", writes, created.get());
    }
}
