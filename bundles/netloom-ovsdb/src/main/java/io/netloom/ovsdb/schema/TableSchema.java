package io.netloom.ovsdb.schema;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A table of a database schema (RFC 7047 {@code <table-schema>}). The implicit columns {@code _uuid} and
 * {@code _version} are included in {@link #columns()}.
 *
 * @param name    the table name
 * @param columns column name to schema, in schema order, implicit columns first
 * @param isRoot  whether rows are kept without being referenced from another table
 */
public record TableSchema(String name, Map<String, ColumnSchema> columns, boolean isRoot) {

    private static final ColumnType UUID_TYPE =
            new ColumnType(new BaseType(AtomicType.UUID, Optional.empty(), Optional.empty()), Optional.empty(), 1, 1);

    /**
     * Copies the columns.
     *
     * @param name    not null
     * @param columns not null
     * @param isRoot  as parsed
     */
    public TableSchema {
        Objects.requireNonNull(name, "name");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * Parses a {@code <table-schema>}.
     *
     * @param name the table name
     * @param json the object with {@code columns} and optional {@code isRoot}
     * @return the table schema
     * @throws IllegalArgumentException when the JSON is not a table schema
     */
    public static TableSchema parse(String name, JsonElement json) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("columns")) {
            throw new IllegalArgumentException("table '" + name + "' has no columns: " + json);
        }
        JsonObject object = json.getAsJsonObject();
        Map<String, ColumnSchema> columns = new LinkedHashMap<>();
        columns.put("_uuid", new ColumnSchema("_uuid", UUID_TYPE, false, false));
        columns.put("_version", new ColumnSchema("_version", UUID_TYPE, false, false));
        for (Map.Entry<String, JsonElement> column : object.getAsJsonObject("columns").entrySet()) {
            columns.put(column.getKey(), ColumnSchema.parse(column.getKey(), column.getValue()));
        }
        boolean isRoot = object.has("isRoot") && object.get("isRoot").getAsBoolean();
        return new TableSchema(name, columns, isRoot);
    }

    /**
     * Looks a column up.
     *
     * @param column the column name
     * @return the column schema, empty when the table has no such column
     */
    public Optional<ColumnSchema> column(String column) {
        return Optional.ofNullable(columns.get(column));
    }

    /**
     * Returns a column that must exist.
     *
     * @param column the column name
     * @return the column schema
     * @throws IllegalArgumentException when the table has no such column
     */
    public ColumnSchema requireColumn(String column) {
        ColumnSchema schema = columns.get(column);
        if (schema == null) {
            throw new IllegalArgumentException("table " + name + " has no column '" + column + "'");
        }
        return schema;
    }
}
