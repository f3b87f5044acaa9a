package io.netloom.openflow.protocol;

import static io.netloom.openflow.protocol.OpenFlowCodec.pad8;
import static io.netloom.openflow.protocol.OpenFlowCodec.rest;
import static io.netloom.openflow.protocol.OpenFlowCodec.skip;
import static io.netloom.openflow.protocol.OpenFlowCodec.zeros;

import io.netloom.openflow.action.Action;
import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.match.OxmClass;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.match.OxmTlv;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Encodes and decodes OpenFlow 1.3 instructions and actions, Open vSwitch's Nicira extensions ({@code NXAST_CT},
 * {@code NXAST_REG_MOVE}) included, following the layouts of {@code openflow-1.3.h}, {@code nicira-ext.h} and
 * {@code ofp-actions.c}. Every type is written through one table per family, so a type without its entry is refused,
 * never written with a guessed length. Stateless and thread-safe.
 */
public final class ActionCodec {
    /** The Nicira experimenter (vendor) id. */
    public static final int NICIRA_EXPERIMENTER = 0x00002320;
    /** Nicira action subtype {@code NXAST_REG_MOVE}. */
    public static final int NXAST_REG_MOVE = 6;
    /** Nicira action subtype {@code NXAST_CT}. */
    public static final int NXAST_CT = 35;

    private static final int OFPAT_OUTPUT = 0;
    private static final int OFPAT_DEC_NW_TTL = 24;
    private static final int OFPAT_SET_FIELD = 25;
    private static final int OFPAT_EXPERIMENTER = 0xffff;
    private static final int OFPIT_GOTO_TABLE = 1;
    private static final int OFPIT_WRITE_METADATA = 2;
    private static final int OFPIT_APPLY_ACTIONS = 4;
    private static final int OFPIT_CLEAR_ACTIONS = 5;
    private static final int CT_FIXED = 24;
    private static final int REG_MOVE_FIXED = 16;

    /** Every instruction type: its whole length and how it is written. */
    private static final Writers<Instruction> INSTRUCTIONS = new Writers<Instruction>("instruction")
            .add(Instruction.GotoTable.class, g -> 8, (g, xid, out) -> {
                out.putShort((short) OFPIT_GOTO_TABLE).putShort((short) 8).put((byte) g.tableId());
                zeros(out, 3);
            })
            .add(Instruction.WriteMetadata.class, w -> 24, (w, xid, out) -> {
                out.putShort((short) OFPIT_WRITE_METADATA).putShort((short) 24).putInt(0);
                out.putLong(w.metadata()).putLong(w.mask());
            })
            .add(Instruction.ApplyActions.class, a -> 8 + actionsLength(a.actions()), (a, xid, out) -> {
                out.putShort((short) OFPIT_APPLY_ACTIONS).putShort((short) (8 + actionsLength(a.actions())))
                        .putInt(0);
                for (Action action : a.actions()) {
                    encodeAction(action, out);
                }
            })
            .add(Instruction.ClearActions.class, c -> 8, (c, xid, out) ->
                    out.putShort((short) OFPIT_CLEAR_ACTIONS).putShort((short) 8).putInt(0))
            .add(Instruction.Unknown.class, u -> u.bytes().length(), (u, xid, out) -> u.bytes().writeTo(out));

    /** Every action type: its whole length, padded to 8 as Open vSwitch requires, and how it is written. */
    private static final Writers<Action> ACTIONS = new Writers<Action>("action")
            .add(Action.Output.class, o -> 16, (o, xid, out) -> {
                out.putShort((short) OFPAT_OUTPUT).putShort((short) 16).putInt((int) o.port())
                        .putShort((short) o.maxLen());
                zeros(out, 6);
            })
            .add(Action.SetField.class, s -> pad8(4 + s.field().encodedLength()), (s, xid, out) -> {
                out.putShort((short) OFPAT_SET_FIELD).putShort((short) pad8(4 + s.field().encodedLength()));
                MatchCodec.encodeOxm(s.field(), out);
            })
            .add(Action.DecNwTtl.class, d -> 8, (d, xid, out) ->
                    out.putShort((short) OFPAT_DEC_NW_TTL).putShort((short) 8).putInt(0))
            .add(Action.RegMove.class, r -> regMoveLength(r), (r, xid, out) -> {
                out.putShort((short) OFPAT_EXPERIMENTER).putShort((short) regMoveLength(r))
                        .putInt(NICIRA_EXPERIMENTER).putShort((short) NXAST_REG_MOVE).putShort((short) r.bits())
                        .putShort((short) r.srcOffset()).putShort((short) r.dstOffset());
                out.putInt(r.src().header()).putInt(r.dst().header());
            })
            .add(Action.Conntrack.class, c -> CT_FIXED + actionsLength(c.actions()), (c, xid, out) -> {
                out.putShort((short) OFPAT_EXPERIMENTER).putShort((short) (CT_FIXED + actionsLength(c.actions())))
                        .putInt(NICIRA_EXPERIMENTER).putShort((short) NXAST_CT).putShort((short) c.flags())
                        .putInt(0) // zone_src 0: the zone is the immediate value that follows
                        .putShort((short) c.zone()).put((byte) c.recircTable());
                zeros(out, 3);
                out.putShort((short) c.alg());
                for (Action nested : c.actions()) {
                    encodeAction(nested, out);
                }
            })
            .add(Action.Unknown.class, u -> u.bytes().length(), (u, xid, out) -> u.bytes().writeTo(out));

    private ActionCodec() {
    }

    /**
     * @return the instruction and action types this codec writes
     */
    static Set<Class<?>> writtenTypes() {
        Set<Class<?>> types = new HashSet<>(INSTRUCTIONS.types());
        types.addAll(ACTIONS.types());
        return types;
    }

    private static int regMoveLength(Action.RegMove r) {
        return pad8(REG_MOVE_FIXED + fieldHeaderLength(r.src()) + fieldHeaderLength(r.dst()));
    }

    /**
     * @param instructions instructions
     * @return their encoded length
     */
    public static int instructionsLength(List<Instruction> instructions) {
        int n = 0;
        for (Instruction i : instructions) {
            n += instructionLength(i);
        }
        return n;
    }

    private static int instructionLength(Instruction i) {
        return INSTRUCTIONS.length(i);
    }

    /**
     * @param actions actions
     * @return their encoded length
     */
    public static int actionsLength(List<Action> actions) {
        int n = 0;
        for (Action a : actions) {
            n += actionLength(a);
        }
        return n;
    }

    private static int actionLength(Action a) {
        return ACTIONS.length(a);
    }

    private static int fieldHeaderLength(OxmField f) {
        return f.oxmClass() == OxmClass.EXPERIMENTER ? 8 : 4;
    }

    static void encodeInstruction(Instruction i, ByteBuffer out) {
        INSTRUCTIONS.write(i, 0, out);
    }

    /**
     * @param instruction an instruction
     * @return its encoded bytes
     */
    public static byte[] encodeInstruction(Instruction instruction) {
        ByteBuffer buf = ByteBuffer.allocate(instructionLength(instruction));
        encodeInstruction(instruction, buf);
        return buf.array();
    }

    /**
     * @param action an action
     * @return its encoded bytes, padded to a multiple of 8 as Open vSwitch requires
     */
    public static byte[] encodeAction(Action action) {
        ByteBuffer buf = ByteBuffer.allocate(actionLength(action));
        encodeAction(action, buf);
        return buf.array();
    }

    /**
     * Encodes an action at the buffer's position.
     *
     * @param a the action
     * @param out the buffer
     */
    public static void encodeAction(Action a, ByteBuffer out) {
        int start = out.position();
        ACTIONS.write(a, 0, out);
        zeros(out, actionLength(a) - (out.position() - start));
    }

    /**
     * Decodes a sequence of instructions.
     *
     * @param b the buffer, positioned at the first instruction
     * @param length total length of the instructions
     * @return the instructions; those this library does not model are {@link Instruction.Unknown}
     * @throws OpenFlowProtocolException when an instruction's length is invalid
     */
    public static List<Instruction> decodeInstructions(ByteBuffer b, int length) throws OpenFlowProtocolException {
        ByteBuffer in = b.slice(b.position(), length);
        skip(b, length);
        List<Instruction> out = new ArrayList<>();
        while (in.remaining() >= 4) {
            int type = Short.toUnsignedInt(in.getShort(in.position()));
            int len = Short.toUnsignedInt(in.getShort(in.position() + 2));
            if (len < 8 || len > in.remaining()) {
                throw new OpenFlowProtocolException("instruction of invalid length " + len);
            }
            ByteBuffer i = in.slice(in.position(), len);
            skip(in, len);
            switch (type) {
                case OFPIT_GOTO_TABLE:
                    out.add(new Instruction.GotoTable(i.get(4) & 0xff));
                    break;
                case OFPIT_WRITE_METADATA:
                    out.add(new Instruction.WriteMetadata(i.getLong(8), i.getLong(16)));
                    break;
                case OFPIT_APPLY_ACTIONS:
                    i.position(8);
                    out.add(new Instruction.ApplyActions(decodeActions(i, len - 8)));
                    break;
                case OFPIT_CLEAR_ACTIONS:
                    out.add(new Instruction.ClearActions());
                    break;
                default:
                    out.add(new Instruction.Unknown(type, rest(i)));
            }
        }
        return out;
    }

    /**
     * Decodes a sequence of actions.
     *
     * @param b the buffer, positioned at the first action
     * @param length total length of the actions
     * @return the actions; those this library does not model are {@link Action.Unknown}
     * @throws OpenFlowProtocolException when an action's length is invalid
     */
    public static List<Action> decodeActions(ByteBuffer b, int length) throws OpenFlowProtocolException {
        ByteBuffer in = b.slice(b.position(), length);
        skip(b, length);
        List<Action> out = new ArrayList<>();
        while (in.remaining() >= 4) {
            int type = Short.toUnsignedInt(in.getShort(in.position()));
            int len = Short.toUnsignedInt(in.getShort(in.position() + 2));
            if (len < 8 || len % 8 != 0 || len > in.remaining()) {
                throw new OpenFlowProtocolException("action of invalid length " + len);
            }
            ByteBuffer a = in.slice(in.position(), len);
            skip(in, len);
            out.add(decodeAction(type, a));
        }
        return out;
    }

    private static Action decodeAction(int type, ByteBuffer a) throws OpenFlowProtocolException {
        switch (type) {
            case OFPAT_OUTPUT:
                return new Action.Output(Integer.toUnsignedLong(a.getInt(4)), Short.toUnsignedInt(a.getShort(8)));
            case OFPAT_DEC_NW_TTL:
                return new Action.DecNwTtl();
            case OFPAT_SET_FIELD: {
                a.position(4);
                OxmTlv tlv = MatchCodec.decodeOxm(a);
                return tlv.hasMask() ? unknown(type, a) : new Action.SetField(tlv);
            }
            case OFPAT_EXPERIMENTER:
                if (a.remaining() >= 16 && a.getInt(4) == NICIRA_EXPERIMENTER) {
                    int subtype = Short.toUnsignedInt(a.getShort(8));
                    if (subtype == NXAST_REG_MOVE) {
                        return decodeRegMove(a).orElseGet(() -> unknown(type, a));
                    }
                    if (subtype == NXAST_CT && a.remaining() >= CT_FIXED) {
                        return decodeConntrack(a).orElseGet(() -> unknown(type, a));
                    }
                }
                return unknown(type, a);
            default:
                return unknown(type, a);
        }
    }

    private static Optional<Action> decodeRegMove(ByteBuffer a) {
        int bits = Short.toUnsignedInt(a.getShort(10));
        int srcOffset = Short.toUnsignedInt(a.getShort(12));
        int dstOffset = Short.toUnsignedInt(a.getShort(14));
        int srcHeader = a.getInt(16);
        if ((srcHeader >>> 16) == OxmClass.EXPERIMENTER) {
            return Optional.empty();
        }
        int dstHeader = a.getInt(20);
        Optional<OxmField> src = fieldOf(srcHeader);
        Optional<OxmField> dst = fieldOf(dstHeader);
        if (src.isEmpty() || dst.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Action.RegMove(src.get(), srcOffset, dst.get(), dstOffset, bits));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<OxmField> fieldOf(int header) {
        return OxmField.of(header >>> 16, (header >>> 9) & 0x7f)
                .filter(f -> f.length() == (header & 0xff));
    }

    private static Optional<Action> decodeConntrack(ByteBuffer a) throws OpenFlowProtocolException {
        int flags = Short.toUnsignedInt(a.getShort(10));
        if (a.getInt(12) != 0) {
            // The zone comes from a field; this library models immediate zones only.
            return Optional.empty();
        }
        int zone = Short.toUnsignedInt(a.getShort(16));
        int table = a.get(18) & 0xff;
        int alg = Short.toUnsignedInt(a.getShort(22));
        a.position(CT_FIXED);
        List<Action> nested = decodeActions(a, a.remaining());
        try {
            return Optional.of(new Action.Conntrack(flags, zone, table, alg, nested));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Action unknown(int type, ByteBuffer a) {
        byte[] bytes = new byte[a.capacity()];
        a.get(0, bytes);
        return new Action.Unknown(type, bytes);
    }
}
