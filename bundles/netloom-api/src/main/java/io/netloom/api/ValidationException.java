package io.netloom.api;

/**
 * An input is malformed or invalid; {@link #field()} names it.
 */
public class ValidationException extends NetloomException {

    private static final long serialVersionUID = 1L;

    /**
     * @param code machine-readable code such as {@code INVALID_CIDR} or {@code INVALID_NAME}
     * @param message a sentence for a person
     * @param field the offending field path, or {@code null} when the input as a whole is at fault
     */
    public ValidationException(String code, String message, String field) {
        super(code, message, field);
    }
}
