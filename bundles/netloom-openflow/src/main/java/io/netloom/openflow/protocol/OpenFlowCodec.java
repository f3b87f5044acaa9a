package io.netloom.openflow.protocol;

import io.netloom.openflow.action.Action;
import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.match.Match;
import io.netloom.openflow.match.OxmClass;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.match.OxmTlv;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Encodes and decodes OpenFlow 1.3 messages, matches, instructions and actions, following the layouts of Open
 * vSwitch's {@code openflow-1.3.h}, {@code nicira-ext.h} and {@code ofp-actions.c}. Stateless and thread-safe.
 *
 * <p>Encoding writes into a caller-supplied {@link ByteBuffer} (big-endian, the default byte order) so that many
 * messages can share one buffer; {@link #encodedLength} tells how much room a message needs.
 */
public final class OpenFlowCodec {
    /** The OpenFlow 1.3 wire version. */
    public static final int VERSION = 0x04;
    /** Length of the common {@code ofp_header}. */
    public static final int HEADER_LENGTH = 8;
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
    private static final int OFPMT_OXM = 1;
    private static final int OFPHET_VERSIONBITMAP = 1;
    private static final int FLOW_MOD_BODY = 40;
    private static final int FLOW_STATS_FIXED = 48;
    private static final int CT_FIXED = 24;
    private static final int REG_MOVE_FIXED = 16;

    /** Every message type: its body's length (after the 8-byte header) and how the body is written. */
    private static final Writers<OpenFlowMessage> MESSAGES = new Writers<OpenFlowMessage>("message")
            .add(FlowMod.class, f -> FLOW_MOD_BODY + matchLength(f.match()) + instructionsLength(f.instructions()),
                    (f, xid, out) -> encodeFlowMod(f, out))
            .add(BundleAdd.class, b -> 16 + encodedLength(b.message()), (b, xid, out) -> {
                out.putInt(BundleControl.ONF_EXPERIMENTER).putInt(BundleAdd.EXP_TYPE);
                out.putInt(b.bundleId()).putShort((short) 0).putShort((short) b.flags());
                encode(b.message(), xid, out);
            })
            .add(BundleControl.class, c -> 16, (c, xid, out) -> {
                out.putInt(BundleControl.ONF_EXPERIMENTER).putInt(BundleControl.EXP_TYPE);
                out.putInt(c.bundleId()).putShort((short) c.controlType()).putShort((short) c.flags());
            })
            .add(FlowStatsRequest.class, r -> 8 + 32 + matchLength(r.match()), (r, xid, out) -> {
                out.putShort((short) FlowStatsRequest.MULTIPART_FLOW).putShort((short) 0).putInt(0);
                out.put((byte) r.tableId()).put((byte) 0).putShort((short) 0);
                out.putInt((int) r.outPort()).putInt((int) r.outGroup()).putInt(0);
                out.putLong(r.cookie()).putLong(r.cookieMask());
                encodeMatch(r.match(), out);
            })
            .add(Hello.class, h -> h.versionBitmap() == 0 ? 0 : 8, (h, xid, out) -> {
                if (h.versionBitmap() != 0) {
                    out.putShort((short) OFPHET_VERSIONBITMAP).putShort((short) 8).putInt(h.versionBitmap());
                }
            })
            .add(EchoRequest.class, e -> e.data().length(), (e, xid, out) -> e.data().writeTo(out))
            .add(EchoReply.class, e -> e.data().length(), (e, xid, out) -> e.data().writeTo(out))
            .add(ErrorMessage.class, e -> (e.errorType() == ErrorMessage.EXPERIMENTER ? 8 : 4) + e.data().length(),
                    (e, xid, out) -> {
                        out.putShort((short) e.errorType()).putShort((short) e.code());
                        if (e.errorType() == ErrorMessage.EXPERIMENTER) {
                            out.putInt((int) e.experimenter());
                        }
                        e.data().writeTo(out);
                    })
            .add(FeaturesRequest.class, f -> 0, (f, xid, out) -> { })
            .add(FeaturesReply.class, f -> 24, (f, xid, out) -> out.putLong(f.datapathId())
                    .putInt((int) f.buffers()).put((byte) f.tables()).put((byte) f.auxiliaryId())
                    .putShort((short) 0).putInt((int) f.capabilities()).putInt(0))
            .add(FlowStatsReply.class, r -> {
                int n = 8;
                for (FlowStats s : r.stats()) {
                    n += flowStatsLength(s);
                }
                return n;
            }, (r, xid, out) -> {
                out.putShort((short) FlowStatsRequest.MULTIPART_FLOW).putShort((short) r.flags()).putInt(0);
                for (FlowStats s : r.stats()) {
                    encodeFlowStats(s, out);
                }
            })
            .add(BarrierRequest.class, b -> 0, (b, xid, out) -> { })
            .add(BarrierReply.class, b -> 0, (b, xid, out) -> { })
            .add(UnknownMessage.class, u -> u.body().length(), (u, xid, out) -> u.body().writeTo(out));

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
                encodeOxm(s.field(), out);
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

    private OpenFlowCodec() {
    }

    /**
     * @return the message, instruction and action types this codec writes (for the check that none is missing)
     */
    static Set<Class<?>> writtenTypes() {
        Set<Class<?>> types = new HashSet<>(MESSAGES.types());
        types.addAll(INSTRUCTIONS.types());
        types.addAll(ACTIONS.types());
        return types;
    }

    private static int regMoveLength(Action.RegMove r) {
        return pad8(REG_MOVE_FIXED + fieldHeaderLength(r.src()) + fieldHeaderLength(r.dst()));
    }

    // ---------------------------------------------------------------------------------------------- lengths

    /**
     * @param message a message
     * @return its encoded length, header included
     * @throws IllegalArgumentException when the message would exceed 65535 bytes
     */
    public static int encodedLength(OpenFlowMessage message) {
        int len = HEADER_LENGTH + bodyLength(message);
        if (len > 0xffff) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " of " + len
                    + " bytes exceeds the 65535-byte OpenFlow message limit");
        }
        return len;
    }

    private static int bodyLength(OpenFlowMessage m) {
        return MESSAGES.length(m);
    }

    private static int flowStatsLength(FlowStats s) {
        return FLOW_STATS_FIXED + matchLength(s.match()) + s.rawInstructions().length;
    }

    /**
     * @param match a match
     * @return the length of its {@code ofp_match}, padding included
     */
    public static int matchLength(Match match) {
        return pad8(4 + match.oxmLength());
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

    private static int pad8(int n) {
        return (n + 7) & ~7;
    }

    // ---------------------------------------------------------------------------------------------- encoding

    /**
     * Encodes a message into a new array.
     *
     * @param message the message
     * @param xid the transaction id
     * @return the bytes
     */
    public static byte[] encode(OpenFlowMessage message, int xid) {
        ByteBuffer buf = ByteBuffer.allocate(encodedLength(message));
        encode(message, xid, buf);
        return buf.array();
    }

    /**
     * Encodes a message at the buffer's position, advancing it.
     *
     * @param message the message
     * @param xid the transaction id
     * @param out a buffer with at least {@link #encodedLength} bytes remaining
     */
    public static void encode(OpenFlowMessage message, int xid, ByteBuffer out) {
        int length = encodedLength(message);
        out.put((byte) VERSION).put((byte) message.type()).putShort((short) length).putInt(xid);
        MESSAGES.write(message, xid, out);
    }

    private static void encodeFlowMod(FlowMod f, ByteBuffer out) {
        out.putLong(f.cookie()).putLong(f.cookieMask());
        out.put((byte) f.tableId()).put((byte) f.command().code());
        out.putShort((short) f.idleTimeout()).putShort((short) f.hardTimeout()).putShort((short) f.priority());
        out.putInt((int) f.bufferId()).putInt((int) f.outPort()).putInt((int) f.outGroup());
        out.putShort((short) f.flags()).putShort((short) 0);
        encodeMatch(f.match(), out);
        for (Instruction i : f.instructions()) {
            encodeInstruction(i, out);
        }
    }

    private static void encodeFlowStats(FlowStats s, ByteBuffer out) {
        out.putShort((short) flowStatsLength(s)).put((byte) s.tableId()).put((byte) 0);
        out.putInt((int) s.durationSec()).putInt((int) s.durationNsec());
        out.putShort((short) s.priority()).putShort((short) s.idleTimeout()).putShort((short) s.hardTimeout());
        out.putShort((short) s.flags()).putInt(0);
        out.putLong(s.cookie()).putLong(s.packetCount()).putLong(s.byteCount());
        encodeMatch(s.match(), out);
        out.put(s.rawInstructions());
    }

    /**
     * Encodes an {@code ofp_match} of type OXM, padded with zeros to a multiple of 8 bytes.
     *
     * @param match the match
     * @param out the buffer
     */
    public static void encodeMatch(Match match, ByteBuffer out) {
        int len = 4 + match.oxmLength();
        out.putShort((short) OFPMT_OXM).putShort((short) len);
        for (OxmTlv t : match.fields()) {
            encodeOxm(t, out);
        }
        zeros(out, pad8(len) - len);
    }

    /**
     * @param match the match
     * @return its {@code ofp_match} bytes
     */
    public static byte[] encodeMatch(Match match) {
        ByteBuffer buf = ByteBuffer.allocate(matchLength(match));
        encodeMatch(match, buf);
        return buf.array();
    }

    private static void encodeOxm(OxmTlv t, ByteBuffer out) {
        out.putInt(t.header()).put(t.value());
        if (t.hasMask()) {
            out.put(t.mask());
        }
    }

    private static void encodeInstruction(Instruction i, ByteBuffer out) {
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

    private static void zeros(ByteBuffer out, int n) {
        for (int i = 0; i < n; i++) {
            out.put((byte) 0);
        }
    }

    // ---------------------------------------------------------------------------------------------- decoding

    /**
     * Returns the total length of the message starting at the buffer's position, if its header is there.
     *
     * @param in a buffer
     * @return the length from the header, or empty when fewer than 8 bytes remain
     */
    public static Optional<Integer> peekLength(ByteBuffer in) {
        if (in.remaining() < HEADER_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(Short.toUnsignedInt(in.getShort(in.position() + 2)));
    }

    /**
     * Decodes one complete message from an array.
     *
     * @param bytes exactly one message
     * @return the frame
     * @throws OpenFlowProtocolException when the bytes are malformed
     */
    public static Frame decode(byte[] bytes) throws OpenFlowProtocolException {
        return decode(ByteBuffer.wrap(bytes));
    }

    /**
     * Decodes the message at the buffer's position and advances the position past it. The whole message must be
     * in the buffer.
     *
     * @param in the buffer
     * @return the frame
     * @throws OpenFlowProtocolException when the message is truncated or malformed
     */
    public static Frame decode(ByteBuffer in) throws OpenFlowProtocolException {
        int start = in.position();
        Optional<Integer> peek = peekLength(in);
        if (peek.isEmpty() || peek.get() < HEADER_LENGTH || peek.get() > in.remaining()) {
            throw new OpenFlowProtocolException("incomplete or invalid OpenFlow header at offset " + start);
        }
        int length = peek.get();
        ByteBuffer msg = in.slice(start, length);
        in.position(start + length);
        int version = msg.get() & 0xff;
        int type = msg.get() & 0xff;
        msg.getShort();
        int xid = msg.getInt();
        try {
            return new Frame(version, xid, decodeBody(version, type, msg));
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new OpenFlowProtocolException("malformed OpenFlow message of type " + type + " (" + length
                    + " bytes): " + e, e);
        }
    }

    private static OpenFlowMessage decodeBody(int version, int type, ByteBuffer b) throws OpenFlowProtocolException {
        if (type == Hello.TYPE) {
            return decodeHello(b);
        }
        if (type == ErrorMessage.TYPE) {
            int errorType = Short.toUnsignedInt(b.getShort());
            int code = Short.toUnsignedInt(b.getShort());
            long experimenter = errorType == ErrorMessage.EXPERIMENTER ? Integer.toUnsignedLong(b.getInt()) : 0;
            return new ErrorMessage(errorType, code, experimenter, rest(b));
        }
        if (version != VERSION) {
            return new UnknownMessage(type, rest(b));
        }
        switch (type) {
            case EchoRequest.TYPE:
                return new EchoRequest(rest(b));
            case EchoReply.TYPE:
                return new EchoReply(rest(b));
            case FeaturesRequest.TYPE:
                return new FeaturesRequest();
            case FeaturesReply.TYPE:
                return new FeaturesReply(b.getLong(), Integer.toUnsignedLong(b.getInt()), b.get() & 0xff,
                        b.get() & 0xff, skip(b, 2).getInt() & 0xffffffffL);
            case BarrierRequest.TYPE:
                return new BarrierRequest();
            case BarrierReply.TYPE:
                return new BarrierReply();
            case FlowMod.TYPE:
                return decodeFlowMod(b);
            case FlowStatsRequest.TYPE:
                return decodeMultipartRequest(b);
            case FlowStatsReply.TYPE:
                return decodeMultipartReply(b);
            case BundleControl.TYPE:
                return decodeExperimenter(b);
            default:
                return new UnknownMessage(type, rest(b));
        }
    }

    private static Hello decodeHello(ByteBuffer b) {
        int bitmap = 0;
        while (b.remaining() >= 4) {
            int elementType = Short.toUnsignedInt(b.getShort());
            int elementLength = Short.toUnsignedInt(b.getShort());
            if (elementLength < 4 || elementLength - 4 > b.remaining()) {
                break;
            }
            ByteBuffer element = b.slice(b.position(), elementLength - 4);
            skip(b, Math.min(b.remaining(), pad8(elementLength) - 4));
            if (elementType == OFPHET_VERSIONBITMAP && element.remaining() >= 4) {
                bitmap |= element.getInt();
            }
        }
        return new Hello(bitmap);
    }

    private static FlowMod decodeFlowMod(ByteBuffer b) throws OpenFlowProtocolException {
        long cookie = b.getLong();
        long cookieMask = b.getLong();
        int table = b.get() & 0xff;
        int command = b.get() & 0xff;
        if (command >= FlowMod.Command.values().length) {
            throw new OpenFlowProtocolException("unknown flow mod command " + command);
        }
        int idle = Short.toUnsignedInt(b.getShort());
        int hard = Short.toUnsignedInt(b.getShort());
        int priority = Short.toUnsignedInt(b.getShort());
        long buffer = Integer.toUnsignedLong(b.getInt());
        long outPort = Integer.toUnsignedLong(b.getInt());
        long outGroup = Integer.toUnsignedLong(b.getInt());
        int flags = Short.toUnsignedInt(b.getShort());
        skip(b, 2);
        Match match = decodeMatch(b);
        List<Instruction> instructions = decodeInstructions(b, b.remaining());
        return new FlowMod(FlowMod.Command.values()[command], cookie, cookieMask, table, idle, hard, priority,
                buffer, outPort, outGroup, flags, match, instructions);
    }

    private static OpenFlowMessage decodeMultipartRequest(ByteBuffer b) throws OpenFlowProtocolException {
        int mpType = Short.toUnsignedInt(b.getShort());
        if (mpType != FlowStatsRequest.MULTIPART_FLOW) {
            b.position(b.position() - 2);
            return new UnknownMessage(FlowStatsRequest.TYPE, rest(b));
        }
        skip(b, 6);
        int table = b.get() & 0xff;
        skip(b, 3);
        long outPort = Integer.toUnsignedLong(b.getInt());
        long outGroup = Integer.toUnsignedLong(b.getInt());
        skip(b, 4);
        long cookie = b.getLong();
        long cookieMask = b.getLong();
        return new FlowStatsRequest(table, outPort, outGroup, cookie, cookieMask, decodeMatch(b));
    }

    private static OpenFlowMessage decodeMultipartReply(ByteBuffer b) throws OpenFlowProtocolException {
        int mpType = Short.toUnsignedInt(b.getShort());
        if (mpType != FlowStatsRequest.MULTIPART_FLOW) {
            b.position(b.position() - 2);
            return new UnknownMessage(FlowStatsReply.TYPE, rest(b));
        }
        int flags = Short.toUnsignedInt(b.getShort());
        skip(b, 4);
        List<FlowStats> stats = new ArrayList<>();
        while (b.hasRemaining()) {
            int length = Short.toUnsignedInt(b.getShort(b.position()));
            if (length < FLOW_STATS_FIXED || length > b.remaining()) {
                throw new OpenFlowProtocolException("flow stats entry of invalid length " + length);
            }
            ByteBuffer e = b.slice(b.position(), length);
            skip(b, length);
            stats.add(decodeFlowStats(e));
        }
        return new FlowStatsReply(flags, stats);
    }

    private static FlowStats decodeFlowStats(ByteBuffer e) throws OpenFlowProtocolException {
        skip(e, 2);
        int table = e.get() & 0xff;
        skip(e, 1);
        long durationSec = Integer.toUnsignedLong(e.getInt());
        long durationNsec = Integer.toUnsignedLong(e.getInt());
        int priority = Short.toUnsignedInt(e.getShort());
        int idle = Short.toUnsignedInt(e.getShort());
        int hard = Short.toUnsignedInt(e.getShort());
        int flags = Short.toUnsignedInt(e.getShort());
        skip(e, 4);
        long cookie = e.getLong();
        long packets = e.getLong();
        long bytes = e.getLong();
        Match match = decodeMatch(e);
        byte[] raw = new byte[e.remaining()];
        e.get(e.position(), raw);
        List<Instruction> instructions = decodeInstructions(e, e.remaining());
        return new FlowStats(table, durationSec, durationNsec, priority, idle, hard, flags, cookie, packets, bytes,
                match, instructions, raw);
    }

    private static OpenFlowMessage decodeExperimenter(ByteBuffer b) throws OpenFlowProtocolException {
        int experimenter = b.getInt();
        int expType = b.getInt();
        if (experimenter == BundleControl.ONF_EXPERIMENTER && expType == BundleControl.EXP_TYPE) {
            return new BundleControl(b.getInt(), Short.toUnsignedInt(b.getShort()),
                    Short.toUnsignedInt(b.getShort()));
        }
        if (experimenter == BundleControl.ONF_EXPERIMENTER && expType == BundleAdd.EXP_TYPE) {
            int bundleId = b.getInt();
            skip(b, 2);
            int flags = Short.toUnsignedInt(b.getShort());
            return new BundleAdd(bundleId, flags, decode(b).message());
        }
        b.position(b.position() - 8);
        return new UnknownMessage(BundleControl.TYPE, rest(b));
    }

    /**
     * Decodes an {@code ofp_match} at the buffer's position, consuming its padding.
     *
     * @param b the buffer
     * @return the match, entries in wire order
     * @throws OpenFlowProtocolException when the match is not of OXM type or is malformed
     */
    public static Match decodeMatch(ByteBuffer b) throws OpenFlowProtocolException {
        int type = Short.toUnsignedInt(b.getShort());
        int length = Short.toUnsignedInt(b.getShort());
        if (type != OFPMT_OXM || length < 4 || pad8(length) - 4 > b.remaining()) {
            throw new OpenFlowProtocolException("unsupported match type " + type + " or length " + length);
        }
        ByteBuffer oxm = b.slice(b.position(), length - 4);
        skip(b, pad8(length) - 4);
        List<OxmTlv> fields = new ArrayList<>();
        while (oxm.hasRemaining()) {
            fields.add(decodeOxm(oxm));
        }
        return Match.of(fields);
    }

    private static OxmTlv decodeOxm(ByteBuffer b) throws OpenFlowProtocolException {
        int header = b.getInt();
        int oxmClass = header >>> 16;
        int field = (header >>> 9) & 0x7f;
        boolean hasMask = (header & 0x100) != 0;
        int length = header & 0xff;
        if (length > b.remaining() || (hasMask && length % 2 != 0)) {
            throw new OpenFlowProtocolException(String.format("invalid OXM header 0x%08x", header));
        }
        int valueLength = hasMask ? length / 2 : length;
        byte[] value = new byte[valueLength];
        b.get(value);
        byte[] mask = new byte[hasMask ? valueLength : 0];
        b.get(mask);
        return new OxmTlv(oxmClass, field, hasMask, value, mask);
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
                OxmTlv tlv = decodeOxm(a);
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

    private static ByteBuffer skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
        return b;
    }

    private static byte[] rest(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
