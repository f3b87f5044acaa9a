package io.netloom.driver.sim.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.PacketSimulator.Delivery;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * The forwarder on hand-built configurations: three networks A (two subnets), B and C, one port or two in each, and
 * whatever routes and filters a test adds.
 */
public class SimForwarderTest {

    private static final String NODE = "node-sim";
    private static final String ANY4 = "0.0.0.0/0";

    private final List<ConfigEntry> entries = new ArrayList<>();
    private final FlowTable flows = new FlowTable();

    public SimForwarderTest() {
        segment("net-a", "a1", "10.1.1.0/24", "10.1.1.1");
        segment("net-a", "a2", "10.1.2.0/24", "10.1.2.1");
        segment("net-b", "b1", "10.2.1.0/24", "10.2.1.1");
        segment("net-c", "c1", "10.3.1.0/24", "10.3.1.1");
        port("pa1", "net-a", "a1", "10.1.1.10");
        port("pa1b", "net-a", "a1", "10.1.1.11");
        port("pa2", "net-a", "a2", "10.1.2.10");
        port("pb", "net-b", "b1", "10.2.1.10");
        port("pc", "net-c", "c1", "10.3.1.10");
        route("net-a", "10.1.0.0/16", "local", null);
        route("net-b", "10.2.0.0/16", "local", null);
        route("net-c", "10.3.0.0/16", "local", null);
    }

    private void segment(String network, String subnet, String cidr, String gateway) {
        entries.add(new SegmentEntry(network, subnet, cidr, gateway));
    }

    private void port(String id, String network, String subnet, String ip) {
        String gateway = ip.contains(":") ? ip.substring(0, ip.lastIndexOf(':')) + ":1"
                : ip.substring(0, ip.lastIndexOf('.')) + ".1";
        entries.add(new PortEntry(id, network, subnet, ip, "02:00:00:00:00:" + String.format("%02x", entries.size()),
                gateway, null, null));
    }

    private void route(String network, String destination, String target, String peerNetwork) {
        entries.add(new RouteEntry(network, destination, target, peerNetwork, false));
    }

    /** Routes of an active peering, in both networks, as the reconciler writes them. */
    private void peering(String id, String network, String networkCidr, String peer, String peerCidr) {
        route(network, peerCidr, "peering:" + id, peer);
        route(peer, networkCidr, "peering:" + id, network);
    }

    /**
     * Hub net-h (10.4.0.0/16) with appliance port pfw 10.4.1.254, peered with spokes net-a and net-b (peerings ha
     * and hb, forwarded traffic allowed or not), each spoke routing the other through the appliance.
     */
    private void hubAndSpoke(boolean allowForwarded, List<AddressPair> pairs) {
        segment("net-h", "h1", "10.4.1.0/24", "10.4.1.1");
        entries.add(new PortEntry("pfw", "net-h", "h1", "10.4.1.254", "02:00:00:00:00:fe", "10.4.1.1", null, null,
                pairs));
        route("net-h", "10.4.0.0/16", "local", null);
        for (String[] spoke : new String[][] {{"ha", "net-a", "10.1.0.0/16"}, {"hb", "net-b", "10.2.0.0/16"}}) {
            entries.add(new RouteEntry("net-h", spoke[2], "peering:" + spoke[0], spoke[1], allowForwarded));
            entries.add(new RouteEntry(spoke[1], "10.4.0.0/16", "peering:" + spoke[0], "net-h", allowForwarded));
        }
        route("net-a", "10.2.0.0/16", "10.4.1.254", "net-h");
        route("net-b", "10.1.0.0/16", "10.4.1.254", "net-h");
        allowIngress("g-fw/all", "pfw", Protocol.ANY, null, "10.0.0.0/8");
        allowIngress("g-b/ping", "pb", Protocol.ICMP, null, "10.1.0.0/16");
    }

    private void filter(String cookie, String port, Direction direction, Protocol protocol, Integer portMin,
            Integer portMax, String remoteCidr, RuleAction action, int priority) {
        entries.add(new FilterEntry(new FilterRule(cookie, port, direction, protocol, portMin, portMax, remoteCidr,
                action, priority)));
    }

    private void allowIngress(String cookie, String port, Protocol protocol, Integer ports, String remoteCidr) {
        filter(cookie, port, Direction.INGRESS, protocol, ports, ports, remoteCidr, RuleAction.ALLOW, 1000);
    }

    private Delivery send(String from, String to, Protocol protocol, int transportPort) {
        return new SimForwarder(NodeConfig.of(NODE, entries), flows).send(from, to, protocol, transportPort);
    }

    private static void assertDelivered(Delivery d, String toPort, String... phrases) {
        assertTrue(d.reason(), d.delivered());
        assertEquals(d.reason(), toPort, d.toPort());
        assertNames(d, phrases);
    }

    private static void assertDropped(Delivery d, String... phrases) {
        assertFalse(d.reason(), d.delivered());
        assertNull(d.reason(), d.toPort());
        assertNames(d, phrases);
    }

    private static void assertNames(Delivery d, String... phrases) {
        for (String phrase : phrases) {
            assertTrue("'" + d.reason() + "' should name " + phrase, d.reason().contains(phrase));
        }
    }

    @Test
    public void sameSubnetPassesUnderAnAllowRule() {
        allowIngress("g-web/r1", "pa1b", Protocol.TCP, 80, "10.1.1.0/24");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.TCP, 80), "pa1b", "g-web/r1");
    }

    @Test
    public void ingressIsDeniedByDefault() {
        allowIngress("g-web/r1", "pa1b", Protocol.TCP, 80, "10.1.1.0/24");
        assertDropped(send("pa1", "10.1.1.11", Protocol.TCP, 81), "default deny ingress at port pa1b");
        assertDropped(send("pa1", "10.1.1.11", Protocol.ICMP, 0), "default deny ingress at port pa1b");
        assertDropped(send("pa1b", "10.1.1.10", Protocol.TCP, 80), "default deny ingress at port pa1");
    }

    @Test
    public void egressDenyRuleDropsAndNamesItsCookie() {
        allowIngress("g-any/r1", "pa1b", Protocol.ANY, null, ANY4);
        filter("g-notls/r9", "pa1", Direction.EGRESS, Protocol.TCP, 443, 443, ANY4, RuleAction.DENY, 10);
        assertDropped(send("pa1", "10.1.1.11", Protocol.TCP, 443), "egress of port pa1", "g-notls/r9");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.TCP, 80), "pa1b");
        // An egress deny applies before routing: it is named even where there is no route.
        assertDropped(send("pa1", "192.0.2.1", Protocol.TCP, 443), "g-notls/r9");
    }

    @Test
    public void egressRemoteIsTheDestinationAddress() {
        allowIngress("g-any/r1", "pa1b", Protocol.ANY, null, ANY4);
        allowIngress("g-any/r1", "pa2", Protocol.ANY, null, ANY4);
        filter("g-out/r1", "pa1", Direction.EGRESS, Protocol.ANY, null, null, "10.1.2.0/24", RuleAction.DENY, 5);
        assertDropped(send("pa1", "10.1.2.10", Protocol.ICMP, 0), "g-out/r1");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.ICMP, 0), "pa1b");
    }

    @Test
    public void lowerPriorityDecidesFirstAndDenyWinsATie() {
        allowIngress("g1/allow-all", "pa1b", Protocol.TCP, null, ANY4);
        filter("g1/deny-22", "pa1b", Direction.INGRESS, Protocol.TCP, 22, 22, "10.1.1.10/32", RuleAction.DENY, 100);
        filter("g2/allow-22", "pa1b", Direction.INGRESS, Protocol.TCP, 22, 22, ANY4, RuleAction.ALLOW, 50);
        assertDelivered(send("pa1", "10.1.1.11", Protocol.TCP, 22), "pa1b");

        filter("g3/deny-22", "pa1b", Direction.INGRESS, Protocol.TCP, 22, 22, ANY4, RuleAction.DENY, 50);
        assertDropped(send("pa1", "10.1.1.11", Protocol.TCP, 22), "ingress of port pa1b", "g3/deny-22");
        // The allow-all at 1000 still decides other ports: the deny at 100 only matched port 22.
        assertDelivered(send("pa1", "10.1.1.11", Protocol.TCP, 23), "pa1b");
    }

    @Test
    public void portRangesMatchTcpAndUdpWithinTheirBoundsOnly() {
        filter("g/range", "pa1b", Direction.INGRESS, Protocol.ANY, 8000, 8080, ANY4, RuleAction.ALLOW, 10);
        assertDropped(send("pa1", "10.1.1.11", Protocol.TCP, 7999), "default deny ingress");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.TCP, 8000), "pa1b");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.UDP, 8080), "pa1b");
        assertDropped(send("pa1", "10.1.1.11", Protocol.UDP, 8081), "default deny ingress");
        // ICMP carries no port: a ranged rule never matches it, even with protocol ANY.
        assertDropped(send("pa1", "10.1.1.11", Protocol.ICMP, 0), "default deny ingress");

        filter("g/one", "pa2", Direction.INGRESS, Protocol.UDP, 53, null, ANY4, RuleAction.ALLOW, 10);
        assertDelivered(send("pa1", "10.1.2.10", Protocol.UDP, 53), "pa2");
        assertDropped(send("pa1", "10.1.2.10", Protocol.TCP, 53), "default deny ingress");
    }

    @Test
    public void anyProtocolWithoutPortsMatchesTcpUdpAndIcmp() {
        allowIngress("g/any", "pa1b", Protocol.ANY, null, "10.1.1.10/32");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.TCP, 1), "pa1b");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.UDP, 65535), "pa1b");
        assertDelivered(send("pa1", "10.1.1.11", Protocol.ICMP, 0), "pa1b");
        // The remote of an ingress rule is the source address: a port outside the /32 is not allowed.
        assertDropped(send("pa2", "10.1.1.11", Protocol.ICMP, 0), "default deny ingress");
    }

    @Test
    public void acrossSubnetsThroughTheLocalRoute() {
        allowIngress("g/icmp", "pa2", Protocol.ICMP, null, "10.1.0.0/16");
        assertDelivered(send("pa1", "10.1.2.10", Protocol.ICMP, 0), "pa2", "10.1.0.0/16 -> local");
    }

    @Test
    public void acrossNetworksOnlyWithAPeeringRoute() {
        allowIngress("g-b/web", "pb", Protocol.TCP, 80, "10.1.0.0/16");
        assertDropped(send("pa1", "10.2.1.10", Protocol.TCP, 80), "no route to 10.2.1.10");

        peering("ab", "net-a", "10.1.0.0/16", "net-b", "10.2.0.0/16");
        assertDelivered(send("pa1", "10.2.1.10", Protocol.TCP, 80), "pb", "peering:ab");
    }

    @Test
    public void aPeeringRouteLeadsOnlyIntoThePeerNetwork() {
        allowIngress("g-c/icmp", "pc", Protocol.ICMP, null, ANY4);
        // A route naming B as the peer does not deliver to C's port, even though the prefix would cover it.
        route("net-a", "10.0.0.0/8", "peering:ab", "net-b");
        assertDropped(send("pa1", "10.3.1.10", Protocol.ICMP, 0), "no port has address 10.3.1.10 in network net-b");
    }

    @Test
    public void peeringIsNotTransitive() {
        allowIngress("g-b/icmp", "pb", Protocol.ICMP, null, ANY4);
        allowIngress("g-c/icmp", "pc", Protocol.ICMP, null, ANY4);
        allowIngress("g-a/icmp", "pa1", Protocol.ICMP, null, ANY4);
        peering("ab", "net-a", "10.1.0.0/16", "net-b", "10.2.0.0/16");
        peering("bc", "net-b", "10.2.0.0/16", "net-c", "10.3.0.0/16");

        assertDelivered(send("pa1", "10.2.1.10", Protocol.ICMP, 0), "pb");
        assertDelivered(send("pb", "10.3.1.10", Protocol.ICMP, 0), "pc");
        assertDropped(send("pa1", "10.3.1.10", Protocol.ICMP, 0), "network net-a has no route to 10.3.1.10");
        assertDropped(send("pc", "10.1.1.10", Protocol.ICMP, 0), "network net-c has no route to 10.1.1.10");
    }

    @Test
    public void nextHopRouteDeliversToTheAppliancePort() {
        port("pfw", "net-a", "a1", "10.1.1.254");
        allowIngress("g-fw/all", "pfw", Protocol.ANY, null, ANY4);
        route("net-a", "192.168.0.0/16", "10.1.1.254", null);
        assertDelivered(send("pa1", "192.168.7.7", Protocol.TCP, 443), "pfw", "appliance port pfw");

        route("net-a", "172.16.0.0/12", "10.1.1.99", null);
        assertDropped(send("pa1", "172.16.0.1", Protocol.TCP, 443), "next hop 10.1.1.99", "no port of network net-a");
    }

    @Test
    public void spokesReachEachOtherThroughTheHubsApplianceWhenForwardedTrafficIsAllowed() {
        hubAndSpoke(true, List.of(new AddressPair("10.1.0.0/16", null), new AddressPair("10.2.0.0/16", null)));
        assertDelivered(send("pa1", "10.2.1.10", Protocol.ICMP, 0), "pb", "forwarded by the appliance port pfw",
                "peering:hb");
        assertDelivered(send("pb", "10.1.1.10", Protocol.ICMP, 0), "pa1", "reply", "appliance port pfw");
        // The appliance's own address: delivered to it over the peering, not forwarded.
        Delivery own = send("pb", "10.4.1.254", Protocol.TCP, 22);
        assertDelivered(own, "pfw", "peering:hb");
        assertFalse(own.reason(), own.reason().contains("forwarded by"));
    }

    @Test
    public void forwardedTrafficStopsAtThePeeringWithoutTheFlag() {
        hubAndSpoke(false, List.of(new AddressPair("10.1.0.0/16", null), new AddressPair("10.2.0.0/16", null)));
        assertDropped(send("pa1", "10.2.1.10", Protocol.ICMP, 0), "did not originate in network net-h",
                "does not allow forwarded traffic");
    }

    @Test
    public void anApplianceWithoutAnAddressPairForTheSourceDropsWhatItForwards() {
        hubAndSpoke(true, List.of(new AddressPair("10.2.0.0/16", null)));
        assertDropped(send("pa1", "10.2.1.10", Protocol.ICMP, 0), "port security at appliance port pfw",
                "10.1.1.10");
    }

    @Test
    public void theApplianceIngressRulesApplyToWhatItForwards() {
        hubAndSpoke(true, List.of(new AddressPair("10.1.0.0/16", null)));
        filter("g-fw/deny", "pfw", Direction.INGRESS, Protocol.ICMP, null, null, "10.1.1.10/32", RuleAction.DENY, 1);
        assertDropped(send("pa1", "10.2.1.10", Protocol.ICMP, 0), "ingress of appliance port pfw", "g-fw/deny");
    }

    @Test
    public void theLongestPrefixWins() {
        port("pfw", "net-a", "a1", "10.1.1.254");
        allowIngress("g-fw/all", "pfw", Protocol.ANY, null, ANY4);
        allowIngress("g/all", "pa2", Protocol.ANY, null, ANY4);
        // A /24 through the appliance inside the network's own /16: traffic for a2 goes to the appliance.
        route("net-a", "10.1.2.0/24", "10.1.1.254", null);
        assertDelivered(send("pa1", "10.1.2.10", Protocol.ICMP, 0), "pfw");
        assertDelivered(send("pa1", "10.1.1.254", Protocol.ICMP, 0), "pfw");
    }

    @Test
    public void aReplyOfAnEstablishedFlowPassesWhileUnsolicitedTrafficIsBlocked() {
        allowIngress("g-b/web", "pb", Protocol.TCP, 80, "10.1.0.0/16");
        allowIngress("g-b/ping", "pb", Protocol.ICMP, null, "10.1.0.0/16");
        peering("ab", "net-a", "10.1.0.0/16", "net-b", "10.2.0.0/16");

        // Before any flow, B's packet to A is unsolicited, and A's ingress has no rule for it.
        assertDropped(send("pb", "10.1.1.10", Protocol.TCP, 80), "default deny ingress at port pa1");

        assertDelivered(send("pa1", "10.2.1.10", Protocol.TCP, 80), "pb");
        // The reply goes from B's port 80 to the flow's fixed ephemeral port at A.
        int ephemeral = SimForwarder.ephemeralPort("pa1", "10.2.1.10", Protocol.TCP, 80);
        assertDelivered(send("pb", "10.1.1.10", Protocol.TCP, 80), "pa1", "reply",
                "10.2.1.10:80 -> pa1 10.1.1.10:" + ephemeral);

        // Anything else from B is a new flow, and A's default deny ingress stops it.
        assertDropped(send("pb", "10.1.1.10", Protocol.TCP, 22), "default deny ingress at port pa1");
        assertDropped(send("pb", "10.1.1.10", Protocol.ICMP, 0), "default deny ingress at port pa1");
        assertDropped(send("pb", "10.1.1.10", Protocol.UDP, 80), "default deny ingress at port pa1");
        // The flow was A's: another port of A gets no reply from it.
        assertDropped(send("pb", "10.1.1.11", Protocol.TCP, 80), "default deny ingress at port pa1b");

        // ICMP flows are matched by addresses.
        assertDelivered(send("pa1", "10.2.1.10", Protocol.ICMP, 0), "pb");
        assertDelivered(send("pb", "10.1.1.10", Protocol.ICMP, 0), "pa1");

        flows.clear();
        assertDropped(send("pb", "10.1.1.10", Protocol.TCP, 80), "default deny ingress at port pa1");
    }

    @Test
    public void aReplyPassesFiltersButIsStillRouted() {
        allowIngress("g-b/web", "pb", Protocol.TCP, 80, "10.1.0.0/16");
        filter("g-b/quiet", "pb", Direction.EGRESS, Protocol.ANY, null, null, ANY4, RuleAction.DENY, 1);
        peering("ab", "net-a", "10.1.0.0/16", "net-b", "10.2.0.0/16");
        assertDelivered(send("pa1", "10.2.1.10", Protocol.TCP, 80), "pb");
        // B's egress denies everything, but a reply rides on the flow.
        assertDelivered(send("pb", "10.1.1.10", Protocol.TCP, 80), "pa1");
        assertDropped(send("pb", "10.1.1.10", Protocol.TCP, 81), "egress of port pb", "g-b/quiet");

        // Without B's route back to A, the reply goes nowhere (and, no longer a reply, it meets B's egress deny
        // first, as a new flow would).
        entries.removeIf(e -> e instanceof RouteEntry r && r.target().equals("peering:ab"));
        assertDropped(send("pb", "10.1.1.10", Protocol.TCP, 80), "egress of port pb");
        entries.removeIf(e -> e instanceof FilterEntry f && f.rule().cookie().equals("g-b/quiet"));
        assertDropped(send("pb", "10.1.1.10", Protocol.TCP, 80), "no route to 10.1.1.10");
    }

    @Test
    public void noRouteNamesTheNetworkAndTheAddress() {
        assertDropped(send("pa1", "10.9.9.9", Protocol.ICMP, 0), "routing", "network net-a has no route to 10.9.9.9");
    }

    @Test
    public void anUnknownDestinationAddressIsDropped() {
        assertDropped(send("pa1", "10.1.1.99", Protocol.ICMP, 0),
                "no port has address 10.1.1.99 in network net-a");
    }

    @Test
    public void anUnrealisedSourceSendsNothingAndTheOwnAddressNeverLeavesThePort() {
        assertDropped(send("ghost", "10.1.1.10", Protocol.ICMP, 0), "ghost is not realised on node node-sim");
        assertDelivered(send("pa1", "10.1.1.10", Protocol.TCP, 22), "pa1");
    }

    @Test
    public void ipv6FollowsTheSameRules() {
        segment("net-a", "a6", "fd00:1::/64", "fd00:1::1");
        port("pv6a", "net-a", "a6", "fd00:1::10");
        port("pv6b", "net-a", "a6", "fd00:1::11");
        route("net-a", "fd00:1::/48", "local", null);
        allowIngress("g/v6", "pv6b", Protocol.ICMP, null, "fd00:1::10/128");
        allowIngress("g/v4only", "pv6a", Protocol.ICMP, null, ANY4);
        assertDelivered(send("pv6a", "fd00:1::11", Protocol.ICMP, 0), "pv6b");
        // 0.0.0.0/0 holds no IPv6 address (a new flow: the reply of the first would pass statefully).
        flows.clear();
        assertDropped(send("pv6b", "fd00:1::10", Protocol.ICMP, 0), "default deny ingress at port pv6a");
    }

    @Test
    public void ephemeralPortsAreFixedAndInTheDynamicRange() {
        int port = SimForwarder.ephemeralPort("pa1", "10.2.1.10", Protocol.TCP, 80);
        assertEquals(port, SimForwarder.ephemeralPort("pa1", "10.2.1.10", Protocol.TCP, 80));
        for (int i = 1; i < 2000; i++) {
            int p = SimForwarder.ephemeralPort("p" + i, "10.0.0." + (i % 250), Protocol.UDP, i);
            assertTrue(String.valueOf(p), p >= 49152 && p <= 65535);
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void anyIsNoPacketProtocol() {
        send("pa1", "10.1.1.11", Protocol.ANY, 80);
    }

    @Test(expected = IllegalArgumentException.class)
    public void aTcpPortIsOneTo65535() {
        send("pa1", "10.1.1.11", Protocol.TCP, 0);
    }

    @Test(expected = IllegalArgumentException.class)
    public void theDestinationIsOneAddress() {
        send("pa1", "10.1.1.0/24", Protocol.ICMP, 0);
    }
}
