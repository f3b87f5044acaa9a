package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The results of a harness run: one row per measurement, each with every sample of both sides, their medians and
 * the ratio. Printed as a table and written as Markdown and JSON.
 */
final class Report {

    /**
     * One measurement: Netloom's samples against the alternative's. For times the ratio is the alternative's median
     * divided by Netloom's, so above 1 means Netloom is faster. An empty side is pending (see {@code note}).
     *
     * @param id the scenario number and variant, e.g. {@code 1a}
     * @param what what is measured
     * @param unit {@code ms} or {@code MiB}
     * @param netloomSide Netloom and the driver used
     * @param netloom Netloom's samples
     * @param alternativeSide what Netloom is compared with
     * @param alternative its samples
     * @param note what the reader must know, e.g. why a side is pending
     */
    record Row(String id, String what, String unit, String netloomSide, List<Double> netloom,
            String alternativeSide, List<Double> alternative, String note) {

        OptionalDouble netloomMedian() {
            return median(netloom);
        }

        OptionalDouble alternativeMedian() {
            return median(alternative);
        }

        /** @return alternative ÷ Netloom, when both sides were measured and this is a time */
        OptionalDouble ratio() {
            OptionalDouble n = netloomMedian();
            OptionalDouble a = alternativeMedian();
            if (!"ms".equals(unit) || n.isEmpty() || a.isEmpty() || n.getAsDouble() <= 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(a.getAsDouble() / n.getAsDouble());
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, String> settings;

    Report(Map<String, String> settings) {
        this.settings = settings;
    }

    synchronized void add(Row row) {
        rows.add(row);
        System.out.println("RESULT " + line(row));
    }

    synchronized void failed(String scenario, Throwable e) {
        failures.add(scenario + ": " + e);
        System.out.println("FAILED " + scenario + ": " + e);
        e.printStackTrace(System.out);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    static OptionalDouble median(List<Double> samples) {
        if (samples.isEmpty()) {
            return OptionalDouble.empty();
        }
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        int n = sorted.size();
        return OptionalDouble.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    private static String number(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.0f", value.getAsDouble()) : "pending";
    }

    private static String ratio(Row row) {
        return row.ratio().isPresent() ? String.format(Locale.ROOT, "%.2f", row.ratio().getAsDouble()) : "–";
    }

    private static String line(Row row) {
        return row.id() + " | " + row.what() + " | " + row.netloomSide() + " " + number(row.netloomMedian()) + " "
                + row.unit() + " " + samples(row.netloom()) + " | " + row.alternativeSide() + " "
                + number(row.alternativeMedian()) + " " + row.unit() + " " + samples(row.alternative())
                + " | ratio " + ratio(row) + (row.note().isEmpty() ? "" : " | " + row.note());
    }

    private static String samples(List<Double> samples) {
        List<String> texts = new ArrayList<>();
        for (double s : samples) {
            texts.add(String.format(Locale.ROOT, "%.0f", s));
        }
        return texts.toString();
    }

    /** @return the table in Markdown */
    synchronized String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| # | measurement | Netloom | median | alternative | median | ratio (alt ÷ Netloom) | note |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            sb.append("| ").append(row.id()).append(" | ").append(row.what()).append(" | ")
                    .append(row.netloomSide()).append(" | ").append(number(row.netloomMedian())).append(' ')
                    .append(row.unit()).append(' ').append(samples(row.netloom())).append(" | ")
                    .append(row.alternativeSide()).append(" | ").append(number(row.alternativeMedian()))
                    .append(' ').append(row.unit()).append(' ').append(samples(row.alternative())).append(" | ")
                    .append(ratio(row)).append(" | ").append(row.note().replace("|", "/")).append(" |\n");
        }
        for (String failure : failures) {
            sb.append("\nFAILED: ").append(failure).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code results.md} and {@code results.json} into {@code dir}. */
    synchronized void write(Path dir) {
        JsonObject json = new JsonObject();
        json.addProperty("finished", Instant.now().toString());
        JsonObject s = new JsonObject();
        settings.forEach(s::addProperty);
        json.add("settings", s);
        JsonArray array = new JsonArray();
        for (Row row : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("id", row.id());
            o.addProperty("what", row.what());
            o.addProperty("unit", row.unit());
            o.addProperty("netloomSide", row.netloomSide());
            o.add("netloom", toArray(row.netloom()));
            row.netloomMedian().ifPresent(m -> o.addProperty("netloomMedian", m));
            o.addProperty("alternativeSide", row.alternativeSide());
            o.add("alternative", toArray(row.alternative()));
            row.alternativeMedian().ifPresent(m -> o.addProperty("alternativeMedian", m));
            row.ratio().ifPresent(r -> o.addProperty("ratio", r));
            o.addProperty("note", row.note());
            array.add(o);
        }
        json.add("rows", array);
        JsonArray failed = new JsonArray();
        failures.forEach(failed::add);
        json.add("failures", failed);
        try {
            Files.createDirectories(dir);
            StringBuilder md = new StringBuilder("# Netloom end-to-end benchmark results\n\n");
            settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
            md.append('\n').append(markdown());
            Files.writeString(dir.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.json"),
                    new GsonBuilder().setPrettyPrinting().create().toJson(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonArray toArray(List<Double> samples) {
        JsonArray array = new JsonArray();
        samples.forEach(array::add);
        return array;
    }
}
