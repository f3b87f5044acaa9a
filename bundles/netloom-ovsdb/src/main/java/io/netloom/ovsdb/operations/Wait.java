package io.netloom.ovsdb.operations;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.netloom.ovsdb.notation.Notation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code wait} operation: a prerequisite. It compares the rows matching the where clause, projected on
 * {@link #columns}, with {@link #rows}; when the comparison given by {@link #until} does not hold within the timeout,
 * the operation fails with {@code "timed out"} and the whole transaction is aborted. Placed first in a transaction,
 * it makes a retried "create if absent" idempotent: see {@link #absent}.
 */
public final class Wait extends TableOperation<Wait> implements Operation {

    /** How the selected rows must compare with the expected rows. */
    public enum Until {
        /** The selected rows equal the expected rows. */
        EQUAL("=="),
        /** The selected rows differ from the expected rows. */
        NOT_EQUAL("!=");

        private final String symbol;

        Until(String symbol) {
            this.symbol = symbol;
        }

        /**
         * Returns the comparison as written in JSON.
         *
         * @return {@code ==} or {@code !=}
         */
        public String symbol() {
            return symbol;
        }
    }

    private final List<String> columns = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private Until until = Until.EQUAL;
    private Duration timeout = Duration.ZERO;

    private Wait(String table) {
        super(table);
    }

    /**
     * Starts a wait. Defaults: all rows, {@code until ==}, no expected rows, timeout 0 (fail at once).
     *
     * @param table the table
     * @return the builder
     */
    public static Wait on(String table) {
        return new Wait(table);
    }

    /**
     * Creates the prerequisite "no row matches": the transaction fails with {@code "timed out"} at this operation
     * when a matching row exists. The projected columns are the condition columns.
     *
     * @param table      the table
     * @param conditions the identity of the row, such as {@code name == "br0"}
     * @return the operation
     * @throws IllegalArgumentException when no condition is given
     */
    public static Wait absent(String table, Condition... conditions) {
        if (conditions.length == 0) {
            throw new IllegalArgumentException("absent(" + table + ") needs at least one condition");
        }
        Set<String> projected = new LinkedHashSet<>();
        for (Condition condition : conditions) {
            projected.add(condition.column());
        }
        return on(table).where(conditions).columns(projected.toArray(String[]::new)).until(Until.EQUAL);
    }

    /**
     * Sets the columns the selected rows are projected on before the comparison.
     *
     * @param names the columns
     * @return this builder
     */
    public Wait columns(String... names) {
        columns.addAll(Arrays.asList(names));
        return this;
    }

    /**
     * Adds an expected row.
     *
     * @param row column to value (Java model of {@link Notation}) for the projected columns
     * @return this builder
     */
    public Wait row(Map<String, ?> row) {
        rows.add(new LinkedHashMap<>(row));
        return this;
    }

    /**
     * Sets the comparison.
     *
     * @param comparison {@link Until#EQUAL} or {@link Until#NOT_EQUAL}
     * @return this builder
     */
    public Wait until(Until comparison) {
        this.until = Objects.requireNonNull(comparison, "until");
        return this;
    }

    /**
     * Sets how long the server waits for the comparison to hold; zero fails at once.
     *
     * @param timeout not negative, in milliseconds precision
     * @return this builder
     */
    public Wait timeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("wait timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    @Override
    Wait self() {
        return this;
    }

    @Override
    public String op() {
        return "wait";
    }

    @Override
    public JsonObject toJson() {
        if (columns.isEmpty()) {
            throw new IllegalStateException("wait on table " + table() + " projects no column: call columns(...)");
        }
        JsonObject json = start(op(), false);
        json.add("columns", strings(columns));
        json.addProperty("until", until.symbol());
        JsonArray expected = new JsonArray(rows.size());
        rows.forEach(row -> expected.add(Notation.rowToJson(row)));
        json.add("rows", expected);
        json.addProperty("timeout", timeout.toMillis());
        return json;
    }
}
