package io.netloom.ovsdb;

/**
 * Base of every exception raised by the OVSDB client. Unchecked: callers handle the specific subtypes they can act on
 * ({@link OvsdbConnectionException}, {@link OvsdbTransactionException}, {@link OvsdbRpcException}).
 */
public class OvsdbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, in terms of the protocol
     */
    public OvsdbException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what failed, in terms of the protocol
     * @param cause   the underlying failure
     */
    public OvsdbException(String message, Throwable cause) {
        super(message, cause);
    }
}
