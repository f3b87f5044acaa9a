package io.netloom.openflow.protocol;

/**
 * A decoded message with its header fields.
 *
 * @param version the header's protocol version (4 for OpenFlow 1.3)
 * @param xid the transaction id
 * @param message the decoded body
 */
public record Frame(int version, int xid, OpenFlowMessage message) {
}
