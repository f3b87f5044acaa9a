package io.netloom.core.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import io.netloom.api.model.Caller;
import io.netloom.api.model.Port;
import io.netloom.api.model.RealisationStatus;
import io.netloom.core.internal.model.Kind;
import io.netloom.core.internal.model.ModelRepository;

/**
 * Row S5: the store file after 100,000 creates then 100,000 deletes must be at most 3 × the live data + 32 MiB once
 * compacted. Each write goes the production way: {@link ModelRepository#write} serialises a port and its audit
 * entry and commits them durably (one MVStore chunk and one fsync per write), while the store's background compaction
 * runs as configured by default (a check every 5 s). At the end the audit retention (100,000 entries) is
 * enforced and the store compacted once more, as the background tasks would within ten minutes.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.netloom.core.internal.store.StoreBenchmark [objects]
 * [runs] [directory]} (defaults 100000, 3, a temporary directory). Prints each run's figures and their medians.
 */
public final class StoreBenchmark {

    private static final long MIB = 1L << 20;
    private static final int COMPACTION_INTERVAL_SECONDS = 5;
    private static final long AUDIT_RETENTION = 100_000;
    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");

    private StoreBenchmark() {
    }

    /** The figures of one run (sizes in bytes). */
    public record Run(double createSeconds, double deleteSeconds, long peakFile, long backgroundCompactions,
            long longestCompactionMillis, long fileAfterWrites, long fileCompacted, long liveCompacted,
            long fileAfterRetention, long liveAfterRetention, long finalCompactionMillis) {

        /**
         * @return the largest the compacted file may be: three times the live data plus 32 MiB
         */
        public long bound() {
            return 3 * liveAfterRetention + 32 * MIB;
        }
    }

    public static void main(String[] args) throws IOException {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path base = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("netloom-s5-");
        List<Run> results = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Path dir = base.resolve("run-" + i);
            Run run = run(dir.resolve("model.db"), objects);
            print("run " + i, run);
            results.add(run);
            delete(dir);
        }
        Run median = new Run(
                medianDouble(results, Run::createSeconds), medianDouble(results, Run::deleteSeconds),
                median(results, Run::peakFile), median(results, Run::backgroundCompactions),
                median(results, Run::longestCompactionMillis), median(results, Run::fileAfterWrites),
                median(results, Run::fileCompacted), median(results, Run::liveCompacted),
                median(results, Run::fileAfterRetention), median(results, Run::liveAfterRetention),
                median(results, Run::finalCompactionMillis));
        print("median of " + runs, median);
        System.out.printf("S5 %s: file %.1f MiB <= 3 x live %.1f MiB + 32 MiB = %.1f MiB%n",
                median.fileAfterRetention() <= median.bound() ? "PASS" : "FAIL", mib(median.fileAfterRetention()),
                mib(median.liveAfterRetention()), mib(median.bound()));
    }

    /**
     * Creates, then deletes, {@code objects} ports through the repository on a store at {@code file}, with the
     * store's background compaction running, then compacts and applies the audit retention.
     *
     * @param file the store file to create
     * @param objects how many ports
     * @return the figures
     */
    public static Run run(Path file, int objects) {
        MvModelStore store = new MvModelStore(file);
        ModelRepository repository = new ModelRepository(store, Clock.systemUTC());
        AtomicLong peak = new AtomicLong();
        AtomicLong compactions = new AtomicLong();
        AtomicLong longest = new AtomicLong();
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
        background.scheduleWithFixedDelay(() -> {
            store.compactIfWasteful().ifPresent(done -> {
                compactions.incrementAndGet();
                longest.accumulateAndGet(done.millis(), Math::max);
            });
        }, COMPACTION_INTERVAL_SECONDS, COMPACTION_INTERVAL_SECONDS, TimeUnit.SECONDS);
        try {
            List<Port> ports = new ArrayList<>(objects);
            long started = System.nanoTime();
            for (int i = 0; i < objects; i++) {
                Port port = port(i);
                repository.write(ADMIN, "port.create", changes -> {
                    changes.put(Kind.PORT, null, port);
                    return null;
                });
                ports.add(port);
                sample(file, peak, i);
            }
            double createSeconds = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            for (int i = 0; i < objects; i++) {
                Port port = ports.get(i);
                repository.write(ADMIN, "port.delete", changes -> {
                    changes.delete(Kind.PORT, port);
                    return null;
                });
                sample(file, peak, i);
            }
            double deleteSeconds = (System.nanoTime() - started) / 1e9;
            background.shutdownNow();
            background.awaitTermination(1, TimeUnit.MINUTES);
            long afterWrites = Files.size(file);

            store.compact();
            long compacted = Files.size(file);
            long liveCompacted = liveBytes(store);

            repository.trimAudit(AUDIT_RETENTION, Instant.now().minus(Duration.ofDays(30)));
            long finalMillis = store.compact().millis();
            System.out.printf("  left: %d ports, %d audit entries%n", store.count(Kind.PORT.collection()),
                    store.count("audit"));
            return new Run(createSeconds, deleteSeconds, peak.get(), compactions.get(), longest.get(), afterWrites,
                    compacted, liveCompacted, Files.size(file), liveBytes(store), finalMillis);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the size of " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } finally {
            background.shutdownNow();
            store.close();
        }
    }

    private static Port port(int i) {
        String id = "port-" + HexFormat.of().toHexDigits((long) i).substring(4);
        return new Port(id, "p" + i, "admin", "net-0123456789ab", "sub-0123456789ab",
                "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
                String.format("fa:16:3e:%02x:%02x:%02x", i >> 16 & 255, i >> 8 & 255, i & 255),
                List.of("sg-0123456789ab"), null, Instant.now(), RealisationStatus.PENDING, "");
    }

    private static void sample(Path file, AtomicLong peak, int i) throws IOException {
        if (i % 1_000 == 999) {
            peak.accumulateAndGet(Files.size(file), Math::max);
        }
    }

    /** The exact live data: the bytes of every key and document in every collection. */
    private static long liveBytes(MvModelStore store) {
        long bytes = 0;
        for (String collection : List.of(Kind.PORT.collection(), "audit")) {
            Optional<String> after = Optional.empty();
            List<Map.Entry<String, String>> page;
            do {
                page = store.ascending(collection, after, 1_000);
                for (Map.Entry<String, String> entry : page) {
                    bytes += entry.getKey().length() + entry.getValue().length();
                }
                after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).getKey());
            } while (page.size() == 1_000);
        }
        return bytes;
    }

    private static void print(String label, Run run) {
        System.out.printf("%s: creates %.1f s, deletes %.1f s; file peak %.1f MiB, %d background compactions "
                + "(longest %d ms); after the writes %.1f MiB; compacted %.1f MiB for %.1f MiB live; after audit "
                + "retention and compaction (%d ms) %.1f MiB for %.1f MiB live (bound %.1f MiB)%n", label,
                run.createSeconds(), run.deleteSeconds(), mib(run.peakFile()), run.backgroundCompactions(),
                run.longestCompactionMillis(), mib(run.fileAfterWrites()), mib(run.fileCompacted()),
                mib(run.liveCompacted()), run.finalCompactionMillis(), mib(run.fileAfterRetention()),
                mib(run.liveAfterRetention()), mib(run.bound()));
    }

    private static double mib(long bytes) {
        return bytes / (double) MIB;
    }

    private static long median(List<Run> runs, ToLongFunction<Run> figure) {
        long[] values = runs.stream().mapToLong(figure).sorted().toArray();
        return values[values.length / 2];
    }

    private static double medianDouble(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}
