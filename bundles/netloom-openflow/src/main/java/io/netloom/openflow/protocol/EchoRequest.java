package io.netloom.openflow.protocol;

import java.util.Arrays;

/**
 * {@code OFPT_ECHO_REQUEST}.
 *
 * @param data arbitrary payload, returned in the reply
 */
public record EchoRequest(byte[] data) implements OpenFlowRequest<EchoReply> {
    /** Message type. */
    public static final int TYPE = 2;

    /** Copies the payload. */
    public EchoRequest {
        data = data.clone();
    }

    /** @return a copy of the data */
    @Override
    public byte[] data() {
        return data.clone();
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
    public boolean equals(Object o) {
        return o instanceof EchoRequest e && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EchoRequest[" + data.length + " bytes]";
    }
}
