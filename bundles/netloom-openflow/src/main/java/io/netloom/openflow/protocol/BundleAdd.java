package io.netloom.openflow.protocol;

/**
 * Adds a message to a bundle ({@code ONF_ET_BUNDLE_ADD_MESSAGE}, ONF experimenter type 2301). The inner message is
 * encoded with the same transaction id as this message, which Open vSwitch requires ({@code OFPBFC_MSG_BAD_XID}).
 *
 * @param bundleId the bundle
 * @param flags the bundle's flags; must equal those it was opened with
 * @param message the bundled message, e.g. a {@link FlowMod}
 */
public record BundleAdd(int bundleId, int flags, OpenFlowMessage message) implements OpenFlowMessage {
    /** Message type ({@code OFPT_EXPERIMENTER}). */
    public static final int TYPE = 4;
    /** Experimenter type of bundle add. */
    public static final int EXP_TYPE = 2301;

    @Override
    public int type() {
        return TYPE;
    }
}
