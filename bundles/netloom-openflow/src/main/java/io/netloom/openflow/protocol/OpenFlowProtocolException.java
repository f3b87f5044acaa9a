package io.netloom.openflow.protocol;

/** Bytes from the switch do not form a valid OpenFlow 1.3 message, or a reply does not fit its request. */
public class OpenFlowProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong */
    public OpenFlowProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public OpenFlowProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
