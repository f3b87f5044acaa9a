package io.netloom.openflow;

/**
 * The channel to a switch could not be opened, was closed (by {@link OpenFlowChannel#close()}, by the switch, or
 * because the switch stopped answering echo requests), or broke. Requests pending at that moment fail with it.
 */
public class OpenFlowConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what happened */
    public OpenFlowConnectionException(String message) {
        super(message);
    }

    /**
     * @param message what happened
     * @param cause the underlying failure
     */
    public OpenFlowConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
