package io.netloom.ovsdb.notation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts between Java values and the JSON notation of RFC 7047 section 5.1.
 *
 * <p>The Java model of an OVSDB value:
 * <ul>
 * <li>atoms: {@link String}, {@link Long} (integer), {@link Double} (real), {@link Boolean}, {@link Uuid} and, in
 * requests only, {@link NamedUuid};</li>
 * <li>a set: a {@link Set} of atoms, {@code ["set", [...]]} on the wire. A set of one element is sent and may be
 * received as the bare atom, and an empty optional value is the empty set {@code ["set", []]};</li>
 * <li>a map: a {@link Map} from atoms to atoms, {@code ["map", [[k, v], ...]]} on the wire.</li>
 * </ul>
 * Decoding knows nothing of the column type, so a one-element set arrives as its atom: read values with
 * {@link #asSet}, {@link #asMap} and {@link #asOptional}, or through {@link Row}'s typed getters, which accept both.
 */
public final class Notation {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private Notation() {
    }

    /**
     * Encodes a Java value.
     *
     * @param value an atom (integral {@link Number}s become integers, other numbers reals), a {@link Collection} (a
     *              set), a {@link Map}, an {@link Optional} (empty: the empty set) or a {@link JsonElement}, passed
     *              through unchanged
     * @return the JSON notation
     * @throws IllegalArgumentException for {@code null}, nested collections and unsupported types
     */
    public static JsonElement toJson(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.isPresent() ? toJson(optional.get()) : emptySetJson();
        }
        if (value instanceof Collection<?> collection) {
            if (collection.size() == 1) {
                return atomToJson(collection.iterator().next());
            }
            JsonArray elements = new JsonArray(collection.size());
            for (Object element : collection) {
                elements.add(atomToJson(element));
            }
            return tagged("set", elements);
        }
        if (value instanceof Map<?, ?> map) {
            JsonArray pairs = new JsonArray(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                JsonArray pair = new JsonArray(2);
                pair.add(atomToJson(entry.getKey()));
                pair.add(atomToJson(entry.getValue()));
                pairs.add(pair);
            }
            return tagged("map", pairs);
        }
        if (value instanceof JsonElement json) {
            return json;
        }
        return atomToJson(value);
    }

    /**
     * Encodes a {@code <row>}: an object from column name to value.
     *
     * @param columns column name to value, each as accepted by {@link #toJson(Object)}
     * @return a new JSON object
     * @throws IllegalArgumentException when a value cannot be encoded
     */
    public static JsonObject rowToJson(Map<String, ?> columns) {
        JsonObject row = new JsonObject();
        columns.forEach((column, value) -> row.add(column, toJson(value)));
        return row;
    }

    private static JsonElement atomToJson(Object atom) {
        if (atom == null) {
            throw new IllegalArgumentException("OVSDB values cannot be null: use an empty set for an absent value");
        }
        if (atom instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (atom instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (atom instanceof Long || atom instanceof Integer || atom instanceof Short || atom instanceof Byte
                || atom instanceof BigInteger) {
            return new JsonPrimitive((Number) atom);
        }
        if (atom instanceof Number n) {
            return new JsonPrimitive(n instanceof BigDecimal ? n : n.doubleValue());
        }
        if (atom instanceof Uuid uuid) {
            return uuid.toJson();
        }
        if (atom instanceof NamedUuid named) {
            return named.toJson();
        }
        throw new IllegalArgumentException("cannot encode " + atom.getClass().getName() + " '" + atom
                + "' as an OVSDB atom (String, Long, Double, Boolean, Uuid or NamedUuid)");
    }

    /**
     * Returns the empty set, {@code ["set", []]}, the value of an absent optional column.
     *
     * @return a new JSON array
     */
    public static JsonArray emptySetJson() {
        return tagged("set", new JsonArray());
    }

    private static JsonArray tagged(String tag, JsonArray content) {
        JsonArray json = new JsonArray(2);
        json.add(tag);
        json.add(content);
        return json;
    }

    /**
     * Decodes a value.
     *
     * @param json an atom, {@code ["uuid", ...]}, {@code ["named-uuid", ...]}, {@code ["set", [...]]} or
     *             {@code ["map", [...]]}
     * @return an atom, an unmodifiable {@link Set} or an unmodifiable {@link Map}
     * @throws IllegalArgumentException when the JSON is not OVSDB notation
     */
    public static Object fromJson(JsonElement json) {
        if (json != null && json.isJsonArray()) {
            JsonArray array = json.getAsJsonArray();
            String tag = tag(array);
            if ("set".equals(tag)) {
                Set<Object> set = new LinkedHashSet<>();
                for (JsonElement element : contentOf(array)) {
                    set.add(atomFromJson(element));
                }
                return Collections.unmodifiableSet(set);
            }
            if ("map".equals(tag)) {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonElement element : contentOf(array)) {
                    if (!element.isJsonArray() || element.getAsJsonArray().size() != 2) {
                        throw new IllegalArgumentException("map entry " + element + " is not a [key, value] pair");
                    }
                    JsonArray pair = element.getAsJsonArray();
                    map.put(atomFromJson(pair.get(0)), atomFromJson(pair.get(1)));
                }
                return Collections.unmodifiableMap(map);
            }
        }
        return atomFromJson(json);
    }

    private static Object atomFromJson(JsonElement json) {
        if (json != null && json.isJsonPrimitive()) {
            JsonPrimitive primitive = json.getAsJsonPrimitive();
            if (primitive.isString()) {
                return primitive.getAsString();
            }
            if (primitive.isBoolean()) {
                return primitive.getAsBoolean();
            }
            String number = primitive.getAsString();
            if (INTEGER.matcher(number).matches()) {
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("integer " + number + " does not fit in 64 bits", e);
                }
            }
            return primitive.getAsDouble();
        }
        if (json != null && json.isJsonArray()) {
            JsonArray array = json.getAsJsonArray();
            String tag = tag(array);
            if (array.size() == 2 && array.get(1).isJsonPrimitive() && array.get(1).getAsJsonPrimitive().isString()) {
                if ("uuid".equals(tag)) {
                    return Uuid.of(array.get(1).getAsString());
                }
                if ("named-uuid".equals(tag)) {
                    return NamedUuid.of(array.get(1).getAsString());
                }
            }
        }
        throw new IllegalArgumentException("not an OVSDB atom: " + json);
    }

    private static String tag(JsonArray array) {
        if (array.size() == 2 && array.get(0).isJsonPrimitive() && array.get(0).getAsJsonPrimitive().isString()) {
            return array.get(0).getAsString();
        }
        return null;
    }

    private static JsonArray contentOf(JsonArray tagged) {
        if (!tagged.get(1).isJsonArray()) {
            throw new IllegalArgumentException("not OVSDB notation, the content is not an array: " + tagged);
        }
        return tagged.get(1).getAsJsonArray();
    }

    /**
     * Reads a decoded value as a set: a set stays as it is, an atom becomes a one-element set.
     *
     * @param value a value returned by {@link #fromJson}
     * @return an unmodifiable set
     * @throws IllegalArgumentException when the value is a map
     */
    @SuppressWarnings("unchecked")
    public static Set<Object> asSet(Object value) {
        if (value instanceof Set<?> set) {
            return (Set<Object>) set;
        }
        if (value instanceof Map<?, ?> || value == null) {
            throw new IllegalArgumentException("value " + value + " is not a set");
        }
        return Set.of(value);
    }

    /**
     * Reads a decoded value as a map; an empty set is read as the empty map.
     *
     * @param value a value returned by {@link #fromJson}
     * @return an unmodifiable map
     * @throws IllegalArgumentException when the value is an atom or a non-empty set
     */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        if (value instanceof Set<?> set && set.isEmpty()) {
            return Map.of();
        }
        throw new IllegalArgumentException("value " + value + " is not a map");
    }

    /**
     * Reads a decoded value of an optional column ({@code "min": 0, "max": 1}).
     *
     * @param value a value returned by {@link #fromJson}
     * @return empty for the empty set, the atom otherwise
     * @throws IllegalArgumentException when the value is a map or a set of more than one element
     */
    public static Optional<Object> asOptional(Object value) {
        Set<Object> set = asSet(value);
        if (set.size() > 1) {
            throw new IllegalArgumentException("value " + value + " has more than one element");
        }
        return set.stream().findFirst();
    }
}
