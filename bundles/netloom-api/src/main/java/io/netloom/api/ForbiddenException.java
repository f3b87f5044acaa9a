package io.netloom.api;

/**
 * The caller may see the object but may not change it: its roles grant reading there, not writing. An object the
 * caller cannot see at all is reported as a {@link NotFoundException} instead, so that a refusal never confirms
 * that an object of another tenant exists.
 */
public class ForbiddenException extends NetloomException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message a sentence for a person
     */
    public ForbiddenException(String message) {
        super("FORBIDDEN", message, null);
    }
}
