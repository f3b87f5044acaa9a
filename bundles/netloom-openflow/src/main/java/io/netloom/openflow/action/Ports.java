package io.netloom.openflow.action;

/** Reserved OpenFlow 1.3 port numbers (unsigned 32-bit values held in a {@code long}). */
public final class Ports {
    /** Highest number of a physical or logical port. */
    public static final long MAX = 0xffffff00L;
    /** Send the packet back out of its ingress port. */
    public static final long IN_PORT = 0xfffffff8L;
    /** Submit the packet to the first flow table (packet-out only). */
    public static final long TABLE = 0xfffffff9L;
    /** Forward with the switch's normal L2/L3 processing. */
    public static final long NORMAL = 0xfffffffaL;
    /** Flood along the non-blocked ports, except the ingress port. */
    public static final long FLOOD = 0xfffffffbL;
    /** All ports except the ingress port. */
    public static final long ALL = 0xfffffffcL;
    /** Send to the controller. */
    public static final long CONTROLLER = 0xfffffffdL;
    /** The switch's local port (the bridge's internal interface in Open vSwitch). */
    public static final long LOCAL = 0xfffffffeL;
    /** Wildcard port, used in flow deletes and stats requests. */
    public static final long ANY = 0xffffffffL;

    private Ports() {
    }
}
