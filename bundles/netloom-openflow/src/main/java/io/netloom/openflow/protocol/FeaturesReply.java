package io.netloom.openflow.protocol;

/**
 * {@code OFPT_FEATURES_REPLY}.
 *
 * @param datapathId the 64-bit datapath id (Open vSwitch: the bridge's {@code datapath_id})
 * @param buffers packets the switch can buffer
 * @param tables number of flow tables
 * @param auxiliaryId auxiliary connection id (0: main connection)
 * @param capabilities {@code OFPC_*} bits
 */
public record FeaturesReply(long datapathId, long buffers, int tables, int auxiliaryId, long capabilities)
        implements OpenFlowMessage {
    /** Message type. */
    public static final int TYPE = 6;

    @Override
    public int type() {
        return TYPE;
    }

    /** @return the datapath id as 16 hex digits, as {@code ovs-vsctl} prints it */
    public String datapathIdHex() {
        return String.format("%016x", datapathId);
    }
}
