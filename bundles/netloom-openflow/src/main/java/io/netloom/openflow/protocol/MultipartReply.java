package io.netloom.openflow.protocol;

/** A reply that the switch may split into several parts, each but the last flagged {@code OFPMPF_REPLY_MORE}. */
public interface MultipartReply {
    /** {@code OFPMPF_REPLY_MORE}. */
    int REPLY_MORE = 0x0001;

    /** @return whether more parts follow this one */
    boolean more();
}
