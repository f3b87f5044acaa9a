package io.netloom.openflow.action;

import io.netloom.openflow.Bytes;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.match.OxmTlv;
import java.util.List;

/**
 * An OpenFlow 1.3 action, as carried in an {@link Instruction.ApplyActions} instruction. The set is closed: the
 * standard actions Netloom uses, the two Nicira actions it needs, and {@link Unknown} for anything decoded that this
 * library does not model.
 */
public sealed interface Action
        permits Action.Output, Action.SetField, Action.DecNwTtl, Action.RegMove, Action.Conntrack, Action.Unknown {

    /** {@code OFPCML_NO_BUFFER}: send the whole packet to the controller. */
    int NO_BUFFER = 0xffff;

    /**
     * Output to a port, e.g. a port number or {@link Ports#IN_PORT}.
     *
     * @param port the port (unsigned 32 bit)
     * @param maxLen bytes to send when the port is {@link Ports#CONTROLLER}
     */
    record Output(long port, int maxLen) implements Action {
        /** Checks the ranges. */
        public Output {
            if (port < 0 || port > 0xffffffffL) {
                throw new IllegalArgumentException("port must be unsigned 32 bit: " + port);
            }
            if (maxLen < 0 || maxLen > 0xffff) {
                throw new IllegalArgumentException("max_len must be unsigned 16 bit: " + maxLen);
            }
        }
    }

    /**
     * Writes a field ({@code OFPAT_SET_FIELD}). OpenFlow 1.3 does not allow a mask here.
     *
     * @param field the field and the value to write
     */
    record SetField(OxmTlv field) implements Action {
        /** Rejects masks and fields known to be read-only. */
        public SetField {
            if (field.hasMask()) {
                throw new IllegalArgumentException("OpenFlow 1.3 set_field takes no mask: " + field);
            }
            field.knownField().filter(f -> !f.writable()).ifPresent(f -> {
                throw new IllegalArgumentException(f.fieldName() + " is read-only");
            });
        }
    }

    /** Decrements the IPv4 TTL or IPv6 hop limit ({@code OFPAT_DEC_NW_TTL}). */
    record DecNwTtl() implements Action {
    }

    /**
     * Copies {@code bits} bits from {@code src[srcOffset..]} to {@code dst[dstOffset..]} (Nicira
     * {@code NXAST_REG_MOVE}); bit 0 is the least significant bit of a field.
     *
     * @param src the field read
     * @param srcOffset first bit read
     * @param dst the field written
     * @param dstOffset first bit written
     * @param bits how many bits
     */
    record RegMove(OxmField src, int srcOffset, OxmField dst, int dstOffset, int bits) implements Action {
        /** Checks that both ranges lie within their fields and that the destination is writable. */
        public RegMove {
            if (bits <= 0 || srcOffset < 0 || dstOffset < 0 || srcOffset + bits > src.bits()
                    || dstOffset + bits > dst.bits()) {
                throw new IllegalArgumentException("move of " + bits + " bits from " + src.fieldName() + "["
                        + srcOffset + "] to " + dst.fieldName() + "[" + dstOffset + "] exceeds a field");
            }
            if (!dst.writable()) {
                throw new IllegalArgumentException(dst.fieldName() + " is read-only");
            }
        }
    }

    /**
     * Sends the packet through the connection tracker (Nicira {@code NXAST_CT}) with an immediate zone.
     *
     * @param flags {@link #COMMIT} and/or {@link #FORCE}
     * @param zone the 16-bit conntrack zone
     * @param recircTable table to recirculate to with the {@code ct_*} fields filled in, or {@link #NO_RECIRC}
     * @param alg application-layer gateway port (0: none)
     * @param actions nested actions, executed in the connection tracker's context (Open vSwitch requires
     *     {@link #COMMIT} for anything but NAT); usually empty
     */
    record Conntrack(int flags, int zone, int recircTable, int alg, List<Action> actions) implements Action {
        /** Commit the connection to the tracker. */
        public static final int COMMIT = 0x0001;
        /** Commit, replacing a connection in the opposite direction. Requires {@link #COMMIT}. */
        public static final int FORCE = 0x0002;
        /** {@code recircTable} value for no recirculation. */
        public static final int NO_RECIRC = 0xff;

        /** Checks ranges and copies the action list. */
        public Conntrack {
            if ((flags & ~(COMMIT | FORCE)) != 0 || ((flags & FORCE) != 0 && (flags & COMMIT) == 0)) {
                throw new IllegalArgumentException("invalid ct flags 0x" + Integer.toHexString(flags));
            }
            if (zone < 0 || zone > 0xffff) {
                throw new IllegalArgumentException("ct zone must be 16 bit: " + zone);
            }
            if (recircTable < 0 || recircTable > 0xff) {
                throw new IllegalArgumentException("ct table must be 0..254 or NO_RECIRC: " + recircTable);
            }
            if (alg < 0 || alg > 0xffff) {
                throw new IllegalArgumentException("ct alg must be 16 bit: " + alg);
            }
            actions = List.copyOf(actions);
        }

        /** @return whether {@link #COMMIT} is set */
        public boolean commit() {
            return (flags & COMMIT) != 0;
        }
    }

    /**
     * An action this library does not model, kept as received.
     *
     * @param type the action type ({@code 0xffff} for experimenter actions)
     * @param bytes the whole action, header included
     */
    record Unknown(int type, Bytes bytes) implements Action {
        /**
         * @param type the type
         * @param bytes the whole action, header included, copied
         */
        public Unknown(int type, byte[] bytes) {
            this(type, Bytes.of(bytes));
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", bytes=" + bytes + "]";
        }
    }

    /**
     * @param port output port, e.g. a port number or {@link Ports#IN_PORT}
     * @return an output action ({@code max_len} {@link #NO_BUFFER} for the controller port, otherwise 0)
     */
    static Output output(long port) {
        return new Output(port, port == Ports.CONTROLLER ? NO_BUFFER : 0);
    }

    /**
     * @param field the field and value to write
     * @return a set-field action
     */
    static SetField setField(OxmTlv field) {
        return new SetField(field);
    }

    /**
     * @param field the field
     * @param value the value
     * @return a set-field action writing an integer value
     */
    static SetField setField(OxmField field, long value) {
        return new SetField(OxmTlv.of(field, value));
    }

    /**
     * @param field the field
     * @param text the value as text, e.g. {@code "aa:bb:cc:dd:ee:ff"} or {@code "10.0.0.1"}
     * @return a set-field action
     */
    static SetField setField(OxmField field, String text) {
        return new SetField(OxmTlv.parse(field, text));
    }

    /** @return the decrement-TTL action */
    static DecNwTtl decNwTtl() {
        return new DecNwTtl();
    }

    /**
     * Copies a whole field into another of the same width, e.g. {@code move(ETH_SRC, ETH_DST)}.
     *
     * @param src the field read
     * @param dst the field written
     * @return the move action
     * @throws IllegalArgumentException when the widths differ
     */
    static RegMove move(OxmField src, OxmField dst) {
        if (src.bits() != dst.bits()) {
            throw new IllegalArgumentException(src.fieldName() + " and " + dst.fieldName()
                    + " differ in width; give offsets and a bit count");
        }
        return new RegMove(src, 0, dst, 0, src.bits());
    }

    /**
     * Copies a bit range from one field into another.
     *
     * @param src the field read
     * @param srcOffset first bit read
     * @param dst the field written
     * @param dstOffset first bit written
     * @param bits how many bits
     * @return the move action
     */
    static RegMove move(OxmField src, int srcOffset, OxmField dst, int dstOffset, int bits) {
        return new RegMove(src, srcOffset, dst, dstOffset, bits);
    }

    /**
     * {@code ct(zone=Z,table=T)}: track the packet in a zone and recirculate it to a table.
     *
     * @param zone the conntrack zone
     * @param recircTable the table the tracked packet continues in
     * @return the conntrack action
     */
    static Conntrack ct(int zone, int recircTable) {
        return new Conntrack(0, zone, recircTable, 0, List.of());
    }

    /**
     * {@code ct(commit,zone=Z)}: commit the connection in a zone, without recirculation.
     *
     * @param zone the conntrack zone
     * @return the conntrack action
     */
    static Conntrack ctCommit(int zone) {
        return new Conntrack(Conntrack.COMMIT, zone, Conntrack.NO_RECIRC, 0, List.of());
    }
}
