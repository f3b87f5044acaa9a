package io.netloom.ovsdb.notation;

import com.google.gson.JsonArray;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference, within one transaction, to the row inserted with the same {@code uuid-name}: the atom written
 * {@code ["named-uuid", "<id>"]} in RFC 7047.
 *
 * @param name the {@code uuid-name} of an insert operation earlier in the same transaction
 */
public record NamedUuid(String name) {
    private static final Pattern ID = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /**
     * Validates the name against RFC 7047's {@code <id>} syntax.
     *
     * @param name letters, digits and underscores, not starting with a digit
     * @throws IllegalArgumentException when the name is not an {@code <id>}
     */
    public NamedUuid {
        Objects.requireNonNull(name, "name");
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid uuid-name: use [a-zA-Z_][a-zA-Z0-9_]*");
        }
    }

    /**
     * Creates a named-UUID atom.
     *
     * @param name the {@code uuid-name} of the referenced insert
     * @return the atom
     */
    public static NamedUuid of(String name) {
        return new NamedUuid(name);
    }

    /**
     * Encodes the atom as {@code ["named-uuid", name]}.
     *
     * @return a new JSON array
     */
    public JsonArray toJson() {
        JsonArray json = new JsonArray(2);
        json.add("named-uuid");
        json.add(name);
        return json;
    }
}
