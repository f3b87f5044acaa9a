package io.netloom.openflow.protocol;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.netloom.openflow.action.Action;
import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.action.Ports;
import io.netloom.openflow.match.CtState;
import io.netloom.openflow.match.Match;
import io.netloom.openflow.match.MatchPrerequisiteException;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.match.OxmTlv;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/**
 * Byte-exact encodings checked against the structures in Open vSwitch's {@code openflow-1.3.h},
 * {@code nicira-ext.h} and {@code ofp-actions.c} (and decoded back by {@code ovs-ofctl ofp-print} while writing them).
 */
public class OpenFlowCodecTest {

    /** Every concrete type of a sealed family, through nested sealed interfaces. */
    private static void concrete(Class<?> type, Set<Class<?>> into) {
        if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                concrete(permitted, into);
            }
        } else {
            into.add(type);
        }
    }

    @Test
    public void everyMessageInstructionAndActionTypeHasAnEncoder() {
        Set<Class<?>> types = new HashSet<>();
        concrete(OpenFlowMessage.class, types);
        concrete(Instruction.class, types);
        concrete(Action.class, types);
        assertTrue("at least the types known today", types.size() >= 14 + 5 + 6);
        Set<Class<?>> missing = new HashSet<>(types);
        missing.removeAll(OpenFlowCodec.writtenTypes());
        assertEquals("types without an encoder", Set.of(), missing);
    }

    @Test
    public void rawBytesAreCopiedInAndOutAndComparedByContent() {
        byte[] payload = {1, 2, 3};
        EchoRequest echo = new EchoRequest(payload);
        payload[0] = 9;
        assertEquals(new EchoRequest(new byte[] {1, 2, 3}), echo);
        echo.data().toArray()[1] = 9;
        assertEquals(new EchoRequest(new byte[] {1, 2, 3}).hashCode(), echo.hashCode());
        assertEquals(new Action.Unknown(7, new byte[] {0, 7, 0, 8}), new Action.Unknown(7, new byte[] {0, 7, 0, 8}));
        assertFalse(new UnknownMessage(9, new byte[] {1}).equals(new UnknownMessage(9, new byte[] {2})));
        assertEquals("Unknown[type=7, bytes=00070008]", new Instruction.Unknown(7, new byte[] {0, 7, 0, 8}).toString());
    }

    @Test
    public void aTypeWithoutAnEncoderIsRefusedNotWrittenWithAGuessedLength() {
        Writers<Object> none = new Writers<>("thing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none.length("x"));
        assertTrue(e.getMessage(), e.getMessage().contains("No encoder for the thing java.lang.String"));
    }
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String spaced) {
        return HEX.parseHex(spaced.replace(" ", ""));
    }

    private static void assertHex(String expected, byte[] actual) {
        assertEquals(expected.replace(" ", ""), HEX.formatHex(actual));
    }

    @Test
    public void helloCarriesAVersionBitmapWithOnlyOpenFlow13() {
        assertHex("04 00 0010 00000001" + " 0001 0008 00000010", OpenFlowCodec.encode(Hello.openFlow13(), 1));
    }

    @Test
    public void flowModWithMaskedIpv4DstAndGotoTable() {
        FlowMod mod = FlowMod.add(0).priority(10)
                .match(Match.builder().set(OxmField.IPV4_DST, "10.1.0.0/16").ethType(0x0800).build())
                .instructions(Instruction.gotoTable(3)).build();
        assertHex("04 0e 0050 00000002"
                + " 0000000000000000 0000000000000000" // cookie, cookie_mask
                + " 00 00 0000 0000 000a" // table 0, ADD, idle, hard, priority 10
                + " ffffffff ffffffff ffffffff 0000 0000" // NO_BUFFER, out_port ANY, out_group ANY, flags, pad
                + " 0001 0016 80000a02 0800 80001908 0a010000 ffff0000 0000" // OXM match of 22 bytes, padded to 24
                + " 0001 0008 03 000000", // goto_table:3
                OpenFlowCodec.encode(mod, 2));
    }

    @Test
    public void setFieldIsPaddedToEightBytes() {
        assertHex("0019 0010 80000806 aabbccddeeff 0000",
                ActionCodec.encodeAction(Action.setField(OxmField.ETH_SRC, "aa:bb:cc:dd:ee:ff")));
        assertHex("0019 0010 80002a02 0002 000000000000",
                ActionCodec.encodeAction(Action.setField(OxmField.ARP_OP, 2)));
        assertHex("0019 0010 00010a04 00000007 00000000",
                ActionCodec.encodeAction(Action.setField(OxmField.REG5, 7)));
        assertHex("0019 0010 80010008 0000000000000001",
                ActionCodec.encodeAction(Action.setField(OxmField.XREG0, 1)));
        assertHex("0019 0018 80003610 fd000000000000000000000000000001",
                ActionCodec.encodeAction(Action.setField(OxmField.IPV6_DST, "fd00::1")));
    }

    @Test
    public void tunnelFieldsAreSetWithTheirOxmHeaders() {
        // OFPXMT_OFB_TUNNEL_ID: class 0x8000, field 38, 8 bytes; VNI 5001.
        assertHex("0019 0010 80004c08 0000000000001389",
                ActionCodec.encodeAction(Action.setField(OxmField.TUNNEL_ID, 5001)));
        // NXM_NX_TUN_IPV4_DST: class 0x0001, field 32, 4 bytes.
        assertHex("0019 0010 00014004 0ac8fa02 00000000",
                ActionCodec.encodeAction(Action.setField(OxmField.TUN_IPV4_DST, "10.200.250.2")));
    }

    @Test
    public void tunnelFieldsMatchAndSurviveARoundTrip() throws Exception {
        Match m = Match.builder().set(OxmField.TUNNEL_ID, 5001).inPort(9)
                .set(OxmField.TUN_IPV4_DST, "10.200.250.0/24").build();
        assertEquals(List.of(OxmField.IN_PORT, OxmField.TUNNEL_ID, OxmField.TUN_IPV4_DST),
                m.fields().stream().map(t -> t.knownField().orElseThrow()).toList());
        assertHex("0001 0024 80000004 00000009 80004c08 0000000000001389 00014108 0ac8fa00 ffffff00 00000000",
                MatchCodec.encode(m));
        assertEquals(m, MatchCodec.decode(ByteBuffer.wrap(MatchCodec.encode(m))));
        assertEquals("tun_ipv4_dst=10.200.250.0/255.255.255.0", m.get(OxmField.TUN_IPV4_DST).get().toString());
        FlowMod mod = FlowMod.add(0).priority(5).match(m)
                .instructions(Instruction.applyActions(Action.setField(OxmField.TUNNEL_ID, 7),
                        Action.setField(OxmField.TUN_IPV4_DST, "10.200.250.3"), Action.output(4)))
                .build();
        assertEquals(mod, OpenFlowCodec.decode(OpenFlowCodec.encode(mod, 3)).message());
    }

    @Test
    public void nxmTunIdHeaderDecodesAsTunnelId() throws Exception {
        // NXM_NX_TUN_ID (class 0x0001, field 16), as Open vSwitch may write it, is the same field.
        Match m = MatchCodec.decode(ByteBuffer.wrap(hex("0001 0010 00012008 0000000000000063")));
        OxmTlv tunId = m.fields().get(0);
        assertEquals(OxmField.TUNNEL_ID, tunId.knownField().orElseThrow());
        assertEquals(99, tunId.longValue());
    }

    @Test
    public void nxRegMoveCopiesWholeFields() {
        assertHex("ffff 0018 00002320 0006 0030 0000 0000 80000806 80000606",
                ActionCodec.encodeAction(Action.move(OxmField.ETH_SRC, OxmField.ETH_DST)));
        assertHex("ffff 0018 00002320 0006 0020 0000 0000 80001804 00010a04",
                ActionCodec.encodeAction(Action.move(OxmField.IPV4_DST, OxmField.REG5)));
        assertHex("ffff 0018 00002320 0006 0008 0000 0010 00010004 80010008",
                ActionCodec.encodeAction(Action.move(OxmField.REG0, 0, OxmField.XREG0, 16, 8)));
    }

    @Test
    public void nxConntrackCommitInZone5() {
        assertHex("ffff 0018 00002320 0023 0001 00000000 0005 ff 000000 0000",
                ActionCodec.encodeAction(Action.ctCommit(5)));
        assertHex("ffff 0018 00002320 0023 0000 00000000 0005 02 000000 0000",
                ActionCodec.encodeAction(Action.ct(5, 2)));
        Action nested = new Action.Conntrack(Action.Conntrack.COMMIT, 7, Action.Conntrack.NO_RECIRC, 0,
                List.of(Action.setField(OxmField.REG5, 1)));
        assertHex("ffff 0028 00002320 0023 0001 00000000 0007 ff 000000 0000"
                + " 0019 0010 00010a04 00000001 00000000", ActionCodec.encodeAction(nested));
    }

    @Test
    public void bundleControlAndAddUseTheOnfExperimenter() {
        assertHex("04 04 0018 00000005 4f4e4600 000008fc 00000007 0000 0003",
                OpenFlowCodec.encode(new BundleControl(7, BundleControl.OPEN_REQUEST,
                        BundleControl.ATOMIC | BundleControl.ORDERED), 5));
        assertHex("04 04 0018 00000006 4f4e4600 000008fc 00000007 0004 0001",
                OpenFlowCodec.encode(new BundleControl(7, BundleControl.COMMIT_REQUEST, BundleControl.ATOMIC), 6));
        FlowMod delete = FlowMod.deleteByCookie(0x1200, 0xff00);
        byte[] add = OpenFlowCodec.encode(new BundleAdd(7, 3, delete), 9);
        assertHex("04 04 0050 00000009 4f4e4600 000008fd 00000007 0000 0003"
                + " 04 0e 0038 00000009" // the inner message repeats the outer xid
                + " 0000000000001200 000000000000ff00 ff 03 0000 0000 8000"
                + " ffffffff ffffffff ffffffff 0000 0000 0001 0004 00000000", add);
    }

    @Test
    public void flowStatsRequestForAllTables() {
        assertHex("04 12 0038 00000007 0001 0000 00000000"
                + " ff 000000 ffffffff ffffffff 00000000 0000000000001200 000000000000ff00"
                + " 0001 0004 00000000",
                OpenFlowCodec.encode(FlowStatsRequest.byCookie(0x1200, 0xff00), 7));
    }

    @Test
    public void multipartFlowStatsReplyDecodesAndJoins() throws Exception {
        byte[] part1 = hex("04 13 00a0 00000009 0001 0001 00000000"
                + " 0090 01 00 0000000a 00000064 0064 0000 0000 0000 00000000"
                + " 00000000000000a1 0000000000000003 00000000000000b4"
                + " 0001 0022 80000a02 0806 00010b08 00000007 0000000f 0001d308 00000021 00000021 000000000000"
                + " 0001 0008 02 000000"
                + " 0004 0030 00000000"
                + " 0000 0010 fffffff8 ffff 000000000000"
                + " ffff 0018 00002320 0006 0030 0000 0000 00000406 00000206");
        byte[] part2 = hex("04 13 0060 00000009 0001 0000 00000000"
                + " 0050 00 00 00000001 00000000 0000 0000 0000 0000 00000000"
                + " 0000000000000000 0000000000000000 0000000000000000"
                + " 0001 0004 00000000"
                + " 0003 0018 00000000 0000 0010 00000001 0000 000000000000");
        ByteBuffer stream = ByteBuffer.allocate(part1.length + part2.length).put(part1).put(part2).flip();
        Frame f1 = OpenFlowCodec.decode(stream);
        Frame f2 = OpenFlowCodec.decode(stream);
        assertFalse(stream.hasRemaining());
        assertEquals(9, f1.xid());
        FlowStatsReply r1 = (FlowStatsReply) f1.message();
        FlowStatsReply r2 = (FlowStatsReply) f2.message();
        assertTrue(r1.more());
        assertFalse(r2.more());

        List<FlowStats> all = FlowStatsReply.join(List.of(r1, r2)).stats();
        assertEquals(2, all.size());
        FlowStats s = all.get(0);
        assertEquals(1, s.tableId());
        assertEquals(100, s.priority());
        assertEquals(0xa1, s.cookie());
        assertEquals(3, s.packetCount());
        assertEquals(180, s.byteCount());
        assertEquals(10_000_000_100L, s.duration().toNanos());
        assertEquals(List.of(OxmTlv.of(OxmField.ETH_TYPE, 0x0806), OxmTlv.of(OxmField.REG5, 7, 0xf),
                OxmTlv.of(OxmField.CT_STATE, 0x21, 0x21)), s.match().fields());
        assertEquals(CtState.parse("+new+trk").value(), (int) s.match().get(OxmField.CT_STATE).get().longValue());
        // NXM headers (as Open vSwitch encodes NXAST_REG_MOVE) decode to the same fields as OXM headers.
        assertEquals(List.of(Instruction.gotoTable(2), Instruction.applyActions(
                new Action.Output(Ports.IN_PORT, 0xffff), Action.move(OxmField.ETH_SRC, OxmField.ETH_DST))),
                s.instructions());
        assertEquals(8 + 48, s.rawInstructions().length);

        FlowStats miss = all.get(1);
        assertEquals(Match.ALL, miss.match());
        assertEquals(1, miss.instructions().size());
        Instruction.Unknown writeActions = (Instruction.Unknown) miss.instructions().get(0);
        assertEquals(3, writeActions.type());
        assertArrayEquals(miss.rawInstructions(), writeActions.bytes().toArray());
    }

    @Test
    public void matchEntriesAreEncodedInPrerequisiteOrder() {
        Match m = Match.builder()
                .set(OxmField.TCP_DST, 443)
                .ctState(CtState.parse("+trk+est"))
                .set(OxmField.IPV4_DST, "192.168.1.0/24")
                .ipProto(6)
                .ethType(0x0800)
                .reg(3, 1)
                .inPort(2)
                .build();
        assertEquals(List.of(OxmField.IN_PORT, OxmField.REG3, OxmField.CT_STATE, OxmField.ETH_TYPE,
                OxmField.IP_PROTO, OxmField.IPV4_DST, OxmField.TCP_DST),
                m.fields().stream().map(t -> t.knownField().orElseThrow()).toList());
        assertHex("0001 003d 80000004 00000002 00010604 00000001 0001d308 00000022 00000022"
                + " 80000a02 0800 80001401 06 80001908 c0a80100 ffffff00 80001c02 01bb 000000",
                MatchCodec.encode(m));
    }

    @Test(expected = MatchPrerequisiteException.class)
    public void transportPortWithoutIpProtoIsRejected() {
        Match.builder().ethType(0x0800).set(OxmField.TCP_DST, 80).build();
    }

    @Test(expected = MatchPrerequisiteException.class)
    public void arpFieldUnderIpv4EthTypeIsRejected() {
        Match.builder().ethType(0x0800).set(OxmField.ARP_TPA, "10.0.0.1").build();
    }

    @Test(expected = IllegalArgumentException.class)
    public void maskOnAnUnmaskableFieldIsRejected() {
        Match.builder().set(OxmField.IN_PORT, 1, 0xf);
    }

    @Test
    public void flowModSurvivesARoundTrip() throws Exception {
        FlowMod mod = FlowMod.add(4).cookie(0x42).priority(7).idleTimeout(30).flags(FlowMod.SEND_FLOW_REM)
                .match(Match.builder().ethType(0x0806).set(OxmField.ARP_SPA, "10.0.0.0/8")
                        .set(OxmField.ARP_SHA, "02:00:00:00:00:01").xreg(3, 0x1234, 0xffff).build())
                .instructions(Instruction.applyActions(Action.decNwTtl(), Action.ct(9, 5),
                        Action.move(OxmField.ARP_SHA, OxmField.ARP_THA), Action.output(Ports.CONTROLLER)),
                        Instruction.clearActions(), Instruction.writeMetadata(1, 1), Instruction.gotoTable(9))
                .build();
        Frame f = OpenFlowCodec.decode(OpenFlowCodec.encode(mod, 77));
        assertEquals(77, f.xid());
        assertEquals(mod, f.message());
        BundleAdd add = new BundleAdd(3, 1, mod);
        assertEquals(add, OpenFlowCodec.decode(OpenFlowCodec.encode(add, 5)).message());
    }

    @Test
    public void experimenterErrorsNameBundleFailures() throws Exception {
        byte[] bytes = hex("04 01 0018 0000000d ffff 0909 4f4e4600 04040018 0000000d");
        ErrorMessage e = (ErrorMessage) OpenFlowCodec.decode(bytes).message();
        assertEquals("OFPBFC_MSG_FAILED", e.codeName());
        assertEquals(Integer.valueOf(4), e.failedMessageType().orElseThrow());
        ErrorMessage bad = (ErrorMessage) OpenFlowCodec.decode(hex("04 01 000c 00000003 0003 0002")).message();
        assertEquals("OFPBIC_BAD_TABLE_ID", bad.codeName());
    }
}
