package io.netloom.ovsdb.operations;

import com.google.gson.JsonObject;
import io.netloom.ovsdb.notation.NamedUuid;
import io.netloom.ovsdb.notation.Notation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code insert} operation: adds one row. Give it a {@code uuid-name} to reference the new row from later
 * operations of the same transaction with {@link #ref()}. Its result carries the new row's UUID.
 */
public final class Insert implements Operation {
    private final String table;
    private final Map<String, Object> row = new LinkedHashMap<>();
    private NamedUuid uuidName;

    private Insert(String table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Starts an insert.
     *
     * @param table the table
     * @return the builder
     */
    public static Insert into(String table) {
        return new Insert(table);
    }

    /**
     * Names the new row for references within the transaction.
     *
     * @param name an RFC 7047 {@code <id>}, unique within the transaction
     * @return this builder
     * @throws IllegalArgumentException when the name is not a valid {@code <id>}
     */
    public Insert withUuidName(String name) {
        this.uuidName = NamedUuid.of(name);
        return this;
    }

    /**
     * Sets a column of the new row; columns not set get their default.
     *
     * @param column the column
     * @param value  the value in the Java model of {@link Notation}
     * @return this builder
     */
    public Insert value(String column, Object value) {
        row.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(value, "value of " + column));
        return this;
    }

    /**
     * Returns the reference to the new row, for use as a value in later operations of the same transaction.
     *
     * @return the named UUID
     * @throws IllegalStateException when no {@code uuid-name} was set
     */
    public NamedUuid ref() {
        return uuidName().orElseThrow(() -> new IllegalStateException(
                "insert into " + table + " has no uuid-name: call withUuidName(...) first"));
    }

    /**
     * Returns the {@code uuid-name}, if set.
     *
     * @return the named UUID
     */
    public Optional<NamedUuid> uuidName() {
        return Optional.ofNullable(uuidName);
    }

    /**
     * Returns the table.
     *
     * @return the table name
     */
    public String table() {
        return table;
    }

    @Override
    public String op() {
        return "insert";
    }

    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("op", op());
        json.addProperty("table", table);
        json.add("row", Notation.rowToJson(row));
        if (uuidName != null) {
            json.addProperty("uuid-name", uuidName.name());
        }
        return json;
    }
}
