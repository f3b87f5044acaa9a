package io.netloom.driver.ovs.internal;

import static io.netloom.driver.ovs.internal.FlowSpec.Field.ARP_OP;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ARP_SHA;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ARP_SPA;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ARP_THA;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ARP_TPA;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.CT_STATE;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ETH_DST;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ETH_SRC;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.ETH_TYPE;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.IN_PORT;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.IPV4_DST;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.IPV4_SRC;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.IP_PROTO;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.METADATA;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.REG5;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.REG6;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.REG7;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.TCP_DST;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.TCP_FLAGS;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.TUN_DST;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.TUN_ID;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.UDP_DST;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.XREG0;
import static io.netloom.driver.ovs.internal.FlowSpec.Field.XREG1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.api.routing.RouteTarget;
import io.netloom.driver.ovs.internal.FlowSpec.Action;
import io.netloom.driver.ovs.internal.FlowSpec.Ct;
import io.netloom.driver.ovs.internal.FlowSpec.DecTtl;
import io.netloom.driver.ovs.internal.FlowSpec.Match;
import io.netloom.driver.ovs.internal.FlowSpec.Move;
import io.netloom.driver.ovs.internal.FlowSpec.Output;
import io.netloom.driver.ovs.internal.FlowSpec.SetField;

/**
 * Netloom's OpenFlow pipeline on the integration bridge: which flows realise each {@link ConfigEntry}. Pure: the
 * same entry and the same OpenFlow port number always give the same flows, so the driver can tell from the flows
 * in the switch (by cookie and count) whether an entry is realised.
 *
 * <p>A packet from port S to address D walks the tables in the order of {@code SimForwarder}'s walk:
 * <ol>
 * <li>{@value #CLASSIFY} classify: S's OpenFlow port with S's MAC and address (anti-spoofing) writes S's network
 * into {@code metadata} and S's tag into {@code xreg0}; ARP goes to {@value #ARP}, IPv4 to
 * {@value #SETS}; anything else is dropped.</li>
 * <li>{@value #ARP} ARP responder: requests for a gateway or port address of the network are answered by the
 * switch itself; no ARP is flooded.</li>
 * <li>{@value #SETS} to {@value #SETS_END} address sets: which sets the source and the destination address are in,
 * written into registers (below); every table of this chain goes on to the next, matched or not.</li>
 * <li>{@value #EGRESS_CT} conntrack in S's zone, then {@value #EGRESS_FILTER}: established and related pass, invalid
 * is dropped, new connections meet S's egress rules (highest priority first; no match allows) and are committed
 * in {@value #EGRESS_COMMIT}.</li>
 * <li>{@value #L3_MARK} marks frames sent to a gateway MAC as routed ({@code reg7=1}).</li>
 * <li>{@value #ROUTE} longest-prefix routing in S's network (priority grows with the prefix length): the address to
 * deliver to goes into {@code reg5} (D, or the next hop), and a peering route switches {@code metadata} to the peer
 * network.</li>
 * <li>{@value #DELIVER} finds the port with address {@code reg5} in network {@code metadata} only (so peering is
 * not transitive), rewrites MACs and decrements the TTL when routed, and puts its tag in {@code xreg1}.</li>
 * <li>{@value #INGRESS_CT} conntrack in the destination's zone, {@value #INGRESS_FILTER} its ingress rules (no
 * match drops), {@value #OUTPUT} commit and output.</li>
 * </ol>
 * Replies of tracked connections are established in both zones, so they pass both filters, as in the sim.
 *
 * <p><b>Overlay.</b> A remote port ({@link RemotePortEntry}, a port of the network on another node) is found in
 * {@value #DELIVER} like a local one, below the local ports' priority, and sent into the flow-keyed VXLAN port
 * ({@code set_field:VNI->tun_id, set_field:REMOTE->tun_dst, output:TUNNEL}) after the source's egress rules, routed
 * here when it was routed (the gateway is local on every node). A segment's tunnel ({@link TunnelEntry}) takes
 * what arrives with its VNI into its network at {@value #CLASSIFY} ({@code reg5} = the IPv4 destination), through
 * the address-set chain, past the egress tables (the source's rules ran on its node) to {@value #DELIVER}, where
 * only a local port takes it: the destination port's ingress rules apply as for local traffic, and nothing that
 * came out of a tunnel goes back into one. Only IPv4 crosses: ARP is answered locally for remote ports too, and
 * nothing is flooded, so neither broadcasts nor the gateway's ARP enter a tunnel.
 *
 * <p><b>Address sets.</b> A rule whose remote end is a set ({@link FilterRule#referencesSet()}) must match "the
 * remote address is a member" in one flow, without one flow per member (a group of N ports would cost N² flows) and
 * without a flow that lists every member or every rule (adding a member or a port would rewrite it). So membership
 * is looked up once per packet, before the filters, and left in registers the rule flows match: an IPv4 member
 * address A of set S holds one of {@value #SLOTS} <em>slots</em> of A, chosen by the driver when A joins S and kept
 * while any member of S holds A (the slot is to a member what the OpenFlow port is to a port: an input of its
 * flows). Slot {@code j} is two tables of the chain: table {@code SETS + j} matches {@code nw_src=A} and writes S's
 * 32-bit id ({@link #setId(String)}) into {@code reg(8+j)}; table {@code SETS + SLOTS + j} matches {@code nw_dst=A}
 * and writes it into {@code reg(12+j)}. A rule "from S" then matches {@code reg8..reg11 = id(S)} (one flow per
 * slot), a rule "to S" {@code reg12..reg15}; registers start at zero and no id is zero, so a set without members
 * matches nothing. A member costs 2 flows, a rule referencing a set {@value #SLOTS} flows per protocol block,
 * whatever the size of the set; an address can be in at most {@value #SLOTS} referenced sets at once (a member of a
 * set no rule references needs no slot and has no flows). Sets are global, like the simulator's: membership is by
 * address, whichever network holds it.
 *
 * <p>Why not the alternatives. OpenFlow {@code conjunction} (clause 1: the rule's port side, clause 2: the members)
 * needs every clause flow of a conjunction at the rule's priority, so member flows would be per (set, rule shape)
 * and owned by no single entry, and the OpenFlow codec has neither the action nor {@code conj_id}. A bit per set in
 * a register bounds the number of sets on the bridge, not per address, and OpenFlow 1.3 cannot set one bit. A
 * lookup from the rule flow itself ({@code resubmit}) cannot fall through to the next rule when the address is not
 * a member, which ordered allow and deny rules need.
 *
 * <p>Identifiers: a network's {@code metadata} value and a port's tag are 64-bit hashes of their ids, a flow's
 * cookie is {@value #COOKIE_PREFIX_HEX} in the top 16 bits and a 48-bit hash of its entry's key below (of its set
 * and address for a set member, whose flows every member holding that address shares); a port's conntrack zone is
 * its OpenFlow port number, unique on the bridge.
 */
final class Pipeline {

    static final int CLASSIFY = 0;
    static final int ARP = 10;
    /** The first table of the address-set chain. */
    static final int SETS = 12;
    /** How many sets one address can be in at once: the slots of an address. */
    static final int SLOTS = 4;
    /** The last table of the address-set chain. */
    static final int SETS_END = SETS + 2 * SLOTS - 1;
    static final int EGRESS_CT = 20;
    static final int EGRESS_FILTER = 21;
    static final int EGRESS_COMMIT = 22;
    static final int L3_MARK = 25;
    static final int ROUTE = 30;
    static final int DELIVER = 31;
    static final int INGRESS_CT = 40;
    static final int INGRESS_FILTER = 41;
    static final int OUTPUT = 42;

    /** Every table of the pipeline that ends in a drop (all but the address-set chain), for the base flows. */
    static final List<Integer> TABLES = List.of(CLASSIFY, ARP, EGRESS_CT, EGRESS_FILTER, EGRESS_COMMIT, L3_MARK,
            ROUTE, DELIVER, INGRESS_CT, INGRESS_FILTER, OUTPUT);
    /** Registers of the source address's set ids, one per slot; then those of the destination address. */
    private static final List<FlowSpec.Field> SET_REGISTERS = List.of(FlowSpec.Field.REG8, FlowSpec.Field.REG9,
            FlowSpec.Field.REG10, FlowSpec.Field.REG11, FlowSpec.Field.REG12, FlowSpec.Field.REG13,
            FlowSpec.Field.REG14, FlowSpec.Field.REG15);

    /**
     * The layout of the tables, raised when the flows of an unchanged entry change in a way their count does not show,
     * so that entries a driver of an older layout applied are applied again (2: classification goes through the
     * address-set chain; ports of layout 1 would skip it; 3: a port's own address marks its packets as originating
     * in its network, {@code reg6=1}, which peering routes without forwarded traffic require).
     */
    static final int LAYOUT = 3;

    static final String COOKIE_PREFIX_HEX = "0x4e4c";
    /** The top 16 bits of every cookie Netloom writes ("NL"). */
    static final long COOKIE_PREFIX = 0x4e4cL << 48;
    /** The mask that selects the prefix. */
    static final long COOKIE_PREFIX_MASK = 0xffffL << 48;
    /** The cookie of the base flows (table-miss drops and conntrack defaults). */
    static final long BASE_COOKIE = COOKIE_PREFIX;

    static final int ETH_IPV4 = 0x0800;
    static final int ETH_ARP = 0x0806;
    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;

    /** ct_state bits, as Open vSwitch defines them. */
    static final long CT_NEW = 0x01;
    static final long CT_EST = 0x02;
    static final long CT_REL = 0x04;
    static final long CT_INV = 0x10;
    static final long CT_TRK = 0x20;
    /** The SYN bit of the TCP flags. */
    static final long TCP_SYN = 0x002;

    private static final int PRIO_PORT = 100;
    /** In {@value #DELIVER}: what came out of a tunnel stops here unless a local port (higher) takes it. */
    private static final int PRIO_TUNNEL_GUARD = PRIO_PORT - 5;
    /** In {@value #DELIVER}: remote ports, below local ports and the tunnel guard. */
    private static final int PRIO_REMOTE = PRIO_PORT - 10;
    private static final int PRIO_CT_INVALID = 65001;
    private static final int PRIO_CT_TRACKED = 65000;
    private static final int PRIO_ROUTE_BASE = 1000;
    private static final int PRIO_RULE_TOP = 20000;

    /** Tags of ids seen, so a plan of many rules on few ports hashes each port once; emptied when it grows large. */
    private static final Map<String, Long> TAGS = new ConcurrentHashMap<>();
    private static final int MAX_TAGS = 200_000;

    private Pipeline() {
    }

    /**
     * The flows every Netloom bridge carries whatever the configuration: conntrack defaults and explicit
     * table-miss drops, so nothing passes that Netloom did not allow, whatever the switch's miss behaviour.
     *
     * @return the base flows, all with {@link #BASE_COOKIE}
     */
    static List<FlowSpec> baseFlows() {
        List<FlowSpec> flows = new ArrayList<>();
        for (int table : TABLES) {
            flows.add(flow(table, 0, BASE_COOKIE, List.of(), List.of(), null, null));
        }
        for (int table = SETS; table <= SETS_END; table++) {
            flows.add(flow(table, 0, BASE_COOKIE, List.of(), List.of(), null, table + 1));
        }
        for (int[] filter : new int[][] {{EGRESS_FILTER, EGRESS_COMMIT, L3_MARK}, {INGRESS_FILTER, OUTPUT, OUTPUT}}) {
            int table = filter[0];
            flows.add(flow(table, PRIO_CT_INVALID, BASE_COOKIE, ct(CT_INV | CT_TRK), List.of(), null, null));
            // A TCP packet new to the zone but without SYN is a connection in mid-stream that the zone does not
            // hold (one cut because the rules refuse it): it is dropped, not taken up as new. Otherwise a packet
            // from the refused end, allowed out by its own egress rules, would be committed in its zone and the
            // other end's packets would pass its ingress as replies.
            flows.add(flow(table, PRIO_CT_INVALID, BASE_COOKIE, with(with(with(ct(CT_NEW | CT_TRK),
                    Match.exact(ETH_TYPE, ETH_IPV4)), Match.exact(IP_PROTO, PROTO_TCP)),
                    new Match(TCP_FLAGS, 0, TCP_SYN)), List.of(), null, null));
            flows.add(flow(table, PRIO_CT_TRACKED, BASE_COOKIE, ct(CT_EST | CT_TRK), List.of(), null, filter[2]));
            flows.add(flow(table, PRIO_CT_TRACKED, BASE_COOKIE, ct(CT_REL | CT_TRK), List.of(), null, filter[2]));
        }
        // Egress default: allow (to be committed); ingress default: the table-miss drop.
        flows.add(flow(EGRESS_FILTER, 1, BASE_COOKIE, ct(CT_NEW | CT_TRK), List.of(), null, EGRESS_COMMIT));
        flows.add(flow(EGRESS_COMMIT, 1, BASE_COOKIE, List.of(), List.of(), null, L3_MARK));
        flows.add(flow(L3_MARK, 1, BASE_COOKIE, List.of(), List.of(new SetField(REG7, 0)), null, ROUTE));
        return flows;
    }

    /**
     * The flows of one entry.
     *
     * @param entry the entry
     * @param placement where the driver placed it: the OpenFlow port of a port entry's host device (empty when it
     *     has none: unbound), the slot of a set member's address (empty when its set needs none: no flows), the
     *     OpenFlow port of the tunnel for a tunnel or remote port entry; empty for other entries
     * @return its flows, all with {@link #cookie(ConfigEntry) the entry's cookie}; may be empty (IPv6 is not
     *     realised)
     */
    static List<FlowSpec> flows(ConfigEntry entry, Optional<Integer> placement) {
        return flows(entry, placement, cookie(entry));
    }

    /**
     * The flows of one entry whose cookie the caller already computed.
     *
     * @param entry the entry
     * @param placement see {@link #flows(ConfigEntry, Optional)}
     * @param cookie {@link #cookie(ConfigEntry) the entry's cookie}
     * @return its flows
     */
    static List<FlowSpec> flows(ConfigEntry entry, Optional<Integer> placement, long cookie) {
        if (entry instanceof SegmentEntry segment) {
            return segmentFlows(segment, cookie);
        } else if (entry instanceof PortEntry port) {
            return portFlows(port, placement, cookie);
        } else if (entry instanceof RouteEntry route) {
            return routeFlows(route, cookie);
        } else if (entry instanceof FilterEntry filter) {
            return filterFlows(filter.rule(), cookie);
        } else if (entry instanceof AddressSetEntry member) {
            return memberFlows(member, placement, cookie);
        } else if (entry instanceof TunnelEntry tunnel) {
            return tunnelFlows(tunnel, tunnelPort(tunnel, placement), cookie);
        } else if (entry instanceof RemotePortEntry remote) {
            return remoteFlows(remote, tunnelPort(remote, placement), cookie);
        }
        throw new IllegalArgumentException("Unknown entry " + entry.key());
    }

    /**
     * @param entry an entry
     * @return what its cookie is a hash of: its key, or for a set member its set and address, so that members
     *     sharing an address share the flows the address needs
     */
    static String cookieName(ConfigEntry entry) {
        if (entry instanceof AddressSetEntry member) {
            return "members:" + member.set() + ":" + member.address();
        }
        return entry.key();
    }

    /**
     * @param entry an entry
     * @return the cookie of its flows
     */
    static long cookie(ConfigEntry entry) {
        return cookie(cookieName(entry));
    }

    /**
     * @param set an address set's id
     * @return the 32-bit value its members' addresses leave in the set registers; never 0, the value of no set
     */
    static long setId(String set) {
        long id = hash64("set:" + set) & 0xffffffffL;
        return id == 0 ? 1 : id;
    }

    /**
     * Says why an entry cannot be realised by this pipeline, if it cannot.
     *
     * @param entry the entry
     * @return the reason, or empty
     */
    static Optional<String> unsupported(ConfigEntry entry) {
        if (entry instanceof PortEntry port && ipv4(port.ip()).isEmpty()) {
            return Optional.of("The ovs driver realises IPv4 ports only, not " + port.ip());
        }
        if (entry instanceof PortEntry port && port.bindingType() != null && !"netns".equals(port.bindingType())) {
            return Optional.of("The ovs driver binds ports to network namespaces (netns), not " + port.bindingType());
        }
        if (entry instanceof TunnelEntry tunnel && ipv4(tunnel.localAddress()).isEmpty()) {
            return Optional.of("The ovs driver tunnels over IPv4 only, not from " + tunnel.localAddress());
        }
        if (entry instanceof RemotePortEntry remote
                && (ipv4(remote.ip()).isEmpty() || ipv4(remote.remoteAddress()).isEmpty())) {
            return Optional.of("The ovs driver realises IPv4 remote ports over an IPv4 underlay only, not "
                    + remote.ip() + " at " + remote.remoteAddress());
        }
        return Optional.empty();
    }

    private static List<FlowSpec> segmentFlows(SegmentEntry segment, long cookie) {
        Optional<Long> gateway = ipv4(segment.gateway());
        if (gateway.isEmpty()) {
            return List.of();
        }
        long net = tag(segment.network());
        long mac = gatewayMac(segment.subnet());
        return List.of(
                arpResponder(cookie, net, gateway.get(), mac),
                flow(L3_MARK, PRIO_PORT, cookie, List.of(Match.exact(METADATA, net), Match.exact(ETH_DST, mac)),
                        List.of(new SetField(REG7, 1)), null, ROUTE));
    }

    private static List<FlowSpec> portFlows(PortEntry port, Optional<Integer> ofport, long cookie) {
        long ip = ipv4(port.ip()).orElseThrow(() -> new IllegalArgumentException(port.key() + ": not IPv4"));
        long net = tag(port.network());
        long tag = tag(port.port());
        long mac = mac(port.mac());
        List<FlowSpec> flows = new ArrayList<>();
        flows.add(arpResponder(cookie, net, ip, mac));
        flows.addAll(deliverFlows(cookie, PRIO_PORT, net, ip, mac, port.subnet(),
                List.of(new SetField(XREG1, tag)), INGRESS_CT));
        if (ofport.isEmpty()) {
            return flows;
        }
        int of = ofport.get();
        int zone = of;
        List<Match> from = List.of(Match.exact(IN_PORT, of), Match.exact(ETH_SRC, mac));
        List<Action> classify = List.of(new SetField(FlowSpec.Field.XREG0, tag));
        // The port's own address originates in its network (reg6=1); an allowed address pair's may not (an
        // appliance forwarding), so a peering route that refuses forwarded traffic drops it.
        flows.add(flow(CLASSIFY, PRIO_PORT, cookie, with(with(from, Match.exact(ETH_TYPE, ETH_IPV4)),
                Match.exact(IPV4_SRC, ip)), List.of(new SetField(FlowSpec.Field.XREG0, tag), new SetField(REG6, 1)),
                net, SETS));
        for (AddressPair pair : port.allowedAddressPairs()) {
            Optional<long[]> prefix = ipv4Prefix(pair.ipAddress());
            if (prefix.isEmpty()) {
                continue; // IPv6 is not realised
            }
            List<Match> fromPair = List.of(Match.exact(IN_PORT, of), Match.exact(ETH_SRC, mac(pair.macOr(port.mac()))),
                    Match.exact(ETH_TYPE, ETH_IPV4), prefixMatch(IPV4_SRC, prefix.get()));
            flows.add(flow(CLASSIFY, PRIO_PORT - 1, cookie, fromPair, classify, net, SETS));
        }
        flows.add(flow(CLASSIFY, PRIO_PORT, cookie, with(with(from, Match.exact(ETH_TYPE, ETH_ARP)),
                Match.exact(ARP_SPA, ip)), classify, net, ARP));
        List<Match> ipFrom = List.of(Match.exact(ETH_TYPE, ETH_IPV4), Match.exact(XREG0, tag));
        List<Match> ipTo = List.of(Match.exact(ETH_TYPE, ETH_IPV4), Match.exact(XREG1, tag));
        flows.add(flow(EGRESS_CT, PRIO_PORT, cookie, ipFrom, List.of(new Ct(false, zone, EGRESS_FILTER)), null, null));
        flows.add(flow(EGRESS_COMMIT, PRIO_PORT, cookie, with(ipFrom, ctMatch(CT_NEW | CT_TRK)),
                List.of(new Ct(true, zone, null)), null, L3_MARK));
        flows.add(flow(INGRESS_CT, PRIO_PORT, cookie, ipTo, List.of(new Ct(false, zone, INGRESS_FILTER)), null, null));
        flows.add(flow(OUTPUT, PRIO_PORT, cookie, with(ipTo, ctMatch(CT_NEW | CT_TRK)),
                List.of(new Ct(true, zone, null), new Output(of)), null, null));
        flows.add(flow(OUTPUT, PRIO_PORT - 10, cookie, ipTo, List.of(new Output(of)), null, null));
        return flows;
    }

    /**
     * The two {@value #DELIVER} flows of a destination address: switched (MAC rewritten) and routed (MACs rewritten
     * from the segment's gateway, TTL decremented), each followed by {@code then} and {@code gotoTable}.
     */
    private static List<FlowSpec> deliverFlows(long cookie, int priority, long net, long ip, long mac, String subnet,
            List<Action> then, Integer gotoTable) {
        List<Match> to = List.of(Match.exact(METADATA, net), Match.exact(ETH_TYPE, ETH_IPV4), Match.exact(REG5, ip));
        List<Action> switched = new ArrayList<>(List.of(new SetField(ETH_DST, mac)));
        switched.addAll(then);
        List<Action> routed = new ArrayList<>(List.of(new SetField(ETH_SRC, gatewayMac(subnet)),
                new SetField(ETH_DST, mac), new DecTtl()));
        routed.addAll(then);
        return List.of(flow(DELIVER, priority, cookie, with(to, Match.exact(REG7, 0)), switched, null, gotoTable),
                flow(DELIVER, priority, cookie, with(to, Match.exact(REG7, 1)), routed, null, gotoTable));
    }

    private static int tunnelPort(ConfigEntry entry, Optional<Integer> placement) {
        return placement.orElseThrow(() -> new IllegalArgumentException(entry.key()
                + ": the bridge has no tunnel port to realise it with"));
    }

    private static List<FlowSpec> tunnelFlows(TunnelEntry tunnel, int ofport, long cookie) {
        long net = tag(tunnel.network());
        List<Match> from = List.of(Match.exact(IN_PORT, ofport), Match.exact(TUN_ID, tunnel.vni()),
                Match.exact(ETH_TYPE, ETH_IPV4));
        return List.of(
                flow(CLASSIFY, PRIO_PORT, cookie, from, List.of(new Move(IPV4_DST, REG5)), net, SETS),
                // The source's egress rules ran on its node; the address-set chain ran for the ingress rules.
                flow(EGRESS_CT, PRIO_PORT, cookie, from, List.of(), null, DELIVER),
                flow(DELIVER, PRIO_TUNNEL_GUARD, cookie, with(from, Match.exact(METADATA, net)), List.of(), null,
                        null));
    }

    private static List<FlowSpec> remoteFlows(RemotePortEntry remote, int ofport, long cookie) {
        long ip = ipv4(remote.ip()).orElseThrow(() -> new IllegalArgumentException(remote.key() + ": not IPv4"));
        long underlay = ipv4(remote.remoteAddress()).orElseThrow(() -> new IllegalArgumentException(remote.key()
                + ": the remote address " + remote.remoteAddress() + " is not IPv4"));
        long net = tag(remote.network());
        long mac = mac(remote.mac());
        List<FlowSpec> flows = new ArrayList<>();
        flows.add(arpResponder(cookie, net, ip, mac));
        flows.addAll(deliverFlows(cookie, PRIO_REMOTE, net, ip, mac, remote.subnet(), List.of(
                new SetField(TUN_ID, remote.vni()), new SetField(TUN_DST, underlay), new Output(ofport)), null));
        return flows;
    }

    private static List<FlowSpec> routeFlows(RouteEntry route, long cookie) {
        Optional<long[]> prefix = ipv4Prefix(route.destination());
        if (prefix.isEmpty()) {
            return List.of();
        }
        long net = tag(route.network());
        List<Match> match = List.of(Match.exact(METADATA, net), Match.exact(ETH_TYPE, ETH_IPV4),
                prefixMatch(IPV4_DST, prefix.get()));
        int priority = PRIO_ROUTE_BASE + (int) prefix.get()[2];
        RouteTarget target = RouteTarget.of(route.target());
        if (target instanceof RouteTarget.Local) {
            return List.of(flow(ROUTE, priority, cookie, match, List.of(new Move(IPV4_DST, REG5)), null, DELIVER));
        }
        if (target instanceof RouteTarget.Peering) {
            if (route.peerNetwork() == null) {
                throw new IllegalArgumentException(route.key() + ": a peering route must name its peer network");
            }
            if (route.allowForwarded()) {
                return List.of(flow(ROUTE, priority, cookie, match, List.of(new Move(IPV4_DST, REG5)),
                        tag(route.peerNetwork()), DELIVER));
            }
            // Only what originated in the network (reg6=1) crosses; what an appliance forwards is dropped here.
            return List.of(flow(ROUTE, priority, cookie, with(match, Match.exact(REG6, 1)),
                    List.of(new Move(IPV4_DST, REG5)), tag(route.peerNetwork()), DELIVER),
                    flow(ROUTE, priority, cookie, with(match, Match.exact(REG6, 0)), List.of(), null, null));
        }
        long nextHop = ipv4(route.target()).orElseThrow(() -> new IllegalArgumentException(route.key()
                + ": the next hop '" + route.target() + "' is not an IPv4 address"));
        // A next hop in a peered network (an appliance of a hub) is delivered to in that network.
        Long holder = route.peerNetwork() == null ? null : tag(route.peerNetwork());
        return List.of(flow(ROUTE, priority, cookie, match, List.of(new SetField(REG5, nextHop)), holder, DELIVER));
    }

    private static List<FlowSpec> memberFlows(AddressSetEntry member, Optional<Integer> slot, long cookie) {
        Optional<Long> ip = ipv4(member.address());
        if (ip.isEmpty() || slot.isEmpty()) {
            // An IPv6 member never matches the IPv4 traffic this pipeline carries; no rule references a set
            // whose member has no slot.
            return List.of();
        }
        int j = slot.get();
        if (j < 0 || j >= SLOTS) {
            throw new IllegalArgumentException(member.key() + ": slot " + j + " is not one of 0.." + (SLOTS - 1));
        }
        long id = setId(member.set());
        List<FlowSpec> flows = new ArrayList<>();
        flows.add(flow(SETS + j, PRIO_PORT, cookie, List.of(Match.exact(ETH_TYPE, ETH_IPV4),
                Match.exact(IPV4_SRC, ip.get())), List.of(new SetField(SET_REGISTERS.get(j), id)), null,
                SETS + j + 1));
        flows.add(flow(SETS + SLOTS + j, PRIO_PORT, cookie, List.of(Match.exact(ETH_TYPE, ETH_IPV4),
                Match.exact(IPV4_DST, ip.get())), List.of(new SetField(SET_REGISTERS.get(SLOTS + j), id)), null,
                SETS + SLOTS + j + 1));
        return flows;
    }

    private static List<FlowSpec> filterFlows(FilterRule rule, long cookie) {
        boolean ingress = rule.direction() == Direction.INGRESS;
        // The remote end: one match on a prefix, or one per slot of the set registers (any slot may hold the set).
        List<List<Match>> remotes = new ArrayList<>();
        if (rule.referencesSet()) {
            long id = setId(rule.remoteSet());
            for (int j = 0; j < SLOTS; j++) {
                remotes.add(List.of(Match.exact(SET_REGISTERS.get(ingress ? j : SLOTS + j), id)));
            }
        } else {
            Optional<long[]> remote = ipv4Prefix(rule.remoteCidr());
            if (remote.isEmpty()) {
                // An IPv6 remote never matches the IPv4 traffic this pipeline carries.
                return List.of();
            }
            remotes.add(remote.get()[2] > 0 ? List.of(prefixMatch(ingress ? IPV4_SRC : IPV4_DST, remote.get()))
                    : List.of());
        }
        boolean allow = rule.action() == RuleAction.ALLOW;
        // Lower rule priority first; at equal priority a deny wins (it is one higher), as in the sim.
        int priority = PRIO_RULE_TOP - 2 * rule.priority() + (allow ? 0 : 1);
        int table = ingress ? INGRESS_FILTER : EGRESS_FILTER;
        Integer next = allow ? (ingress ? OUTPUT : EGRESS_COMMIT) : null;
        List<FlowSpec> flows = new ArrayList<>();
        for (List<Match> remote : remotes) {
            List<Match> base = new ArrayList<>(List.of(ctMatch(CT_NEW | CT_TRK),
                    Match.exact(ingress ? XREG1 : XREG0, tag(rule.portId())), Match.exact(ETH_TYPE, ETH_IPV4)));
            base.addAll(remote);
            for (List<Match> match : protocolMatches(rule, base)) {
                flows.add(flow(table, priority, cookie, match, List.of(), null, next));
            }
        }
        return flows;
    }

    /** The rule's base match refined by its protocol and port range: one match per protocol and port block. */
    private static List<List<Match>> protocolMatches(FilterRule rule, List<Match> base) {
        List<List<Match>> matches = new ArrayList<>();
        boolean ranged = rule.portMin() != null;
        if (rule.protocol() == Protocol.ICMP || rule.protocol() == Protocol.ANY && !ranged) {
            if (rule.protocol() == Protocol.ICMP) {
                if (ranged) {
                    return matches; // a ranged rule never matches ICMP
                }
                matches.add(with(base, Match.exact(IP_PROTO, PROTO_ICMP)));
            } else {
                matches.add(base);
            }
        } else {
            List<Protocol> protocols = rule.protocol() == Protocol.ANY ? List.of(Protocol.TCP, Protocol.UDP)
                    : List.of(rule.protocol());
            for (Protocol protocol : protocols) {
                List<Match> withProto = with(base, Match.exact(IP_PROTO,
                        protocol == Protocol.TCP ? PROTO_TCP : PROTO_UDP));
                if (!ranged) {
                    matches.add(withProto);
                    continue;
                }
                int max = rule.portMax() != null ? rule.portMax() : rule.portMin();
                for (long[] block : portBlocks(rule.portMin(), max)) {
                    matches.add(with(withProto, new Match(protocol == Protocol.TCP ? TCP_DST : UDP_DST, block[0],
                            block[1] == 0xffff ? null : block[1])));
                }
            }
        }
        return matches;
    }

    /**
     * Splits a port range into value/mask blocks, the fewest that cover exactly the range.
     *
     * @return pairs of (value, mask)
     */
    static List<long[]> portBlocks(int min, int max) {
        if (min == max) {
            return List.<long[]>of(new long[] {min, 0xffff});
        }
        List<long[]> blocks = new ArrayList<>();
        long start = min;
        while (start <= max) {
            long size = Long.lowestOneBit(start == 0 ? 0x10000 : start);
            while (start + size - 1 > max) {
                size >>= 1;
            }
            blocks.add(new long[] {start, 0xffff & ~(size - 1)});
            start += size;
        }
        return blocks;
    }

    private static FlowSpec arpResponder(long cookie, long net, long ip, long mac) {
        return flow(ARP, PRIO_PORT, cookie, List.of(Match.exact(METADATA, net), Match.exact(ETH_TYPE, ETH_ARP),
                Match.exact(ARP_OP, 1), Match.exact(ARP_TPA, ip)),
                List.of(new Move(ETH_SRC, ETH_DST), new SetField(ETH_SRC, mac), new SetField(ARP_OP, 2),
                        new Move(ARP_SHA, ARP_THA), new SetField(ARP_SHA, mac), new Move(ARP_SPA, ARP_TPA),
                        new SetField(ARP_SPA, ip), new Output(Output.IN_PORT)), null, null);
    }

    private static FlowSpec flow(int table, int priority, long cookie, List<Match> match, List<Action> actions,
            Long metadata, Integer gotoTable) {
        return new FlowSpec(table, priority, cookie, match, actions, metadata, gotoTable);
    }

    private static List<Match> ct(long bits) {
        return List.of(ctMatch(bits));
    }

    private static Match ctMatch(long bits) {
        return new Match(CT_STATE, bits, bits | CT_NEW | CT_EST | CT_INV | CT_TRK | CT_REL);
    }

    private static List<Match> with(List<Match> match, Match more) {
        List<Match> all = new ArrayList<>(match);
        all.add(more);
        return all;
    }

    private static Match prefixMatch(FlowSpec.Field field, long[] prefix) {
        return new Match(field, prefix[0], prefix[2] == 32 ? null : prefix[1]);
    }

    /**
     * @param id a network or port id
     * @return its 64-bit tag (metadata or register value); never 0, the value of unclassified packets
     */
    static long tag(String id) {
        if (TAGS.size() > MAX_TAGS) {
            TAGS.clear();
        }
        return TAGS.computeIfAbsent(id, i -> {
            long hash = hash64("tag:" + i);
            return hash == 0 ? 1 : hash;
        });
    }

    /**
     * @param name what the flows belong to: {@link #cookieName(ConfigEntry) an entry's cookie name}, its key for
     *     every entry but a set member
     * @return the cookie of those flows
     */
    static long cookie(String name) {
        long low = hash64("cookie:" + name) & 0xffffffffffffL;
        return COOKIE_PREFIX | (low == 0 ? 1 : low);
    }

    /**
     * @param subnet a subnet id
     * @return the MAC its gateway answers with: locally administered, {@code 0a:…}, so never a port's {@code 02:…}
     */
    static long gatewayMac(String subnet) {
        return 0x0a0000000000L | (hash64("gw:" + subnet) & 0xffffffffffL);
    }

    static long mac(String text) {
        String hex = text.replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address");
        }
        return Long.parseLong(hex, 16);
    }

    static String macText(long mac) {
        StringBuilder text = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", (mac >> shift) & 0xff)).append(shift > 0 ? ":" : "");
        }
        return text.toString();
    }

    static Optional<Long> ipv4(String text) {
        long fast = dottedQuad(text, text.length());
        if (fast >= 0) {
            return Optional.of(fast);
        }
        IPAddress address = new IPAddressString(text).getAddress();
        if (address == null || !address.isIPv4() || address.isPrefixed()) {
            return Optional.empty();
        }
        return Optional.of(address.getValue().longValue());
    }

    /**
     * @return {address, mask, prefix length} of an IPv4 prefix, or empty for IPv6
     */
    static Optional<long[]> ipv4Prefix(String text) {
        int slash = text.indexOf('/');
        long fast = dottedQuad(text, slash < 0 ? text.length() : slash);
        if (fast >= 0) {
            int length = slash < 0 ? 32 : parseLength(text, slash + 1);
            if (length >= 0) {
                long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
                return Optional.of(new long[] {fast & mask, mask, length});
            }
        }
        IPAddress address = new IPAddressString(text).getAddress();
        if (address == null || !address.isIPv4()) {
            return Optional.empty();
        }
        int length = address.isPrefixed() ? address.getNetworkPrefixLength() : 32;
        long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
        return Optional.of(new long[] {address.getValue().longValue() & mask, mask, length});
    }

    /**
     * Reads a plain dotted-quad IPv4 address (the form Netloom's model stores) without a parser library: the
     * driver computes flows for every entry of a plan, and this is most of the text it reads.
     *
     * @return the address, or -1 when the text up to {@code end} is not exactly four decimal octets
     */
    private static long dottedQuad(String text, int end) {
        long value = 0;
        int octets = 0;
        int i = 0;
        while (i < end) {
            int start = i;
            int octet = 0;
            while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            if (i == end) {
                break;
            }
            if (text.charAt(i) != '.' || octets == 4) {
                return -1;
            }
            i++;
        }
        return octets == 4 && i == end ? value : -1;
    }

    private static int parseLength(String text, int from) {
        if (from >= text.length() || text.length() - from > 2) {
            return -1;
        }
        int length = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length <= 32 ? length : -1;
    }

    private static long hash64(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
