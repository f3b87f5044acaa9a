package io.netloom.ovsdb.notation;

import com.google.gson.JsonArray;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A row UUID, the atom written {@code ["uuid", "<uuid>"]} in RFC 7047.
 *
 * @param value the UUID in its 36-character form, lower case
 */
public record Uuid(String value) {
    private static final Pattern FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The all-zero UUID, the default value of a {@code uuid} column. */
    public static final Uuid ZERO = new Uuid("00000000-0000-0000-0000-000000000000");

    /**
     * Validates and normalizes the value to lower case.
     *
     * @param value a UUID such as {@code 3e708e9a-eef0-4459-8817-7d2922296b0d}
     * @throws IllegalArgumentException when the value is not a UUID
     */
    public Uuid {
        Objects.requireNonNull(value, "value");
        value = value.toLowerCase(Locale.ROOT);
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a UUID");
        }
    }

    /**
     * Creates a UUID atom.
     *
     * @param value the UUID text
     * @return the atom
     * @throws IllegalArgumentException when the value is not a UUID
     */
    public static Uuid of(String value) {
        return new Uuid(value);
    }

    /**
     * Encodes the atom as {@code ["uuid", value]}.
     *
     * @return a new JSON array
     */
    public JsonArray toJson() {
        JsonArray json = new JsonArray(2);
        json.add("uuid");
        json.add(value);
        return json;
    }

    @Override
    public String toString() {
        return value;
    }
}
