package io.netloom.openflow.match;

/** OXM class numbers (the high 16 bits of an OXM header). */
public final class OxmClass {
    /** Nicira extension class 0: Open vSwitch's names for the OpenFlow 1.0 fields. */
    public static final int NXM_0 = 0x0000;
    /** Nicira extension class 1: registers, connection tracking and other Open vSwitch fields. */
    public static final int NXM_1 = 0x0001;
    /** OpenFlow basic class. */
    public static final int OPENFLOW_BASIC = 0x8000;
    /** Packet registers ({@code OFPXMC_PACKET_REGS}), accepted by Open vSwitch in OpenFlow 1.3. */
    public static final int PACKET_REGS = 0x8001;
    /** Experimenter class: the TLV value starts with a 32-bit experimenter id. */
    public static final int EXPERIMENTER = 0xffff;

    private OxmClass() {
    }
}
