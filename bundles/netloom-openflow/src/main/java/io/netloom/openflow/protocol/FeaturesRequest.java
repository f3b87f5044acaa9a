package io.netloom.openflow.protocol;

/** {@code OFPT_FEATURES_REQUEST}. */
public record FeaturesRequest() implements OpenFlowRequest<FeaturesReply> {
    /** Message type. */
    public static final int TYPE = 5;

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public Class<FeaturesReply> replyType() {
        return FeaturesReply.class;
    }
}
