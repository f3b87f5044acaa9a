package io.netloom.rest.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Typed access to the fields of a request object, with the field path in every error. Unknown and read-only
 * fields are rejected by {@link #only}.
 */
final class Fields {

    private static final Set<String> READ_ONLY = Set.of("id", "tenant", "createdAt", "updatedAt", "status",
            "statusDetail", "state", "stateDetail", "rules", "peerTenant", "networkCidrs", "peerCidrs", "syncState");
    private static final int MAX_STRING = 4096;

    private final JsonObject object;
    private final String prefix;

    private Fields(JsonObject object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    static Fields of(JsonElement body) {
        if (!body.isJsonObject()) {
            throw ApiException.badRequest("INVALID_TYPE", "The body must be a JSON object", null);
        }
        return new Fields(body.getAsJsonObject(), "");
    }

    /**
     * @param element one element of an array body
     * @param prefix the element's path, such as {@code [3].}, put before its fields' names in errors
     */
    static Fields item(JsonElement element, String prefix) {
        if (!element.isJsonObject()) {
            throw ApiException.badRequest("INVALID_TYPE", "Each element must be a JSON object", prefix.isEmpty()
                    ? null : prefix.substring(0, prefix.length() - 1));
        }
        return new Fields(element.getAsJsonObject(), prefix);
    }

    /**
     * @param array a body that is a JSON array of objects
     * @param reader reads one element's fields
     * @return what {@code reader} made of each element, in order; an element's errors name it ({@code [3].ip})
     */
    static <T> List<T> items(JsonArray array, Function<Fields, T> reader) {
        List<T> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(reader.apply(item(array.get(i), "[" + i + "].")));
        }
        return items;
    }

    private String path(String name) {
        return prefix + name;
    }

    /** Rejects every field not in {@code allowed}. */
    Fields only(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String name : object.keySet()) {
            if (!ok.contains(name)) {
                boolean readOnly = READ_ONLY.contains(name);
                throw ApiException.badRequest(readOnly ? "READ_ONLY_FIELD" : "UNKNOWN_FIELD",
                        (readOnly ? "The field '" + name + "' is set by Netloom and cannot be given"
                                : "Unknown field '" + name + "'"), path(name));
            }
        }
        return this;
    }

    private JsonElement present(String name) {
        JsonElement e = object.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    private ApiException type(String name, String expected) {
        return ApiException.badRequest("INVALID_TYPE", "The field '" + path(name) + "' must be " + expected,
                path(name));
    }

    String string(String name) {
        JsonElement e = present(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw type(name, "a string");
        }
        String value = e.getAsString();
        if (value.length() > MAX_STRING) {
            throw ApiException.badRequest("TOO_LONG", "The field '" + path(name) + "' is too long", path(name));
        }
        return value;
    }

    String requiredString(String name) {
        String value = string(name);
        if (value == null) {
            throw ApiException.badRequest("REQUIRED", "The field '" + path(name) + "' is required", path(name));
        }
        return value;
    }

    List<String> strings(String name) {
        JsonElement e = present(name);
        if (e == null) {
            return null;
        }
        return stringList(e, path(name));
    }

    static List<String> stringList(JsonElement e, String path) {
        if (!e.isJsonArray()) {
            throw ApiException.badRequest("INVALID_TYPE", "The field '" + path + "' must be an array of strings",
                    path);
        }
        JsonArray array = e.getAsJsonArray();
        if (array.size() > 256) {
            throw ApiException.badRequest("TOO_LONG", "The field '" + path + "' has too many items", path);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw ApiException.badRequest("INVALID_TYPE", "The item '" + path + "[" + i + "]' must be a string",
                        path + "[" + i + "]");
            }
            values.add(item.getAsString());
        }
        return values;
    }

    boolean bool(String name, boolean otherwise) {
        JsonElement e = present(name);
        if (e == null) {
            return otherwise;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw type(name, "true or false");
        }
        return e.getAsBoolean();
    }

    Integer integer(String name) {
        JsonElement e = present(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw type(name, "an integer");
        }
        BigDecimal value = e.getAsBigDecimal();
        try {
            return value.intValueExact();
        } catch (ArithmeticException ex) {
            throw type(name, "an integer");
        }
    }

    Long longNumber(String name) {
        JsonElement e = present(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw type(name, "an integer");
        }
        try {
            return e.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException ex) {
            throw type(name, "an integer");
        }
    }

    /**
     * @param name a field holding an object whose values are strings, or absent
     * @param most how many members it may have
     * @return its members in order, empty when the field is absent or null
     */
    Map<String, String> stringMap(String name, int most) {
        Fields inner = object(name);
        if (inner == null) {
            return Map.of();
        }
        if (inner.object.size() > most) {
            throw ApiException.badRequest("TOO_LONG", "The field '" + path(name) + "' has too many members",
                    path(name));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : inner.object.keySet()) {
            values.put(key, inner.requiredString(key));
        }
        return values;
    }

    Fields object(String name) {
        JsonElement e = present(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw type(name, "an object");
        }
        return new Fields(e.getAsJsonObject(), path(name) + ".");
    }

    /**
     * @param name a field holding an array of objects, or absent
     * @param reader reads one element's fields; its errors name the element ({@code pairs[1].ipAddress})
     * @return what {@code reader} made of each element, or {@code null} when the field is absent or null
     */
    <T> List<T> objects(String name, Function<Fields, T> reader) {
        JsonElement e = present(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw type(name, "an array of objects");
        }
        JsonArray array = e.getAsJsonArray();
        if (array.size() > 256) {
            throw ApiException.badRequest("TOO_LONG", "The field '" + path(name) + "' has too many items", path(name));
        }
        List<T> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(reader.apply(item(array.get(i), path(name) + "[" + i + "].")));
        }
        return items;
    }
}
