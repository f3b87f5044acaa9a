package io.netloom.openflow.match;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The match fields this library knows by name: the OpenFlow 1.3 basic fields Netloom uses and the Open vSwitch
 * extension fields (Nicira registers, 64-bit packet registers, connection-tracking state and zone, tunnel
 * destination).
 *
 * <p>The declaration order is a valid prerequisite order (Ethernet type before IP fields, IP protocol before
 * transport ports), and {@link Match} encodes known fields in this order.
 *
 * <p>Each field also records the Nicira (NXM) header Open vSwitch uses for it in {@code NXAST_REG_MOVE} and in
 * older encodings, so that such headers decode to the same field.
 */
public enum OxmField {
    /** Ingress OpenFlow port (32 bit). */
    IN_PORT(OxmClass.OPENFLOW_BASIC, 0, 4, false, Format.UINT, true, Prerequisite.NONE, -1),
    /** Table metadata (64 bit, maskable). */
    METADATA(OxmClass.OPENFLOW_BASIC, 2, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Tunnel id, the VXLAN VNI on a flow-keyed tunnel port (64 bit, maskable; Nicira alias {@code tun_id}). */
    TUNNEL_ID(OxmClass.OPENFLOW_BASIC, 38, 8, true, Format.UINT, true, Prerequisite.NONE, nxm1(16)),
    /** Tunnel IPv4 destination (Nicira {@code NXM_NX_TUN_IPV4_DST}, maskable): the remote end of a tunnel. */
    TUN_IPV4_DST(OxmClass.NXM_1, 32, 4, true, Format.IPV4, true, Prerequisite.NONE, -1),
    /** Nicira register 0 (32 bit, maskable). */
    REG0(OxmClass.NXM_1, 0, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 1. */
    REG1(OxmClass.NXM_1, 1, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 2. */
    REG2(OxmClass.NXM_1, 2, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 3. */
    REG3(OxmClass.NXM_1, 3, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 4. */
    REG4(OxmClass.NXM_1, 4, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 5. */
    REG5(OxmClass.NXM_1, 5, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 6. */
    REG6(OxmClass.NXM_1, 6, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 7. */
    REG7(OxmClass.NXM_1, 7, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 8. */
    REG8(OxmClass.NXM_1, 8, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 9. */
    REG9(OxmClass.NXM_1, 9, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 10. */
    REG10(OxmClass.NXM_1, 10, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 11. */
    REG11(OxmClass.NXM_1, 11, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 12. */
    REG12(OxmClass.NXM_1, 12, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 13. */
    REG13(OxmClass.NXM_1, 13, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 14. */
    REG14(OxmClass.NXM_1, 14, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Nicira register 15. */
    REG15(OxmClass.NXM_1, 15, 4, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 0 (64 bit, maskable); overlays {@link #REG0} (high half) and {@link #REG1} (low half). */
    XREG0(OxmClass.PACKET_REGS, 0, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 1; overlays reg2 and reg3. */
    XREG1(OxmClass.PACKET_REGS, 1, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 2; overlays reg4 and reg5. */
    XREG2(OxmClass.PACKET_REGS, 2, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 3; overlays reg6 and reg7. */
    XREG3(OxmClass.PACKET_REGS, 3, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 4; overlays reg8 and reg9. */
    XREG4(OxmClass.PACKET_REGS, 4, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 5; overlays reg10 and reg11. */
    XREG5(OxmClass.PACKET_REGS, 5, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 6; overlays reg12 and reg13. */
    XREG6(OxmClass.PACKET_REGS, 6, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Packet register 7; overlays reg14 and reg15. */
    XREG7(OxmClass.PACKET_REGS, 7, 8, true, Format.UINT, true, Prerequisite.NONE, -1),
    /** Connection-tracking state bits (32 bit, maskable, read-only); see {@link CtState}. */
    CT_STATE(OxmClass.NXM_1, 105, 4, true, Format.UINT, false, Prerequisite.NONE, -1),
    /** Connection-tracking zone (16 bit, read-only). */
    CT_ZONE(OxmClass.NXM_1, 106, 2, false, Format.UINT, false, Prerequisite.NONE, -1),
    /** Ethernet destination (maskable). */
    ETH_DST(OxmClass.OPENFLOW_BASIC, 3, 6, true, Format.MAC, true, Prerequisite.NONE, nxm0(1)),
    /** Ethernet source (maskable). */
    ETH_SRC(OxmClass.OPENFLOW_BASIC, 4, 6, true, Format.MAC, true, Prerequisite.NONE, nxm0(2)),
    /** Ethernet type (read-only). */
    ETH_TYPE(OxmClass.OPENFLOW_BASIC, 5, 2, false, Format.UINT, false, Prerequisite.NONE, nxm0(3)),
    /** IP protocol number (read-only); needs an IPv4 or IPv6 Ethernet type. */
    IP_PROTO(OxmClass.OPENFLOW_BASIC, 10, 1, false, Format.UINT, false, Prerequisite.IP, nxm0(6)),
    /** IPv4 source (maskable). */
    IPV4_SRC(OxmClass.OPENFLOW_BASIC, 11, 4, true, Format.IPV4, true, Prerequisite.IPV4, nxm0(7)),
    /** IPv4 destination (maskable). */
    IPV4_DST(OxmClass.OPENFLOW_BASIC, 12, 4, true, Format.IPV4, true, Prerequisite.IPV4, nxm0(8)),
    /** IPv6 source (maskable). */
    IPV6_SRC(OxmClass.OPENFLOW_BASIC, 26, 16, true, Format.IPV6, true, Prerequisite.IPV6, nxm1(19)),
    /** IPv6 destination (maskable). */
    IPV6_DST(OxmClass.OPENFLOW_BASIC, 27, 16, true, Format.IPV6, true, Prerequisite.IPV6, nxm1(20)),
    /** ARP opcode (16 bit). */
    ARP_OP(OxmClass.OPENFLOW_BASIC, 21, 2, false, Format.UINT, true, Prerequisite.ARP, nxm0(15)),
    /** ARP source protocol address (maskable). */
    ARP_SPA(OxmClass.OPENFLOW_BASIC, 22, 4, true, Format.IPV4, true, Prerequisite.ARP, nxm0(16)),
    /** ARP target protocol address (maskable). */
    ARP_TPA(OxmClass.OPENFLOW_BASIC, 23, 4, true, Format.IPV4, true, Prerequisite.ARP, nxm0(17)),
    /** ARP source hardware address (Open vSwitch accepts a mask). */
    ARP_SHA(OxmClass.OPENFLOW_BASIC, 24, 6, true, Format.MAC, true, Prerequisite.ARP, nxm1(17)),
    /** ARP target hardware address (Open vSwitch accepts a mask). */
    ARP_THA(OxmClass.OPENFLOW_BASIC, 25, 6, true, Format.MAC, true, Prerequisite.ARP, nxm1(18)),
    /** TCP source port (Open vSwitch accepts a mask). */
    TCP_SRC(OxmClass.OPENFLOW_BASIC, 13, 2, true, Format.UINT, true, Prerequisite.TCP, nxm0(9)),
    /** TCP destination port (Open vSwitch accepts a mask). */
    TCP_DST(OxmClass.OPENFLOW_BASIC, 14, 2, true, Format.UINT, true, Prerequisite.TCP, nxm0(10)),
    /** UDP source port (Open vSwitch accepts a mask). */
    UDP_SRC(OxmClass.OPENFLOW_BASIC, 15, 2, true, Format.UINT, true, Prerequisite.UDP, nxm0(11)),
    /** UDP destination port (Open vSwitch accepts a mask). */
    UDP_DST(OxmClass.OPENFLOW_BASIC, 16, 2, true, Format.UINT, true, Prerequisite.UDP, nxm0(12)),
    /** TCP flags (Nicira {@code NXM_NX_TCP_FLAGS}, 12 bits in 16, maskable, read-only). */
    TCP_FLAGS(OxmClass.NXM_1, 34, 2, true, Format.UINT, false, Prerequisite.TCP, -1),
    /** ICMPv4 type. */
    ICMPV4_TYPE(OxmClass.OPENFLOW_BASIC, 19, 1, false, Format.UINT, true, Prerequisite.ICMPV4, nxm0(13)),
    /** ICMPv4 code. */
    ICMPV4_CODE(OxmClass.OPENFLOW_BASIC, 20, 1, false, Format.UINT, true, Prerequisite.ICMPV4, nxm0(14)),
    /** ICMPv6 type. */
    ICMPV6_TYPE(OxmClass.OPENFLOW_BASIC, 29, 1, false, Format.UINT, true, Prerequisite.ICMPV6, nxm1(21)),
    /** ICMPv6 code. */
    ICMPV6_CODE(OxmClass.OPENFLOW_BASIC, 30, 1, false, Format.UINT, true, Prerequisite.ICMPV6, nxm1(22));

    /** How a field's value is written as text. */
    public enum Format {
        /** Unsigned big-endian integer: decimal or {@code 0x} hexadecimal. */
        UINT,
        /** Ethernet address {@code aa:bb:cc:dd:ee:ff}. */
        MAC,
        /** Dotted-quad IPv4 address. */
        IPV4,
        /** IPv6 address. */
        IPV6
    }

    /** Which Ethernet types and IP protocol a field needs in the same match. */
    enum Prerequisite {
        NONE(new int[0], -1),
        IP(new int[] {0x0800, 0x86dd}, -1),
        IPV4(new int[] {0x0800}, -1),
        IPV6(new int[] {0x86dd}, -1),
        ARP(new int[] {0x0806, 0x8035}, -1),
        TCP(new int[] {0x0800, 0x86dd}, 6),
        UDP(new int[] {0x0800, 0x86dd}, 17),
        ICMPV4(new int[] {0x0800}, 1),
        ICMPV6(new int[] {0x86dd}, 58);

        final int[] ethTypes;
        final int ipProto;

        Prerequisite(int[] ethTypes, int ipProto) {
            this.ethTypes = ethTypes;
            this.ipProto = ipProto;
        }
    }

    private static final Map<Integer, OxmField> BY_HEADER = new HashMap<>();

    static {
        for (OxmField f : values()) {
            BY_HEADER.put(key(f.oxmClass, f.field), f);
            if (f.nxmAlias >= 0) {
                BY_HEADER.putIfAbsent(f.nxmAlias, f);
            }
        }
    }

    private final int oxmClass;
    private final int field;
    private final int length;
    private final boolean maskable;
    private final Format format;
    private final boolean writable;
    final Prerequisite prerequisite;
    private final int nxmAlias;

    OxmField(int oxmClass, int field, int length, boolean maskable, Format format, boolean writable,
            Prerequisite prerequisite, int nxmAlias) {
        this.oxmClass = oxmClass;
        this.field = field;
        this.length = length;
        this.maskable = maskable;
        this.format = format;
        this.writable = writable;
        this.prerequisite = prerequisite;
        this.nxmAlias = nxmAlias;
    }

    private static int nxm0(int field) {
        return key(OxmClass.NXM_0, field);
    }

    private static int nxm1(int field) {
        return key(OxmClass.NXM_1, field);
    }

    private static int key(int oxmClass, int field) {
        return (oxmClass << 7) | field;
    }

    /** @return the OXM class, one of the {@link OxmClass} constants */
    public int oxmClass() {
        return oxmClass;
    }

    /** @return the 7-bit field number within its class */
    public int field() {
        return field;
    }

    /** @return the value length in bytes (a mask, if any, has the same length) */
    public int length() {
        return length;
    }

    /** @return the width in bits, as used by {@code NXAST_REG_MOVE} */
    public int bits() {
        return length * 8;
    }

    /** @return whether Open vSwitch accepts a mask for this field in a match */
    public boolean maskable() {
        return maskable;
    }

    /** @return whether a SET_FIELD or register move may write this field */
    public boolean writable() {
        return writable;
    }

    /** @return how the value is written as text */
    public Format format() {
        return format;
    }

    /**
     * The 32-bit OXM header of this field without a mask, as used in action field references.
     *
     * @return class (16 bits), field (7 bits), has-mask 0, length (8 bits)
     */
    public int header() {
        return (oxmClass << 16) | (field << 9) | length;
    }

    /** @return the Ethernet types this field needs in the same match (empty: none) */
    public int[] requiredEthTypes() {
        return prerequisite.ethTypes.clone();
    }

    /** @return the IP protocol this field needs in the same match, if any */
    public Optional<Integer> requiredIpProto() {
        return prerequisite.ipProto < 0 ? Optional.empty() : Optional.of(prerequisite.ipProto);
    }

    /**
     * Looks a field up by OXM class and field number; Nicira (NXM) aliases of basic fields are recognised too.
     *
     * @param oxmClass the 16-bit class
     * @param field the 7-bit field number
     * @return the field, or empty when this library does not know it by name
     */
    public static Optional<OxmField> of(int oxmClass, int field) {
        return Optional.ofNullable(BY_HEADER.get(key(oxmClass, field)));
    }

    /**
     * The Nicira register {@code reg<n>}.
     *
     * @param n 0 to 15
     * @return the field
     */
    public static OxmField reg(int n) {
        if (n < 0 || n > 15) {
            throw new IllegalArgumentException("Nicira register index must be 0..15, not " + n);
        }
        return values()[REG0.ordinal() + n];
    }

    /**
     * The 64-bit packet register {@code xreg<n>}.
     *
     * @param n 0 to 7
     * @return the field
     */
    public static OxmField xreg(int n) {
        if (n < 0 || n > 7) {
            throw new IllegalArgumentException("packet register index must be 0..7, not " + n);
        }
        return values()[XREG0.ordinal() + n];
    }

    /** @return the Open vSwitch style name, e.g. {@code ipv4_dst} or {@code reg5} */
    public String fieldName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
