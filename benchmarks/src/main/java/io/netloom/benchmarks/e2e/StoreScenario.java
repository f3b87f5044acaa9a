package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.netloom.core.internal.store.StoreBenchmark;

/**
 * Scenario 10 (row S5 of the scale issue): the store alone, in this process: {@code N} port creates, then {@code N}
 * deletes, each a durable write with its audit entry, with the store's background compaction running; then one
 * compaction and the audit retention. Reported: the file then against its bound (three times the live data plus
 * 32 MiB), the file before that last compaction, and the write times. See {@link StoreBenchmark} for the method.
 */
final class StoreScenario implements Harness.Scenario {

    private static final double MIB = 1 << 20;

    @Override
    public String name() {
        return "10: store, creates then deletes (S5)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(10);
    }

    @Override
    public void run(Harness.Context ctx) {
        int objects = ctx.options().storeObjects();
        List<Double> file = new ArrayList<>();
        List<Double> bound = new ArrayList<>();
        List<Double> beforeCompaction = new ArrayList<>();
        List<Double> writeSeconds = new ArrayList<>();
        for (int run = 1; run <= ctx.options().runs(); run++) {
            Path dir = ctx.sandbox().newDir("store-");
            try {
                StoreBenchmark.Run r = StoreBenchmark.run(dir.resolve("model.db"), objects);
                file.add(r.fileAfterRetention() / MIB);
                bound.add(r.bound() / MIB);
                beforeCompaction.add(r.fileAfterWrites() / MIB);
                writeSeconds.add(r.createSeconds() + r.deleteSeconds());
                ctx.log(String.format(Locale.ROOT, "run %d: file %.1f MiB for %.1f MiB live (bound %.1f MiB); "
                        + "%.1f MiB before the last compaction, peak %.1f MiB", run, r.fileAfterRetention() / MIB,
                        r.liveAfterRetention() / MIB, r.bound() / MIB, r.fileAfterWrites() / MIB, r.peakFile() / MIB));
            } finally {
                delete(dir);
            }
        }
        ctx.report().add(new Report.Row("S5", objects + " creates then " + objects + " deletes: store file once "
                + "compacted", "MiB", "Netloom", file, "bound: 3 x live + 32 MiB", bound, String.format(Locale.ROOT,
                        "before the last compaction %.1f MiB; writes took %.0f s (median)",
                        Report.median(beforeCompaction).orElse(0), Report.median(writeSeconds).orElse(0))));
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not delete " + dir, e);
        }
    }
}
