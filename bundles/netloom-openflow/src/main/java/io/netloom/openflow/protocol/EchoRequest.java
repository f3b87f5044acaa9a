package io.netloom.openflow.protocol;

import io.netloom.openflow.Bytes;

/**
 * {@code OFPT_ECHO_REQUEST}.
 *
 * @param data arbitrary payload, returned in the reply
 */
public record EchoRequest(Bytes data) implements OpenFlowRequest<EchoReply> {
    /** Message type. */
    public static final int TYPE = 2;

    /**
     * @param data the payload, copied
     */
    public EchoRequest(byte[] data) {
        this(Bytes.of(data));
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public Class<EchoReply> replyType() {
        return EchoReply.class;
    }

    @Override
    public String toString() {
        return "EchoRequest[" + data.length() + " bytes]";
    }
}
