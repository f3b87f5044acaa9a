package io.netloom.ovsdb.schema;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A database schema as returned by {@code get_schema} (RFC 7047 section 3.2). Used to check that a table or column
 * exists before using it and, by the cache, to interpret {@code update2} differences and fill in default values.
 *
 * @param name    the database name, such as {@code Open_vSwitch}
 * @param version the schema version, such as {@code 8.3.1}; empty string when the schema has none
 * @param tables  table name to schema, in schema order
 */
public record DatabaseSchema(String name, String version, Map<String, TableSchema> tables) {

    /**
     * Copies the tables.
     *
     * @param name    not null
     * @param version not null
     * @param tables  not null
     */
    public DatabaseSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /**
     * Parses a {@code <database-schema>}.
     *
     * @param json the result of {@code get_schema}
     * @return the schema
     * @throws IllegalArgumentException when the JSON is not a database schema
     */
    public static DatabaseSchema parse(JsonElement json) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("name")
                || !json.getAsJsonObject().has("tables")) {
            throw new IllegalArgumentException("not an OVSDB database schema: " + json);
        }
        JsonObject object = json.getAsJsonObject();
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> table : object.getAsJsonObject("tables").entrySet()) {
            tables.put(table.getKey(), TableSchema.parse(table.getKey(), table.getValue()));
        }
        String version = object.has("version") ? object.get("version").getAsString() : "";
        return new DatabaseSchema(object.get("name").getAsString(), version, tables);
    }

    /**
     * Looks a table up.
     *
     * @param table the table name
     * @return the table schema, empty when the database has no such table
     */
    public Optional<TableSchema> table(String table) {
        return Optional.ofNullable(tables.get(table));
    }

    /**
     * Returns a table that must exist.
     *
     * @param table the table name
     * @return the table schema
     * @throws IllegalArgumentException when the database has no such table
     */
    public TableSchema requireTable(String table) {
        TableSchema schema = tables.get(table);
        if (schema == null) {
            throw new IllegalArgumentException("database " + name + " (schema " + version + ") has no table '"
                    + table + "'");
        }
        return schema;
    }

    /**
     * Returns a column that must exist.
     *
     * @param table  the table name
     * @param column the column name
     * @return the column schema
     * @throws IllegalArgumentException when the table or the column does not exist
     */
    public ColumnSchema requireColumn(String table, String column) {
        return requireTable(table).requireColumn(column);
    }
}
