package io.netloom.ovsdb.schema;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * The key or value type of a column (RFC 7047 {@code <base-type>}). Constraints other than references (enums,
 * ranges, lengths) are not kept: the server enforces them.
 *
 * @param type     the atomic type
 * @param refTable for a UUID, the table it references
 * @param refType  for a reference, {@code strong} or {@code weak}
 */
public record BaseType(AtomicType type, Optional<String> refTable, Optional<String> refType) {

    /**
     * Validates the components.
     *
     * @param type     not null
     * @param refTable not null
     * @param refType  not null
     */
    public BaseType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(refTable, "refTable");
        Objects.requireNonNull(refType, "refType");
    }

    /**
     * Parses a {@code <base-type>}: an atomic type name or an object with {@code type} and optional {@code refTable}
     * and {@code refType}.
     *
     * @param json the schema JSON
     * @return the base type
     * @throws IllegalArgumentException when the JSON is not a base type
     */
    public static BaseType parse(JsonElement json) {
        if (json.isJsonPrimitive()) {
            return new BaseType(AtomicType.parse(json.getAsString()), Optional.empty(), Optional.empty());
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("type")) {
            throw new IllegalArgumentException("not an OVSDB base type: " + json);
        }
        JsonObject object = json.getAsJsonObject();
        Optional<String> refTable = optionalString(object, "refTable");
        Optional<String> refType = refTable.isPresent()
                ? Optional.of(optionalString(object, "refType").orElse("strong"))
                : Optional.empty();
        return new BaseType(AtomicType.parse(object.get("type").getAsString()), refTable, refType);
    }

    private static Optional<String> optionalString(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null || value.isJsonNull() ? Optional.empty() : Optional.of(value.getAsString());
    }
}
