package io.netloom.api;

/**
 * An object with the given id does not exist, or is not visible to the caller.
 */
public class NotFoundException extends NetloomException {

    private static final long serialVersionUID = 1L;

    /**
     * @param kind the kind of object looked for, such as {@code network}
     * @param id the id that was not found
     */
    public NotFoundException(String kind, String id) {
        super("NOT_FOUND", "No " + kind + " with id '" + id + "'", null);
    }
}
