package io.netloom.ovsdb.operations;

import com.google.gson.JsonObject;
import io.netloom.ovsdb.notation.Notation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code update} operation: replaces the values of some columns in every row matching the where clause. Its
 * result carries the number of matching rows. A where clause (or {@link #allRows()}) is required.
 */
public final class Update extends TableOperation<Update> implements Operation {
    private final Map<String, Object> row = new LinkedHashMap<>();

    private Update(String table) {
        super(table);
    }

    /**
     * Starts an update.
     *
     * @param table the table
     * @return the builder
     */
    public static Update table(String table) {
        return new Update(table);
    }

    /**
     * Sets a column to a new value, replacing a whole set or map.
     *
     * @param column the column
     * @param value  the value in the Java model of {@link Notation}
     * @return this builder
     */
    public Update set(String column, Object value) {
        row.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(value, "value of " + column));
        return this;
    }

    @Override
    Update self() {
        return this;
    }

    @Override
    public String op() {
        return "update";
    }

    @Override
    public JsonObject toJson() {
        if (row.isEmpty()) {
            throw new IllegalStateException("update on table " + table() + " sets no column");
        }
        JsonObject json = start(op(), true);
        json.add("row", Notation.rowToJson(row));
        return json;
    }
}
