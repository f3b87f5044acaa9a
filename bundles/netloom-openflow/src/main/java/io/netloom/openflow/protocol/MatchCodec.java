package io.netloom.openflow.protocol;

import static io.netloom.openflow.protocol.OpenFlowCodec.pad8;
import static io.netloom.openflow.protocol.OpenFlowCodec.skip;
import static io.netloom.openflow.protocol.OpenFlowCodec.zeros;

import io.netloom.openflow.match.Match;
import io.netloom.openflow.match.OxmTlv;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the {@code ofp_match} of OpenFlow 1.3 (type OXM, padded to 8 bytes) and its OXM entries.
 * Stateless and thread-safe.
 */
public final class MatchCodec {
    private static final int OFPMT_OXM = 1;

    private MatchCodec() {
    }

    /**
     * @param match a match
     * @return the length of its {@code ofp_match}, padding included
     */
    public static int length(Match match) {
        return pad8(4 + match.oxmLength());
    }

    /**
     * Encodes an {@code ofp_match} of type OXM, padded with zeros to a multiple of 8 bytes.
     *
     * @param match the match
     * @param out the buffer
     */
    public static void encode(Match match, ByteBuffer out) {
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
    public static byte[] encode(Match match) {
        ByteBuffer buf = ByteBuffer.allocate(length(match));
        encode(match, buf);
        return buf.array();
    }

    static void encodeOxm(OxmTlv t, ByteBuffer out) {
        out.putInt(t.header()).put(t.value());
        if (t.hasMask()) {
            out.put(t.mask());
        }
    }

    /**
     * Decodes an {@code ofp_match} at the buffer's position, consuming its padding.
     *
     * @param b the buffer
     * @return the match, entries in wire order
     * @throws OpenFlowProtocolException when the match is not of OXM type or is malformed
     */
    public static Match decode(ByteBuffer b) throws OpenFlowProtocolException {
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

    static OxmTlv decodeOxm(ByteBuffer b) throws OpenFlowProtocolException {
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
}
