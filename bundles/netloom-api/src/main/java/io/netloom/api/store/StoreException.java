package io.netloom.api.store;

/**
 * The store failed to read or make a commit durable.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause why
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
