package io.netloom.openflow.protocol;

/** {@code OFPT_BARRIER_REQUEST}: the reply comes after every earlier message has been processed. */
public record BarrierRequest() implements OpenFlowRequest<BarrierReply> {
    /** Message type. */
    public static final int TYPE = 20;

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public Class<BarrierReply> replyType() {
        return BarrierReply.class;
    }
}
