package io.netloom.openflow.protocol;

import io.netloom.openflow.Bytes;

/**
 * A message this library does not model (e.g. packet-in or port-status), kept as received.
 *
 * @param type the {@code ofp_type}
 * @param body everything after the 8-byte header
 */
public record UnknownMessage(int type, Bytes body) implements OpenFlowMessage {
    /**
     * @param type the {@code ofp_type}
     * @param body the body, copied
     */
    public UnknownMessage(int type, byte[] body) {
        this(type, Bytes.of(body));
    }

    @Override
    public String toString() {
        return "UnknownMessage[type=" + type + ", " + body.length() + " bytes]";
    }
}
