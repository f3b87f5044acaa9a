package io.netloom.openflow.protocol;

/**
 * Bundle control ({@code ONF_ET_BUNDLE_CONTROL}, experimenter type 2300 of the ONF experimenter, the OpenFlow 1.3
 * form of {@code OFPT_BUNDLE_CONTROL} that Open vSwitch implements). Requests and replies share this record.
 *
 * @param bundleId the bundle id, chosen by the controller
 * @param controlType one of the {@code *_REQUEST}/{@code *_REPLY} constants
 * @param flags {@link #ATOMIC} and/or {@link #ORDERED}
 */
public record BundleControl(int bundleId, int controlType, int flags) implements OpenFlowRequest<BundleControl> {
    /** Message type ({@code OFPT_EXPERIMENTER}). */
    public static final int TYPE = 4;
    /** The ONF experimenter id. */
    public static final int ONF_EXPERIMENTER = 0x4F4E4600;
    /** Experimenter type of bundle control. */
    public static final int EXP_TYPE = 2300;
    /** Open a bundle. */
    public static final int OPEN_REQUEST = 0;
    /** Bundle opened. */
    public static final int OPEN_REPLY = 1;
    /** Close a bundle (no more adds). */
    public static final int CLOSE_REQUEST = 2;
    /** Bundle closed. */
    public static final int CLOSE_REPLY = 3;
    /** Apply every message of the bundle. */
    public static final int COMMIT_REQUEST = 4;
    /** Bundle applied. */
    public static final int COMMIT_REPLY = 5;
    /** Drop the bundle without applying it. */
    public static final int DISCARD_REQUEST = 6;
    /** Bundle dropped. */
    public static final int DISCARD_REPLY = 7;
    /** Apply all messages or none. */
    public static final int ATOMIC = 0x0001;
    /** Apply messages in the order they were added. */
    public static final int ORDERED = 0x0002;

    /** Checks ranges. */
    public BundleControl {
        if (controlType < 0 || controlType > 0xffff || flags < 0 || flags > 0xffff) {
            throw new IllegalArgumentException("bundle control type and flags are 16 bit");
        }
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public Class<BundleControl> replyType() {
        return BundleControl.class;
    }

    /** @return the reply type expected for this request type */
    public int expectedReplyType() {
        return controlType + 1;
    }
}
