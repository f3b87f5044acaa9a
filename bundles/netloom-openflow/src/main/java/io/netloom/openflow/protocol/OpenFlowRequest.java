package io.netloom.openflow.protocol;

/**
 * A message the switch answers with a reply of type {@code R} carrying the same transaction id.
 *
 * @param <R> the reply type; for multipart requests, the reply assembled from all parts
 */
public sealed interface OpenFlowRequest<R extends OpenFlowMessage> extends OpenFlowMessage
        permits EchoRequest, FeaturesRequest, BarrierRequest, FlowStatsRequest, BundleControl {

    /** @return the class of the expected reply */
    Class<R> replyType();
}
