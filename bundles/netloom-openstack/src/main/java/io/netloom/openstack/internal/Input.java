package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The attributes of one Neutron request body item, checked as Neutron checks them: unknown attributes are refused
 * ({@code Unrecognized attribute(s)}), and every value must have its attribute's type.
 */
final class Input {

    private final JsonObject item;

    private Input(JsonObject item) {
        this.item = item;
    }

    /**
     * @return the item, after checking it holds only the given attributes
     * @throws NeutronException 400 for an unknown attribute
     */
    static Input of(JsonObject item, Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(item.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw NeutronException.badRequest("Unrecognized attribute(s) '" + String.join(", ", unknown) + "'");
        }
        return new Input(item);
    }

    boolean has(String key) {
        return item.has(key);
    }

    boolean isNull(String key) {
        return item.has(key) && item.get(key).isJsonNull();
    }

    /** A string attribute, or {@code null} when absent or null. */
    String string(String key) {
        JsonElement e = item.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw NeutronException.invalidInput("'" + e + "' is not a valid string for " + key);
        }
        return e.getAsString();
    }

    /** A required string attribute. */
    String requiredString(String key) {
        String s = string(key);
        if (s == null) {
            throw NeutronException.badRequest("Failed to parse request. Required attribute '" + key + "' not "
                    + "specified");
        }
        return s;
    }

    /** A boolean attribute (Neutron also takes "true"/"false" strings), or the fallback when absent. */
    boolean bool(String key, boolean fallback) {
        JsonElement e = item.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        JsonPrimitive p = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
        if (p != null && p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p != null && p.isString() && (p.getAsString().equalsIgnoreCase("true")
                || p.getAsString().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(p.getAsString());
        }
        throw NeutronException.invalidInput("'" + e + "' cannot be converted to boolean");
    }

    /** An integer attribute, or {@code null}; Neutron also takes digit strings. */
    Integer integer(String key) {
        JsonElement e = item.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        try {
            if (e.isJsonPrimitive()) {
                String text = e.getAsJsonPrimitive().getAsString();
                return Integer.valueOf(text);
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw NeutronException.invalidInput("'" + e + "' is not an integer for " + key);
    }

    /** A list attribute, or {@code null} when absent. */
    JsonArray list(String key) {
        JsonElement e = item.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw NeutronException.invalidInput("'" + e + "' is not a list for " + key);
        }
        return e.getAsJsonArray();
    }

    /** A list of strings, or {@code null} when absent. */
    List<String> strings(String key) {
        JsonArray array = list(key);
        if (array == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw NeutronException.invalidInput("'" + e + "' is not a valid string in " + key);
            }
            out.add(e.getAsString());
        }
        return out;
    }

    /**
     * Refuses a value Netloom cannot represent unless it is the Neutron default.
     *
     * @param accepted whether the given value is the one Netloom has
     */
    void onlyDefault(String key, boolean accepted, String why) {
        if (item.has(key) && !accepted) {
            throw NeutronException.invalidInput(key + " " + why);
        }
    }

    /** The project an item is created in: the caller's, or another one named by an administrator. */
    String project(Token token) {
        String project = string("project_id");
        String tenant = string("tenant_id");
        if (project != null && tenant != null && !project.equals(tenant)) {
            throw NeutronException.invalidInput("tenant_id and project_id do not match");
        }
        String wanted = project != null ? project : tenant;
        if (wanted == null || wanted.equals(Ids.projectIdOf(token.project()))) {
            return token.project();
        }
        throw new NeutronException(403, "PolicyNotAuthorized",
                "Netloom creates objects only in the project of the token; scope a token to project " + wanted);
    }
}
