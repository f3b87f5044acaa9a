package io.netloom.openflow;

import io.netloom.openflow.protocol.ErrorMessage;

/**
 * The switch answered a request with {@code OFPT_ERROR}, e.g. {@code OFPBIC_BAD_TABLE_ID} for a goto to an earlier
 * table, or {@code OFPBFC_MSG_FAILED} for a bundle whose commit failed.
 */
public class OpenFlowErrorException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int xid;
    private final transient ErrorMessage error;

    /**
     * @param endpoint the switch
     * @param xid the transaction id the error carried
     * @param error the decoded error
     */
    public OpenFlowErrorException(String endpoint, int xid, ErrorMessage error) {
        super("switch " + endpoint + " rejected xid 0x" + Integer.toHexString(xid) + ": " + error.codeName()
                + " (type " + error.errorType() + ", code " + error.code() + ")"
                + error.failedMessageType().map(t -> ", failed message type " + t).orElse(""));
        this.xid = xid;
        this.error = error;
    }

    /** @return the transaction id of the rejected message */
    public int xid() {
        return xid;
    }

    /** @return the error message as received */
    public ErrorMessage error() {
        return error;
    }

    /** @return {@code OFPET_*} type */
    public int errorType() {
        return error.errorType();
    }

    /** @return the type-specific code (the experimenter code for experimenter errors) */
    public int code() {
        return error.code();
    }

    /** @return the OpenFlow name of the error, e.g. {@code OFPBIC_BAD_TABLE_ID} */
    public String codeName() {
        return error.codeName();
    }
}
