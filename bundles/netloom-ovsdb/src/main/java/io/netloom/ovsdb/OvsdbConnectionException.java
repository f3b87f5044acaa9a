package io.netloom.ovsdb;

/**
 * The connection to the OVSDB server is not established, could not be established, or was lost (including a missing
 * echo reply and a malformed byte stream). A request that fails with this exception may or may not have been executed
 * by the server: make retried transactions idempotent with {@code wait} prerequisites.
 */
public class OvsdbConnectionException extends OvsdbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what is not connected and why
     */
    public OvsdbConnectionException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what is not connected and why
     * @param cause   the underlying I/O failure
     */
    public OvsdbConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
