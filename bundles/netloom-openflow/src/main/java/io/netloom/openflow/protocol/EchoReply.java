package io.netloom.openflow.protocol;

import io.netloom.openflow.Bytes;

/**
 * {@code OFPT_ECHO_REPLY}.
 *
 * @param data the request's payload
 */
public record EchoReply(Bytes data) implements OpenFlowMessage {
    /** Message type. */
    public static final int TYPE = 3;

    /**
     * @param data the payload, copied
     */
    public EchoReply(byte[] data) {
        this(Bytes.of(data));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "EchoReply[" + data.length() + " bytes]";
    }
}
