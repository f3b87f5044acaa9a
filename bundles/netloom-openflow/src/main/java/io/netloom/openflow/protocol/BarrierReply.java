package io.netloom.openflow.protocol;

/** {@code OFPT_BARRIER_REPLY}. */
public record BarrierReply() implements OpenFlowMessage {
    /** Message type. */
    public static final int TYPE = 21;

    @Override
    public int type() {
        return TYPE;
    }
}
