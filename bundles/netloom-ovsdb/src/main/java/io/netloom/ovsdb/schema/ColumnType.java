package io.netloom.ovsdb.schema;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The type of a column (RFC 7047 {@code <type>}): a key type, an optional value type (present for maps) and the
 * minimum and maximum number of elements.
 *
 * @param key   the key type (the element type of a set, the type of a scalar)
 * @param value the value type of a map
 * @param min   the minimum number of elements, 0 or 1
 * @param max   the maximum number of elements, {@link Long#MAX_VALUE} for {@code "unlimited"}
 */
public record ColumnType(BaseType key, Optional<BaseType> value, long min, long max) {

    /**
     * Validates the components.
     *
     * @param key   not null
     * @param value not null
     * @param min   0 or 1
     * @param max   at least 1 and at least {@code min}
     */
    public ColumnType {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (min < 0 || min > 1 || max < 1 || max < min) {
            throw new IllegalArgumentException("invalid OVSDB column type bounds min=" + min + " max=" + max);
        }
    }

    /**
     * Parses a {@code <type>}: an atomic type name or an object with {@code key}, optional {@code value},
     * {@code min} (default 1) and {@code max} (default 1, or {@code "unlimited"}).
     *
     * @param json the schema JSON
     * @return the column type
     * @throws IllegalArgumentException when the JSON is not a column type
     */
    public static ColumnType parse(JsonElement json) {
        if (json.isJsonPrimitive()) {
            return new ColumnType(BaseType.parse(json), Optional.empty(), 1, 1);
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("key")) {
            throw new IllegalArgumentException("not an OVSDB column type: " + json);
        }
        JsonObject object = json.getAsJsonObject();
        Optional<BaseType> value = object.has("value") ? Optional.of(BaseType.parse(object.get("value")))
                : Optional.empty();
        long min = object.has("min") ? object.get("min").getAsLong() : 1;
        long max = 1;
        if (object.has("max")) {
            JsonElement maxJson = object.get("max");
            max = maxJson.getAsJsonPrimitive().isString() && "unlimited".equals(maxJson.getAsString())
                    ? Long.MAX_VALUE : maxJson.getAsLong();
        }
        return new ColumnType(BaseType.parse(object.get("key")), value, min, max);
    }

    /**
     * Tells whether the column is a map.
     *
     * @return true when a value type is present
     */
    public boolean isMap() {
        return value.isPresent();
    }

    /**
     * Tells whether the column holds exactly one atom ({@code min} = {@code max} = 1, not a map).
     *
     * @return true for a scalar
     */
    public boolean isScalar() {
        return min == 1 && max == 1 && value.isEmpty();
    }

    /**
     * Tells whether the column holds zero or one atom ({@code min} 0, {@code max} 1, not a map).
     *
     * @return true for an optional value
     */
    public boolean isOptional() {
        return min == 0 && max == 1 && value.isEmpty();
    }

    /**
     * Tells whether the column may hold more than one element. ovsdb-server sends {@code update2} differences of
     * such columns as elements to toggle, and the whole new value for the others.
     *
     * @return true when {@code max} is greater than 1
     */
    public boolean isComposite() {
        return max > 1;
    }

    /**
     * Returns the value a column of this type holds when nothing else was written, in the Java model of
     * {@link io.netloom.ovsdb.notation.Notation}: the key type's default for a scalar, otherwise the empty set or
     * map.
     *
     * @return the default value
     */
    public Object defaultValue() {
        if (isMap()) {
            return Map.of();
        }
        return isScalar() ? key.type().defaultValue() : Set.of();
    }
}
