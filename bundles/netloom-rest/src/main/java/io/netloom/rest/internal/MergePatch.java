package io.netloom.rest.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A {@code PATCH} body read as a JSON merge patch (RFC 7396): a field left out stays as it is, a field given is
 * set, {@code null} removes an optional value (a description) and is refused for a required one. Fields that exist
 * but cannot change answer 400 {@code IMMUTABLE_FIELD}; unknown and read-only fields are refused as in every body.
 */
final class MergePatch {

    private final JsonObject object;
    private final Fields fields;

    private MergePatch(JsonObject object, Fields fields) {
        this.object = object;
        this.fields = fields;
    }

    /**
     * @param body the request body
     * @param immutable fields of the resource that a patch may not change
     * @param mutable the fields a patch may change
     * @throws ApiException 400 for a body that is not an object, or an immutable, read-only or unknown field
     */
    static MergePatch of(JsonElement body, Set<String> immutable, String... mutable) {
        Fields fields = Fields.of(body);
        JsonObject object = body.getAsJsonObject();
        for (String name : object.keySet()) {
            if (immutable.contains(name)) {
                throw ApiException.badRequest("IMMUTABLE_FIELD", "The field '" + name + "' cannot be changed once "
                        + "created", name);
            }
        }
        fields.only(mutable);
        return new MergePatch(object, fields);
    }

    private boolean absent(String name) {
        return !object.has(name);
    }

    private boolean isNull(String name) {
        return object.get(name).isJsonNull();
    }

    private static ApiException required(String name) {
        return ApiException.badRequest("REQUIRED", "The field '" + name + "' cannot be removed; give a value",
                name);
    }

    /** A string that may be changed but not removed. */
    Optional<String> string(String name) {
        if (absent(name)) {
            return Optional.empty();
        }
        if (isNull(name)) {
            throw required(name);
        }
        return Optional.of(fields.string(name));
    }

    /** A string that {@code null} removes (set to empty). */
    Optional<String> removableString(String name) {
        if (absent(name)) {
            return Optional.empty();
        }
        return Optional.of(isNull(name) ? "" : fields.string(name));
    }

    /** An array of strings, replaced as a whole. */
    Optional<List<String>> strings(String name) {
        if (absent(name)) {
            return Optional.empty();
        }
        if (isNull(name)) {
            throw required(name);
        }
        return Optional.of(fields.strings(name));
    }

    /** An array of objects, replaced as a whole ({@code null} is refused; an empty array clears it). */
    <T> Optional<List<T>> objects(String name, Function<Fields, T> reader) {
        if (absent(name)) {
            return Optional.empty();
        }
        if (isNull(name)) {
            throw required(name);
        }
        return Optional.of(fields.objects(name, reader));
    }

    /** A flag. */
    Optional<Boolean> bool(String name) {
        if (absent(name)) {
            return Optional.empty();
        }
        if (isNull(name)) {
            throw required(name);
        }
        return Optional.of(fields.bool(name, false));
    }
}
