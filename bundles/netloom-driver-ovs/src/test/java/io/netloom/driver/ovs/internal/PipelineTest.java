package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class PipelineTest {

    private static final PortEntry PORT = new PortEntry("p1", "n1", "s1", "10.200.1.5", "02:00:00:00:00:05",
            "10.200.1.1", "netns", "ns1");

    @Test
    public void portRangesSplitIntoTheFewestExactBlocks() {
        for (int[] range : new int[][] {{80, 80}, {1, 65535}, {1000, 2000}, {0, 0}, {49152, 65535}, {7, 9}}) {
            List<long[]> blocks = Pipeline.portBlocks(range[0], range[1]);
            List<Integer> covered = new ArrayList<>();
            for (long[] b : blocks) {
                for (int p = 0; p <= 65535; p++) {
                    if ((p & b[1]) == b[0]) {
                        covered.add(p);
                    }
                }
            }
            assertEquals("range " + range[0] + "-" + range[1], range[1] - range[0] + 1, covered.size());
            assertTrue(covered.stream().allMatch(p -> p >= range[0] && p <= range[1]));
        }
        assertEquals(1, Pipeline.portBlocks(1024, 2047).size());
        assertEquals(1, Pipeline.portBlocks(80, 81).size());
        assertEquals(16, Pipeline.portBlocks(1, 65535).size());
    }

    @Test
    public void everyFlowOfAnEntryCarriesItsCookieUnderNetloomsPrefix() {
        List<FlowSpec> flows = Pipeline.flows(PORT, Optional.of(7));
        long cookie = Pipeline.cookie(PORT.key());
        assertEquals(Pipeline.COOKIE_PREFIX, cookie & Pipeline.COOKIE_PREFIX_MASK);
        assertNotEquals(Pipeline.BASE_COOKIE, cookie);
        assertTrue(flows.stream().allMatch(f -> f.cookie() == cookie));
        assertEquals(10, flows.size());
        // An unbound port only answers ARP and can be looked up; it has no OpenFlow port to send from or to.
        assertEquals(3, Pipeline.flows(PORT, Optional.empty()).size());
        assertTrue(flows.stream().anyMatch(f -> f.toString().contains("ct(zone=7,table=21)")));
        assertTrue(flows.stream().anyMatch(f -> f.toString().contains("ct(commit,zone=7),output:7")));
    }

    @Test
    public void lowerRulePriorityWinsAndDenyWinsAtEqualPriority() {
        int allow10 = priority(rule(RuleAction.ALLOW, 10));
        int deny10 = priority(rule(RuleAction.DENY, 10));
        int allow5 = priority(rule(RuleAction.ALLOW, 5));
        int deny4096 = priority(rule(RuleAction.DENY, 4096));
        assertTrue(deny10 > allow10);
        assertTrue(allow5 > deny10);
        assertTrue(deny4096 > 1 && deny4096 < 65000);
        List<FlowSpec> deny = Pipeline.flows(new FilterEntry(rule(RuleAction.DENY, 10)), Optional.empty());
        assertTrue(deny.stream().allMatch(f -> f.actions().isEmpty() && f.gotoTable() == null));
    }

    @Test
    public void anyProtocolWithAPortRangeMatchesTcpAndUdpOnly() {
        FilterRule any = new FilterRule("g/r", "p1", Direction.INGRESS, Protocol.ANY, 80, 81, "10.0.0.0/8",
                RuleAction.ALLOW, 1000);
        List<FlowSpec> flows = Pipeline.flows(new FilterEntry(any), Optional.empty());
        assertEquals(2, flows.size()); // 80-81 is one masked block, for tcp and for udp
        assertTrue(flows.stream().allMatch(f -> f.table() == Pipeline.INGRESS_FILTER
                && f.gotoTable() == Pipeline.OUTPUT));
        FilterRule icmpRanged = new FilterRule("g/r", "p1", Direction.INGRESS, Protocol.ICMP, 80, 81, "0.0.0.0/0",
                RuleAction.ALLOW, 1000);
        assertEquals(0, Pipeline.flows(new FilterEntry(icmpRanged), Optional.empty()).size());
    }

    @Test
    public void longerPrefixesRouteFirstAndPeeringSwitchesNetwork() {
        FlowSpec wide = Pipeline.flows(new RouteEntry("n1", "10.200.0.0/16", "local", null, false),
                Optional.empty()).get(0);
        FlowSpec narrow = Pipeline.flows(new RouteEntry("n1", "10.200.16.0/20", "peering:x", "n2", false),
                Optional.empty()).get(0);
        assertTrue(narrow.priority() > wide.priority());
        assertEquals(Long.valueOf(Pipeline.tag("n2")), narrow.metadata());
        assertEquals(null, wide.metadata());
    }

    @Test
    public void gatewayMacsAreLocallyAdministeredUnicastAndNeverAPortMac() {
        long mac = Pipeline.gatewayMac("s1");
        assertEquals(0x0aL, mac >>> 40);
        assertEquals("0a", Pipeline.macText(mac).substring(0, 2));
        assertEquals(2, Pipeline.flows(new SegmentEntry("n1", "s1", "10.200.1.0/24", "10.200.1.1"),
                Optional.empty()).size());
    }

    private static final TunnelEntry TUNNEL = new TunnelEntry("n1", "s1", 5001, "10.200.250.2");
    private static final RemotePortEntry REMOTE = new RemotePortEntry("p9", "n1", "s1", "10.200.1.9",
            "02:00:00:00:00:09", 5001, "node-h2", "10.200.250.3");

    @Test
    public void aRemotePortIsAnsweredLocallyAndSentIntoTheTunnelWithItsVniAndEndpoint() {
        List<String> flows = Pipeline.flows(REMOTE, Optional.of(9)).stream().map(FlowSpec::toString).toList();
        assertEquals(3, flows.size());
        assertTrue(flows.get(0), flows.get(0).contains("table=10,") && flows.get(0).contains("arp_tpa=10.200.1.9"));
        String switched = "set_field:02:00:00:00:00:09->eth_dst,set_field:0x1389->tun_id,"
                + "set_field:10.200.250.3->tun_dst,output:9";
        assertTrue(flows.get(1), flows.get(1).contains("table=31,priority=90,") && flows.get(1).contains("reg7=0x0")
                && flows.get(1).endsWith("actions=" + switched));
        // Routed here: the gateway is local on every node, so the MACs are rewritten and the TTL spent at the source.
        assertTrue(flows.get(2), flows.get(2).contains("reg7=0x1") && flows.get(2).contains("dec_ttl,")
                && flows.get(2).endsWith("output:9") && !flows.get(2).contains("goto_table"));
        assertTrue(flows.get(2).contains("set_field:" + Pipeline.macText(Pipeline.gatewayMac("s1")) + "->eth_src"));
        // Below a local port's delivery (100), so a local address is never sent away.
        assertTrue(Pipeline.flows(PORT, Optional.of(7)).stream()
                .anyMatch(f -> f.table() == Pipeline.DELIVER && f.priority() == 100));
    }

    @Test
    public void aTunnelTakesItsVniIntoItsNetworkPastTheEgressTablesAndNeverBackOut() {
        List<FlowSpec> flows = Pipeline.flows(TUNNEL, Optional.of(9));
        assertEquals(3, flows.size());
        long net = Pipeline.tag("n1");
        FlowSpec classify = flows.get(0);
        assertEquals(Pipeline.CLASSIFY, classify.table());
        assertEquals("in_port=9,tun_id=0x1389,eth_type=0x800", matchText(classify));
        assertEquals(Long.valueOf(net), classify.metadata());
        assertEquals(Integer.valueOf(Pipeline.SETS), classify.gotoTable());
        assertEquals("[move:nw_dst[]->reg5[]]", classify.actions().toString());
        FlowSpec skipEgress = flows.get(1);
        assertEquals(Pipeline.EGRESS_CT, skipEgress.table());
        assertEquals(Integer.valueOf(Pipeline.DELIVER), skipEgress.gotoTable());
        FlowSpec guard = flows.get(2);
        assertEquals(Pipeline.DELIVER, guard.table());
        assertTrue(guard.priority() > 90 && guard.priority() < 100);
        assertTrue(guard.actions().isEmpty() && guard.gotoTable() == null);
        // ARP from a tunnel is never classified: only IPv4 enters.
        assertTrue(flows.stream().allMatch(f -> f.toString().contains("eth_type=0x800")));
    }

    @Test
    public void overlayFlowsNeedTheTunnelPortAndIpv4() {
        assertThrows(IllegalArgumentException.class, () -> Pipeline.flows(TUNNEL, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.flows(REMOTE, Optional.empty()));
        assertTrue(Pipeline.unsupported(TUNNEL).isEmpty());
        assertTrue(Pipeline.unsupported(REMOTE).isEmpty());
        assertTrue(Pipeline.unsupported(new RemotePortEntry("p6", "n1", "s6", "fd00::9", "02:00:00:00:00:09", 5,
                "node-h2", "10.200.250.3")).isPresent());
        assertTrue(Pipeline.unsupported(new TunnelEntry("n1", "s1", 5, "fd00::2")).isPresent());
    }

    @Test
    public void nothingOfTheOverlayFloodsOrCarriesArpIntoTheTunnel() {
        for (ConfigEntry e : List.of(TUNNEL, REMOTE)) {
            for (FlowSpec f : Pipeline.flows(e, Optional.of(9))) {
                boolean intoTunnel = f.actions().stream()
                        .anyMatch(a -> a instanceof FlowSpec.Output o && o.port() == 9);
                if (intoTunnel) {
                    assertTrue(f.toString(), f.match().contains(FlowSpec.Match.exact(FlowSpec.Field.ETH_TYPE,
                            Pipeline.ETH_IPV4)));
                    assertTrue(f.toString(), f.match().stream().anyMatch(m -> m.field() == FlowSpec.Field.REG5
                            && m.mask() == null));
                }
            }
        }
    }

    private static String matchText(FlowSpec flow) {
        return String.join(",", flow.match().stream().map(Object::toString).toList());
    }

    @Test
    public void ipv6IsRefusedForPortsAndIgnoredElsewhere() {
        PortEntry v6 = new PortEntry("p6", "n1", "s6", "fd00::5", "02:00:00:00:00:06", "fd00::1", null, null);
        assertTrue(Pipeline.unsupported(v6).isPresent());
        assertTrue(Pipeline.unsupported(PORT).isEmpty());
        assertEquals(0, Pipeline.flows(new SegmentEntry("n1", "s6", "fd00::/64", "fd00::1"), Optional.empty())
                .size());
    }

    @Test
    public void aMemberWritesItsSetIdInItsSlotForSourceAndDestinationAndSharesItsCookieByAddress() {
        AddressSetEntry member = new AddressSetEntry("web", "p1", "10.200.1.5");
        List<FlowSpec> flows = Pipeline.flows(member, Optional.of(2));
        assertEquals(2, flows.size());
        String id = "0x" + Long.toHexString(Pipeline.setId("web"));
        assertEquals(Pipeline.SETS + 2, flows.get(0).table());
        assertTrue(flows.get(0).toString(), flows.get(0).toString().contains("nw_src=10.200.1.5 actions=set_field:"
                + id + "->reg10,goto_table:" + (Pipeline.SETS + 3)));
        assertEquals(Pipeline.SETS + Pipeline.SLOTS + 2, flows.get(1).table());
        assertTrue(flows.get(1).toString(), flows.get(1).toString().contains("nw_dst=10.200.1.5 actions=set_field:"
                + id + "->reg14"));
        long cookie = Pipeline.cookie(member);
        assertTrue(flows.stream().allMatch(f -> f.cookie() == cookie));
        assertEquals("members sharing set and address share the flows", cookie,
                Pipeline.cookie(new AddressSetEntry("web", "p9", "10.200.1.5")));
        assertNotEquals(cookie, Pipeline.cookie(new AddressSetEntry("db", "p1", "10.200.1.5")));
        assertNotEquals(cookie, Pipeline.cookie(member.key()));
        assertEquals("IPv6 members are not realised", 0,
                Pipeline.flows(new AddressSetEntry("web", "p6", "fd00::5"), Optional.empty()).size());
    }

    @Test
    public void aRuleReferencingASetMatchesItsIdInEverySlotOfItsDirection() {
        FilterRule from = new FilterRule("g/r", "p1", Direction.INGRESS, Protocol.TCP, 22, null, null,
                RuleAction.ALLOW, 1000, "web");
        List<FlowSpec> flows = Pipeline.flows(new FilterEntry(from), Optional.empty());
        assertEquals(Pipeline.SLOTS, flows.size());
        String id = "0x" + Long.toHexString(Pipeline.setId("web"));
        for (int j = 0; j < Pipeline.SLOTS; j++) {
            String register = "reg" + (8 + j) + "=" + id;
            assertTrue(register, flows.stream().anyMatch(f -> f.toString().contains(register)));
        }
        assertTrue(flows.stream().noneMatch(f -> f.toString().contains("nw_src")));
        FilterRule to = new FilterRule("g/r", "p1", Direction.EGRESS, Protocol.ANY, null, null, null,
                RuleAction.DENY, 10, "web");
        List<FlowSpec> egress = Pipeline.flows(new FilterEntry(to), Optional.empty());
        assertEquals(Pipeline.SLOTS, egress.size());
        assertTrue(egress.stream().allMatch(f -> f.table() == Pipeline.EGRESS_FILTER && f.gotoTable() == null));
        assertTrue(egress.stream().anyMatch(f -> f.toString().contains("reg15=" + id)));
        assertNotEquals(0, Pipeline.setId(""));
    }

    @Test
    public void theSetChainRunsFromClassificationToEgressConntrackMatchedOrNot() {
        assertEquals(Pipeline.EGRESS_CT, Pipeline.SETS_END + 1);
        assertTrue(Pipeline.ARP < Pipeline.SETS);
        for (int table = Pipeline.SETS; table <= Pipeline.SETS_END; table++) {
            int t = table;
            List<FlowSpec> base = Pipeline.baseFlows().stream().filter(f -> f.table() == t).toList();
            assertEquals(1, base.size());
            assertEquals(Integer.valueOf(t + 1), base.get(0).gotoTable());
        }
        assertTrue(Pipeline.flows(PORT, Optional.of(7)).stream()
                .anyMatch(f -> f.table() == Pipeline.CLASSIFY && f.gotoTable() == Pipeline.SETS));
    }

    @Test
    public void aPortOfALargeDefaultGroupCostsAFewFlowsWhateverTheGroupSize() {
        List<ConfigEntry> perPort = List.of(PORT, new AddressSetEntry("default", "p1", "10.200.1.5"),
                new FilterEntry(new FilterRule("default/in", "p1", Direction.INGRESS, Protocol.ANY, null, null, null,
                        RuleAction.ALLOW, 1000, "default")),
                new FilterEntry(new FilterRule("default/out4", "p1", Direction.EGRESS, Protocol.ANY, null, null,
                        "0.0.0.0/0", RuleAction.ALLOW, 1000)),
                new FilterEntry(new FilterRule("default/out6", "p1", Direction.EGRESS, Protocol.ANY, null, null,
                        "::/0", RuleAction.ALLOW, 1000)));
        int flows = 0;
        for (ConfigEntry entry : perPort) {
            flows += Pipeline.flows(entry, entry instanceof PortEntry ? Optional.of(7) : Optional.of(0)).size();
        }
        assertEquals(10 + 2 + Pipeline.SLOTS + 1, flows);
        assertTrue(flows <= 40);
    }

    private static FilterRule rule(RuleAction action, int priority) {
        return new FilterRule("g/r" + priority, "p1", Direction.INGRESS, Protocol.TCP, 80, null, "10.0.0.0/8",
                action, priority);
    }

    private static int priority(FilterRule rule) {
        return Pipeline.flows(new FilterEntry(rule), Optional.empty()).get(0).priority();
    }
}
