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
 * Encodes and decodes OpenFlow 1.3 messages, following the layouts of Open vSwitch's {@code openflow-1.3.h} and
 * {@code nicira-ext.h}; the matches in them are written by {@link MatchCodec}, their instructions and actions by
 * {@link ActionCodec}. Stateless and thread-safe.
 *
 * <p>Encoding writes into a caller-supplied {@link ByteBuffer} (big-endian, the default byte order) so that many
 * messages can share one buffer; {@link #encodedLength} tells how much room a message needs.
 */
public final class OpenFlowCodec {
    /** The OpenFlow 1.3 wire version. */
    public static final int VERSION = 0x04;
    /** Length of the common {@code ofp_header}. */
    public static final int HEADER_LENGTH = 8;

    private static final int OFPHET_VERSIONBITMAP = 1;
    private static final int FLOW_MOD_BODY = 40;
    private static final int FLOW_STATS_FIXED = 48;

    /** Every message type: its body's length (after the 8-byte header) and how the body is written. */
    private static final Writers<OpenFlowMessage> MESSAGES = new Writers<OpenFlowMessage>("message")
            .add(FlowMod.class, f -> FLOW_MOD_BODY + MatchCodec.length(f.match())
                    + ActionCodec.instructionsLength(f.instructions()), (f, xid, out) -> encodeFlowMod(f, out))
            .add(BundleAdd.class, b -> 16 + encodedLength(b.message()), (b, xid, out) -> {
                out.putInt(BundleControl.ONF_EXPERIMENTER).putInt(BundleAdd.EXP_TYPE);
                out.putInt(b.bundleId()).putShort((short) 0).putShort((short) b.flags());
                encode(b.message(), xid, out);
            })
            .add(BundleControl.class, c -> 16, (c, xid, out) -> {
                out.putInt(BundleControl.ONF_EXPERIMENTER).putInt(BundleControl.EXP_TYPE);
                out.putInt(c.bundleId()).putShort((short) c.controlType()).putShort((short) c.flags());
            })
            .add(FlowStatsRequest.class, r -> 8 + 32 + MatchCodec.length(r.match()), (r, xid, out) -> {
                out.putShort((short) FlowStatsRequest.MULTIPART_FLOW).putShort((short) 0).putInt(0);
                out.put((byte) r.tableId()).put((byte) 0).putShort((short) 0);
                out.putInt((int) r.outPort()).putInt((int) r.outGroup()).putInt(0);
                out.putLong(r.cookie()).putLong(r.cookieMask());
                MatchCodec.encode(r.match(), out);
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

    private OpenFlowCodec() {
    }

    /**
     * @return the message, instruction and action types this codec writes (for the check that none is missing)
     */
    static Set<Class<?>> writtenTypes() {
        Set<Class<?>> types = new HashSet<>(MESSAGES.types());
        types.addAll(ActionCodec.writtenTypes());
        return types;
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
        return FLOW_STATS_FIXED + MatchCodec.length(s.match()) + s.rawInstructions().length;
    }

    static int pad8(int n) {
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
        MatchCodec.encode(f.match(), out);
        for (Instruction i : f.instructions()) {
            ActionCodec.encodeInstruction(i, out);
        }
    }

    private static void encodeFlowStats(FlowStats s, ByteBuffer out) {
        out.putShort((short) flowStatsLength(s)).put((byte) s.tableId()).put((byte) 0);
        out.putInt((int) s.durationSec()).putInt((int) s.durationNsec());
        out.putShort((short) s.priority()).putShort((short) s.idleTimeout()).putShort((short) s.hardTimeout());
        out.putShort((short) s.flags()).putInt(0);
        out.putLong(s.cookie()).putLong(s.packetCount()).putLong(s.byteCount());
        MatchCodec.encode(s.match(), out);
        out.put(s.rawInstructions());
    }

    static void zeros(ByteBuffer out, int n) {
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
        Match match = MatchCodec.decode(b);
        List<Instruction> instructions = ActionCodec.decodeInstructions(b, b.remaining());
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
        return new FlowStatsRequest(table, outPort, outGroup, cookie, cookieMask, MatchCodec.decode(b));
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
        Match match = MatchCodec.decode(e);
        byte[] raw = new byte[e.remaining()];
        e.get(e.position(), raw);
        List<Instruction> instructions = ActionCodec.decodeInstructions(e, e.remaining());
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

    static ByteBuffer skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
        return b;
    }

    static byte[] rest(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
