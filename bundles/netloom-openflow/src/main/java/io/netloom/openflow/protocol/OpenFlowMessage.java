package io.netloom.openflow.protocol;

/**
 * An OpenFlow 1.3 message body. The transaction id is not part of the message: the channel assigns it, and
 * {@link Frame} pairs a decoded message with the id it arrived with.
 */
public sealed interface OpenFlowMessage permits Hello, ErrorMessage, EchoReply, FeaturesReply, BarrierReply,
        FlowMod, FlowStatsReply, BundleAdd, UnknownMessage, OpenFlowRequest {

    /** @return the {@code ofp_type} of the header */
    int type();
}
