package io.netloom.api;

/**
 * The request is valid on its own but conflicts with the current state (overlap, in use, wrong state).
 */
public class ConflictException extends NetloomException {

    private static final long serialVersionUID = 1L;

    /**
     * @param code machine-readable code such as {@code OVERLAPPING_CIDRS} or {@code IN_USE}
     * @param message a sentence for a person
     * @param field the offending field, or {@code null}
     */
    public ConflictException(String code, String message, String field) {
        super(code, message, field);
    }
}
