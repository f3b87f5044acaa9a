package io.netloom.openflow;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netloom.openflow.action.Action;
import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.action.Ports;
import io.netloom.openflow.match.CtState;
import io.netloom.openflow.match.Match;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.match.OxmTlv;
import io.netloom.openflow.protocol.FlowMod;
import io.netloom.openflow.protocol.FlowStats;
import io.netloom.openflow.protocol.FlowStatsRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/** Runs the channel against a real userspace Open vSwitch; skipped when Open vSwitch is not installed. */
public class OpenFlowChannelOvsTest {
    private static final String BRIDGE = "brt0";
    private static final String FRESH_BRIDGE = "brt1";
    private static final String ROUTER_MAC = "aa:bb:cc:dd:ee:ff";
    private static OvsFixture ovs;

    private OpenFlowChannel channel;

    @BeforeClass
    public static void startOvs() throws Exception {
        Assume.assumeTrue("needs Open vSwitch installed and root", OvsFixture.available());
        ovs = OvsFixture.start(BRIDGE);
    }

    @AfterClass
    public static void stopOvs() {
        if (ovs != null) {
            ovs.close();
        }
    }

    @Before
    public void connect() throws Exception {
        ovs.ofctl("del-flows", ovs.endpoint(BRIDGE));
        channel = OpenFlowChannel.connect(ovs.endpoint(BRIDGE));
    }

    @After
    public void disconnect() {
        if (channel != null) {
            channel.close();
        }
    }

    @Test
    public void handshakeReadsTheDatapathIdOvsdbReports() throws Exception {
        String fromDb = ovs.vsctl("get", "bridge", BRIDGE, "datapath_id").trim().replace("\"", "");
        assertEquals(fromDb, channel.features().datapathIdHex());
        assertEquals(Long.parseUnsignedLong(fromDb, 16), channel.datapathId());
        assertTrue(channel.features().tables() > 200);
    }

    @Test
    public void barrierAndEchoComplete() throws Exception {
        channel.barrier().get(5, TimeUnit.SECONDS);
        assertTrue(channel.echo().get(5, TimeUnit.SECONDS).toMillis() < 5000);
    }

    @Test
    public void pipelineInstalledAtomicallyIsAcceptedAsWritten() throws Exception {
        List<FlowMod> pipeline = pipeline();
        channel.atomically(pipeline).get(10, TimeUnit.SECONDS);

        Map<String, String> dumped = dumpFlows(BRIDGE);
        // Open vSwitch prints instructions in OpenFlow execution order (apply before clear) and xreg0 as the
        // 32-bit registers it overlays.
        Map<String, String> expected = new TreeMap<>();
        expected.put("cookie=0xa1, table=0", "priority=100,arp,arp_tpa=10.0.0.1,arp_op=1 actions="
                + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:aa:bb:cc:dd:ee:ff->eth_src,"
                + "set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                + "set_field:aa:bb:cc:dd:ee:ff->arp_sha,move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                + "set_field:10.0.0.1->arp_spa,IN_PORT");
        expected.put("cookie=0xa2, table=0", "priority=90,ip,in_port=1 actions=write_metadata:0x5/0xff,"
                + "goto_table:1");
        expected.put("cookie=0xa3, table=1", "priority=50,ip,reg0=0,reg1=0x2a,reg5=0x7/0xf,metadata=0x5/0xff "
                + "actions=ct(table=2,zone=5)");
        expected.put("cookie=0xa4, table=2", "priority=40,ct_state=+new+trk,tcp,tp_dst=0x50/0xfff0 "
                + "actions=ct(commit,zone=5),output:2");
        expected.put("cookie=0xa5, table=2", "priority=30,ct_state=+est+trk,ct_zone=5,ip,nw_src=10.0.0.0/8 "
                + "actions=dec_ttl,move:NXM_OF_IP_DST[]->NXM_NX_REG5[],output:2");
        expected.put("cookie=0xa6, table=3", "priority=20,icmp6,ipv6_dst=fd00::/64,icmp_type=135 "
                + "actions=output:1");
        expected.put("cookie=0xa7, table=3", "priority=20,udp,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,"
                + "nw_src=10.1.0.0/16,tp_dst=53 actions=output:3,clear_actions");
        expected.put("cookie=0xa8, table=3", "priority=20,icmp,icmp_type=8,icmp_code=0 actions=output:1");
        assertEquals(expected, dumped);

        List<FlowStats> stats = channel.flowStats(FlowStatsRequest.all()).get(10, TimeUnit.SECONDS);
        assertEquals(pipeline.size(), stats.size());
        for (FlowMod mod : pipeline) {
            FlowStats s = stats.stream().filter(x -> x.cookie() == mod.cookie()).findFirst().orElseThrow();
            assertEquals(mod.tableId(), s.tableId());
            assertEquals(mod.priority(), s.priority());
            assertEquals(mod.instructions().stream().map(Object::toString).sorted().collect(Collectors.toList()),
                    s.instructions().stream().map(Object::toString).sorted().collect(Collectors.toList()));
            Set<OxmTlv> sent = new HashSet<>(mod.match().fields());
            Set<OxmTlv> got = new HashSet<>(s.match().fields());
            if (mod.match().get(OxmField.XREG0).isPresent()) {
                // Open vSwitch reports xreg0 as the two registers it overlays.
                sent.remove(mod.match().get(OxmField.XREG0).get());
                sent.add(OxmTlv.of(OxmField.REG0, 0));
                sent.add(OxmTlv.of(OxmField.REG1, 42));
            }
            assertEquals("match of cookie 0x" + Long.toHexString(mod.cookie()), sent, got);
        }
    }

    @Test
    public void deleteByCookieAcrossAllTablesRemovesExactlyThoseFlows() throws Exception {
        List<FlowMod> mods = new ArrayList<>();
        for (int table = 0; table < 3; table++) {
            for (int i = 0; i < 4; i++) {
                Match m = Match.builder().ethType(0x0800).set(OxmField.IPV4_DST, "10.9." + table + "." + i).build();
                mods.add(FlowMod.add(table).cookie(0xab00 + i).priority(10).match(m)
                        .instructions(Instruction.applyActions(Action.output(1))).build());
                mods.add(FlowMod.add(table).cookie(0xcd00 + i).priority(20).match(m)
                        .instructions(Instruction.applyActions(Action.output(2))).build());
            }
        }
        channel.atomically(mods).get(10, TimeUnit.SECONDS);
        assertEquals(24, channel.flowStats(FlowStatsRequest.all()).get(10, TimeUnit.SECONDS).size());

        channel.sendConfirmed(List.of(FlowMod.deleteByCookie(0xab00, 0xff00))).get(10, TimeUnit.SECONDS);

        List<FlowStats> left = channel.flowStats(FlowStatsRequest.all()).get(10, TimeUnit.SECONDS);
        assertEquals(12, left.size());
        assertTrue(left.stream().allMatch(s -> (s.cookie() & 0xff00) == 0xcd00));
        assertEquals(Set.of(0, 1, 2), left.stream().map(FlowStats::tableId).collect(Collectors.toSet()));
        assertEquals(12, channel.flowStats(FlowStatsRequest.byCookie(0xcd00, 0xff00)).get(10, TimeUnit.SECONDS)
                .size());
        assertEquals(12, ovs.flowCount(BRIDGE));
    }

    @Test
    public void flowRejectedWhileAddingDiscardsTheWholeBundle() throws Exception {
        channel.atomically(List.of(simpleFlow(0, 0x11, "10.5.0.1", 1))).get(10, TimeUnit.SECONDS);
        List<FlowMod> bundle = List.of(
                simpleFlow(0, 0x22, "10.5.0.2", 1),
                FlowMod.builder(FlowMod.Command.DELETE).table(FlowMod.ALL_TABLES).cookie(0x11).cookieMask(-1L).build(),
                FlowMod.add(3).cookie(0x33).priority(5).instructions(Instruction.gotoTable(1)).build(),
                simpleFlow(0, 0x44, "10.5.0.4", 1));
        OpenFlowErrorException error = expectError(channel, bundle);
        System.out.println("add-time rejection: " + error.getMessage());
        assertEquals("OFPBIC_BAD_TABLE_ID", error.codeName());
        assertEquals(List.of(0x11L), cookies());
        assertTrue(channel.isOpen());
        channel.barrier().get(5, TimeUnit.SECONDS);
    }

    @Test
    public void flowFailingAtCommitLeavesPreviousFlowsUntouched() throws Exception {
        channel.atomically(List.of(simpleFlow(0, 0x11, "10.6.0.1", 1))).get(10, TimeUnit.SECONDS);
        FlowMod overlapping = FlowMod.add(0).cookie(0x33).priority(100).flags(FlowMod.CHECK_OVERLAP)
                .match(Match.builder().ethType(0x0800).set(OxmField.IPV4_DST, "10.6.0.0/16").build())
                .instructions(Instruction.applyActions(Action.output(2))).build();
        List<FlowMod> bundle = List.of(
                simpleFlow(0, 0x22, "10.6.0.2", 1),
                FlowMod.builder(FlowMod.Command.DELETE).table(FlowMod.ALL_TABLES).cookie(0x11).cookieMask(-1L).build(),
                simpleFlow(0, 0x55, "10.6.0.1", 2),
                overlapping);
        OpenFlowErrorException error = expectError(channel, bundle);
        System.out.println("commit-time rejection: " + error.getMessage() + " suppressed "
                + List.of(error.getSuppressed()));
        assertEquals("OFPFMFC_OVERLAP", error.codeName());
        assertEquals(List.of(0x11L), cookies());
        assertTrue(channel.isOpen());
    }

    @Test
    public void closeFailsNothingLaterAndLeavesNoThread() throws Exception {
        channel.barrier().get(5, TimeUnit.SECONDS);
        assertTrue(threadNames().stream().anyMatch(n -> n.equals("openflow-" + ovs.endpoint(BRIDGE))));
        List<String> closedWith = new ArrayList<>();
        channel.onClose((c, cause) -> closedWith.add(cause.map(Throwable::getMessage).orElse("by user")));
        channel.close();
        assertEquals(List.of("by user"), closedWith);
        assertFalse(channel.isOpen());
        assertEquals(List.of(), threadNames().stream().filter(n -> n.startsWith("openflow-"))
                .collect(Collectors.toList()));
        try {
            channel.barrier().get(5, TimeUnit.SECONDS);
            fail("barrier on a closed channel");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof OpenFlowConnectionException);
        }
    }

    @Test
    public void hundredThousandFlowsInOneBundleComparedWithOvsOfctl() throws Exception {
        int n = 100_000;
        List<FlowMod> mods = new ArrayList<>(n);
        StringBuilder file = new StringBuilder(n * 64);
        for (int i = 0; i < n; i++) {
            String ip = "10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
            mods.add(simpleFlow(0, 0, ip, 1));
            file.append("table=0,priority=100,ip,nw_dst=").append(ip).append(",actions=output:1\n");
        }
        long start = System.nanoTime();
        channel.atomically(mods).get(120, TimeUnit.SECONDS);
        long ours = System.nanoTime() - start;
        assertEquals(n, ovs.flowCount(BRIDGE));
        long statsStart = System.nanoTime();
        assertEquals(n, channel.flowStats(FlowStatsRequest.table(0)).get(60, TimeUnit.SECONDS).size());
        long stats = System.nanoTime() - statsStart;

        ovs.addBridge(FRESH_BRIDGE);
        Path flows = ovs.dir().resolve("flows.txt");
        Files.writeString(flows, file);
        start = System.nanoTime();
        ovs.ofctl("--bundle", "add-flows", ovs.endpoint(FRESH_BRIDGE), flows.toString());
        long ofctl = System.nanoTime() - start;
        assertEquals(n, ovs.flowCount(FRESH_BRIDGE));
        System.out.printf("100000 flows in one atomic bundle: OpenFlowChannel.atomically %d ms, "
                + "ovs-ofctl --bundle add-flows %d ms (reading them back with flowStats: %d ms)%n",
                ours / 1_000_000, ofctl / 1_000_000, stats / 1_000_000);
    }

    private static List<FlowMod> pipeline() {
        Match arpRequest = Match.builder().ethType(0x0806).set(OxmField.ARP_OP, 1)
                .set(OxmField.ARP_TPA, "10.0.0.1").build();
        FlowMod arpResponder = FlowMod.add(0).cookie(0xa1).priority(100).match(arpRequest)
                .instructions(Instruction.applyActions(
                        Action.move(OxmField.ETH_SRC, OxmField.ETH_DST),
                        Action.setField(OxmField.ETH_SRC, ROUTER_MAC),
                        Action.setField(OxmField.ARP_OP, 2),
                        Action.move(OxmField.ARP_SHA, OxmField.ARP_THA),
                        Action.setField(OxmField.ARP_SHA, ROUTER_MAC),
                        Action.move(OxmField.ARP_SPA, OxmField.ARP_TPA),
                        Action.setField(OxmField.ARP_SPA, "10.0.0.1"),
                        Action.output(Ports.IN_PORT)))
                .build();
        FlowMod classify = FlowMod.add(0).cookie(0xa2).priority(90)
                .match(Match.builder().inPort(1).ethType(0x0800).build())
                .instructions(Instruction.writeMetadata(5, 0xff), Instruction.gotoTable(1)).build();
        FlowMod track = FlowMod.add(1).cookie(0xa3).priority(50)
                .match(Match.builder().ethType(0x0800).metadata(5, 0xff).xreg(0, 42).reg(5, 7, 0xf).build())
                .instructions(Instruction.applyActions(Action.ct(5, 2))).build();
        FlowMod commitNew = FlowMod.add(2).cookie(0xa4).priority(40)
                .match(Match.builder().ctState(CtState.parse("+trk+new")).ethType(0x0800).ipProto(6)
                        .set(OxmField.TCP_DST, 0x50, 0xfff0).build())
                .instructions(Instruction.applyActions(Action.ctCommit(5), Action.output(2))).build();
        FlowMod established = FlowMod.add(2).cookie(0xa5).priority(30)
                .match(Match.builder().ctState(CtState.of(CtState.TRACKED | CtState.ESTABLISHED, 0)).ctZone(5)
                        .ethType(0x0800).set(OxmField.IPV4_SRC, "10.0.0.0/8").build())
                .instructions(Instruction.applyActions(Action.decNwTtl(),
                        Action.move(OxmField.IPV4_DST, OxmField.REG5), Action.output(2)))
                .build();
        FlowMod neighbourSolicitation = FlowMod.add(3).cookie(0xa6).priority(20)
                .match(Match.builder().ethType(0x86dd).ipProto(58).set(OxmField.IPV6_DST, "fd00::/64")
                        .set(OxmField.ICMPV6_TYPE, 135).build())
                .instructions(Instruction.applyActions(Action.output(1))).build();
        FlowMod dns = FlowMod.add(3).cookie(0xa7).priority(20)
                .match(Match.builder().ethType(0x0800).ipProto(17).set(OxmField.UDP_DST, 53)
                        .set(OxmField.IPV4_SRC, "10.1.0.0/255.255.0.0")
                        .set(OxmField.ETH_DST, "01:00:00:00:00:00/01:00:00:00:00:00").build())
                .instructions(Instruction.clearActions(), Instruction.applyActions(Action.output(3))).build();
        FlowMod ping = FlowMod.add(3).cookie(0xa8).priority(20)
                .match(Match.builder().ethType(0x0800).ipProto(1).set(OxmField.ICMPV4_TYPE, 8)
                        .set(OxmField.ICMPV4_CODE, 0).build())
                .instructions(Instruction.applyActions(Action.output(1))).build();
        return List.of(arpResponder, classify, track, commitNew, established, neighbourSolicitation, dns, ping);
    }

    private static FlowMod simpleFlow(int table, long cookie, String ipv4Dst, long port) {
        return FlowMod.add(table).cookie(cookie).priority(100)
                .match(Match.builder().ethType(0x0800).set(OxmField.IPV4_DST, ipv4Dst).build())
                .instructions(Instruction.applyActions(Action.output(port))).build();
    }

    private static OpenFlowErrorException expectError(OpenFlowChannel ch, List<FlowMod> bundle) throws Exception {
        try {
            ch.atomically(bundle).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OpenFlowErrorException error) {
                return error;
            }
            throw e;
        }
        throw new AssertionError("the bundle was committed");
    }

    private List<Long> cookies() throws Exception {
        return channel.flowStats(FlowStatsRequest.all()).get(10, TimeUnit.SECONDS).stream().map(FlowStats::cookie)
                .sorted().collect(Collectors.toList());
    }

    /** @return {@code cookie=…, table=…} mapped to the rest of each {@code dump-flows} line, counters removed */
    private static Map<String, String> dumpFlows(String bridge) throws Exception {
        Map<String, String> flows = new TreeMap<>();
        for (String line : ovs.ofctl("dump-flows", ovs.endpoint(bridge)).split("\n")) {
            line = line.trim();
            if (!line.startsWith("cookie=")) {
                continue;
            }
            line = line.replaceAll("duration=[0-9.]+s, ", "").replaceAll("n_packets=\\d+, n_bytes=\\d+, ", "");
            int split = line.indexOf(", ", line.indexOf("table="));
            flows.put(line.substring(0, split), line.substring(split + 2));
        }
        return flows;
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
