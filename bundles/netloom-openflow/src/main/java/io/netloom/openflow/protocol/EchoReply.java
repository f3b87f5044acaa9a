package io.netloom.openflow.protocol;

import java.util.Arrays;

/**
 * {@code OFPT_ECHO_REPLY}.
 *
 * @param data the request's payload
 */
public record EchoReply(byte[] data) implements OpenFlowMessage {
    /** Message type. */
    public static final int TYPE = 3;

    /** Copies the payload. */
    public EchoReply {
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
    public boolean equals(Object o) {
        return o instanceof EchoReply e && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EchoReply[" + data.length + " bytes]";
    }
}
