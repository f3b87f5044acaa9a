package io.netloom.api.model;

import java.util.regex.Pattern;

import io.netloom.api.ValidationException;

/**
 * The rule every user-given name follows: 1 to 63 characters of {@code [A-Za-z0-9._-]}, starting with a letter or
 * a digit.
 */
public final class Names {

    /** The pattern a name must match in full. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private Names() {
    }

    /**
     * @param name a candidate name, possibly {@code null}
     * @return whether it is a valid name
     */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /**
     * @param name a candidate name
     * @param field the path of the input field it came from, for the error
     * @return the name, when valid
     * @throws ValidationException {@code INVALID_NAME} when it is not
     */
    public static String requireValid(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw new ValidationException("INVALID_NAME", "A name is required", field);
        }
        if (!isValid(name)) {
            throw new ValidationException("INVALID_NAME",
                    "A name is 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
                    field);
        }
        return name;
    }
}
