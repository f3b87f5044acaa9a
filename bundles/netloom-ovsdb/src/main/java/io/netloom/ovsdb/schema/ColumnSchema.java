package io.netloom.ovsdb.schema;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * A column of a table schema (RFC 7047 {@code <column-schema>}).
 *
 * @param name      the column name
 * @param type      the column type
 * @param mutable   whether the column may be modified after insert (default true)
 * @param ephemeral whether the column is not persisted (default false)
 */
public record ColumnSchema(String name, ColumnType type, boolean mutable, boolean ephemeral) {

    /**
     * Validates the components.
     *
     * @param name      not null
     * @param type      not null
     * @param mutable   as parsed
     * @param ephemeral as parsed
     */
    public ColumnSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Parses a {@code <column-schema>}.
     *
     * @param name the column name
     * @param json the object with {@code type} and optional {@code mutable}, {@code ephemeral}
     * @return the column schema
     * @throws IllegalArgumentException when the JSON is not a column schema
     */
    public static ColumnSchema parse(String name, JsonElement json) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("type")) {
            throw new IllegalArgumentException("column '" + name + "' has no type: " + json);
        }
        JsonObject object = json.getAsJsonObject();
        boolean mutable = !object.has("mutable") || object.get("mutable").getAsBoolean();
        boolean ephemeral = object.has("ephemeral") && object.get("ephemeral").getAsBoolean();
        return new ColumnSchema(name, ColumnType.parse(object.get("type")), mutable, ephemeral);
    }
}
