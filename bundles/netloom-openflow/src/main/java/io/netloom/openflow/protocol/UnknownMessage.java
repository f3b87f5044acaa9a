package io.netloom.openflow.protocol;

import java.util.Arrays;

/**
 * A message this library does not model (e.g. packet-in or port-status), kept as received.
 *
 * @param type the {@code ofp_type}
 * @param body everything after the 8-byte header
 */
public record UnknownMessage(int type, byte[] body) implements OpenFlowMessage {
    /** Copies the body. */
    public UnknownMessage {
        body = body.clone();
    }

    /** @return a copy of the body */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownMessage u && u.type == type && Arrays.equals(u.body, body);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownMessage[type=" + type + ", " + body.length + " bytes]";
    }
}
