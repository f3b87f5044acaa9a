package io.netloom.driver.sim.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.PacketSimulator.Delivery;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.api.net.IpAddresses;
import io.netloom.api.routing.RouteTarget;

/**
 * Forwards one synthetic packet through a realised {@link NodeConfig}, the way a data plane programmed with it
 * would. It reads nothing but the configuration and the node's {@link FlowTable}, so what it measures is what the
 * driver realised, independently of the policy bundles that computed it: the conformance suite compares its
 * measurements with explain's predictions, and a shared implementation would make that comparison vacuous.
 *
 * <p>A packet from port S to address D, protocol P, destination transport port T goes through:
 * <ol>
 * <li>the source: S must be a realised port; a packet to S's own address never leaves it and is delivered;</li>
 * <li>S's egress filters: ascending priority, at equal priority a deny first, the first match decides; no match
 * allows. A rule's remote is D;</li>
 * <li>routing: the longest prefix among the RouteEntries of S's network holding D. Target {@code local}: the port
 * with address D in S's network; {@code peering:ID}: the port with address D in the route's {@code peerNetwork},
 * and only there (peering is not transitive), and only when the packet originated in the route's network (its source
 * address is in that network's local prefixes) or the peering allows forwarded traffic; a next-hop address: the port
 * with that address in S's network, or in the route's {@code peerNetwork} over the peering that reaches it (an
 * appliance of a hub, under the same forwarded-traffic rule);</li>
 * <li>an appliance port the packet is routed to (not its destination) receives it when nothing routes it on from
 * the appliance's network (or only back to the appliance): it leaves Netloom's networks there. Otherwise the
 * appliance forwards it, as its namespace would when it forwards: the packet must pass the appliance's ingress
 * filters (remote: the source's address), its port security (the source's address is its own or in one of its
 * allowed address pairs) and its egress filters (remote: D), and is routed again from the appliance's network; at
 * most 8 appliances, none twice;</li>
 * <li>the destination port's ingress filters, with the source's address as remote; no match denies.</li>
 * </ol>
 * A rule of protocol {@code ANY} matches TCP, UDP and ICMP; a port range matches TCP and UDP packets only.
 *
 * <p><b>State.</b> A new flow gets a fixed ephemeral source port, {@link #ephemeralPort}, computed from (source
 * port id, destination address, protocol, destination port), so a reply can be recognised without the caller
 * knowing it. When a delivered flow S:e &rarr; R:T exists, a packet sent from R to S's address with the same
 * protocol and destination port T is taken as its reply (R:T &rarr; S:e): it passes both filters whatever they say,
 * but is still routed, so it is delivered only while R's network routes S's address back to S. ICMP flows match
 * by addresses alone. A genuinely new flow R &rarr; S with that protocol and port is indistinguishable from such a
 * reply; {@link FlowTable#clear() forget the flows} first to send one.
 */
final class SimForwarder {

    /** First port of the IANA dynamic range, where ephemeral source ports are taken from. */
    static final int EPHEMERAL_FIRST = 49152;
    /** Size of the dynamic range 49152-65535. */
    static final int EPHEMERAL_COUNT = 16384;

    private static final int MAX_TRANSPORT_PORT = 65535;
    /** Appliances one packet may pass at most, so that a routing loop ends. */
    private static final int MAX_APPLIANCES = 8;
    /** Remote prefixes of filter rules already found valid, so that a rule of many ports is parsed once. */
    private static final Map<String, Boolean> VALID_PREFIXES = new ConcurrentHashMap<>();
    private static final int MAX_VALID_PREFIXES = 4096;

    /**
     * The order in which a port's rules are tried: lower priority value first, and at equal priority a deny before
     * an allow, so that two groups disagreeing at one priority fail closed; then by key, so that the order does not
     * depend on how the configuration's map iterates.
     */
    private static final Comparator<Filter> EVALUATION_ORDER = Comparator
            .comparingInt((Filter f) -> f.rule().priority())
            .thenComparing(f -> f.rule().action() == RuleAction.DENY ? 0 : 1)
            .thenComparing(Filter::key);

    private final String node;
    private final FlowTable flows;
    private final Map<String, PortEntry> ports = new HashMap<>();
    private final Map<String, IPAddress> portAddresses = new HashMap<>();
    private final List<Prefixed> routes = new ArrayList<>();
    private final Map<String, List<Filter>> filters = new HashMap<>();
    /** Address set id → its members' canonical addresses. */
    private final Map<String, Set<String>> sets = new HashMap<>();

    /**
     * A route with its destination parsed once.
     *
     * @param route the entry
     * @param block the destination prefix block
     */
    private record Prefixed(RouteEntry route, IPAddress block) {
    }

    /**
     * A filter rule with its remote prefix parsed once.
     *
     * @param rule the rule
     * @param remote the remote prefix block, or {@code null} when the rule references an address set
     * @param key the key of its entry
     */
    private record Filter(FilterRule rule, IPAddress remote, String key) {
    }

    /**
     * Indexes a configuration for forwarding.
     *
     * @param config the realised configuration of one node
     * @param flows that node's flow table, read and written by {@link #send}
     * @throws IllegalStateException when the configuration holds an address or prefix that is not one
     */
    SimForwarder(NodeConfig config, FlowTable flows) {
        this.node = config.node();
        this.flows = flows;
        for (ConfigEntry entry : config.entries().values()) {
            if (entry instanceof PortEntry port) {
                ports.put(port.port(), port);
                portAddresses.put(port.port(), address(port.ip(), entry.key()));
            } else if (entry instanceof RouteEntry route) {
                routes.add(new Prefixed(route, prefix(route.destination(), entry.key())));
            } else if (entry instanceof FilterEntry filter) {
                IPAddress remote = filter.rule().referencesSet() ? null
                        : prefix(filter.rule().remoteCidr(), entry.key());
                filters.computeIfAbsent(filter.rule().portId(), p -> new ArrayList<>())
                        .add(new Filter(filter.rule(), remote, entry.key()));
            } else if (entry instanceof AddressSetEntry member) {
                sets.computeIfAbsent(member.set(), s -> new HashSet<>())
                        .add(canonical(address(member.address(), entry.key())));
            }
        }
        filters.values().forEach(rules -> rules.sort(EVALUATION_ORDER));
    }

    /**
     * Says what in an entry the forwarder could not read, so a driver can refuse it when it is applied rather than
     * fail on it when a packet comes.
     *
     * @param entry an entry to be installed
     * @return the problem, or empty when the forwarder can use the entry
     */
    static Optional<String> problem(ConfigEntry entry) {
        // The entry's key names it in a refusal only: building it for every entry checked would cost more than the
        // check (messages start with ": " after an empty place).
        try {
            if (entry instanceof PortEntry port) {
                address(port.ip(), "");
                port.allowedAddressPairs().forEach(pair -> prefix(pair.ipAddress(), ""));
            } else if (entry instanceof RouteEntry route) {
                prefix(route.destination(), "");
                RouteTarget target = RouteTarget.of(route.target());
                if (target instanceof RouteTarget.Peering && route.peerNetwork() == null) {
                    return Optional.of(entry.key() + ": a peering route must name its peer network");
                }
                if (target instanceof RouteTarget.NextHop hop) {
                    address(hop.address(), "");
                }
            } else if (entry instanceof FilterEntry filter) {
                String remote = filter.rule().remoteCidr();
                // A group's rule arrives once per member with the same prefix: each prefix is parsed once.
                if (!filter.rule().referencesSet() && !VALID_PREFIXES.containsKey(remote)) {
                    prefix(remote, "");
                    if (VALID_PREFIXES.size() >= MAX_VALID_PREFIXES) {
                        VALID_PREFIXES.clear();
                    }
                    VALID_PREFIXES.put(remote, Boolean.TRUE);
                }
            } else if (entry instanceof AddressSetEntry member) {
                address(member.address(), "");
            }
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(entry.key() + e.getMessage());
        }
    }

    /**
     * The source port a new flow uses: fixed per (source port, destination address, protocol, destination port),
     * in the dynamic range 49152-65535, so that a reply can be matched to its flow by recomputing it.
     *
     * @param fromPort the source port id
     * @param toAddress the destination address, canonical
     * @param protocol TCP or UDP
     * @param transportPort the destination transport port
     * @return the ephemeral source port
     */
    static int ephemeralPort(String fromPort, String toAddress, Protocol protocol, int transportPort) {
        // String.hashCode is specified by the language, so the port is the same in every JVM and release.
        int hash = (fromPort + "|" + toAddress + "|" + protocol + "|" + transportPort).hashCode();
        return EPHEMERAL_FIRST + Math.floorMod(hash, EPHEMERAL_COUNT);
    }

    /**
     * Sends one packet and follows it; see the class comment for the walk and for how replies are recognised.
     *
     * @param fromPort the source port id
     * @param toAddress the destination address
     * @param protocol TCP, UDP or ICMP
     * @param transportPort the destination port, 1-65535, for TCP and UDP; ignored for ICMP
     * @return whether the packet was delivered, where, and a sentence naming where it stopped or how it went
     * @throws IllegalArgumentException for {@code ANY} or no protocol, a TCP/UDP port out of range, or a destination
     *     that is not one IP address
     */
    Delivery send(String fromPort, String toAddress, Protocol protocol, int transportPort) {
        if (fromPort == null) {
            throw new IllegalArgumentException("Name the source port");
        }
        if (protocol == null || protocol == Protocol.ANY) {
            throw new IllegalArgumentException("A packet is tcp, udp or icmp, not " + protocol);
        }
        boolean ported = protocol != Protocol.ICMP;
        if (ported && (transportPort < 1 || transportPort > MAX_TRANSPORT_PORT)) {
            throw new IllegalArgumentException("A " + lower(protocol) + " destination port is 1 to "
                    + MAX_TRANSPORT_PORT + ", not " + transportPort);
        }
        IPAddress destination = IpAddresses.parse(toAddress).orElseThrow(() -> new IllegalArgumentException(
                "'" + toAddress + "' is not an IP address"));
        Packet packet = new Packet(destination, protocol, ported ? transportPort : 0);

        PortEntry source = ports.get(fromPort);
        if (source == null) {
            return dropped("Port " + fromPort + " is not realised on node " + node + ", so it sends nothing.");
        }
        IPAddress sourceAddress = portAddresses.get(fromPort);
        if (sourceAddress.equals(destination)) {
            return new Delivery(true, source.port(), packet.traffic() + " to " + canonical(destination)
                    + " is for port " + source.port() + "'s own address: it never leaves the port.");
        }

        Routing routing = walk(source, sourceAddress, destination);
        if (routing instanceof Path path) {
            Optional<Delivery> reply = reply(packet, source, path);
            if (reply.isPresent()) {
                return reply.get();
            }
        }

        Optional<FilterRule> egress = firstMatch(source.port(), Direction.EGRESS, packet, destination);
        if (egress.isPresent() && egress.get().action() == RuleAction.DENY) {
            return dropped("Dropped at egress of port " + source.port() + " by rule " + describe(egress.get())
                    + ": " + packet.traffic() + " to " + canonical(packet.to()) + ".");
        }
        if (routing instanceof Dropped dropped) {
            return dropped(dropped.reason());
        }
        Path path = (Path) routing;
        String from = packet.traffic() + " from " + canonical(sourceAddress);
        for (PortEntry appliance : path.appliances()) {
            Optional<FilterRule> in = firstMatch(appliance.port(), Direction.INGRESS, packet, sourceAddress);
            if (in.isEmpty() || in.get().action() == RuleAction.DENY) {
                return dropped("Dropped at ingress of appliance port " + appliance.port() + (in.isEmpty()
                        ? " by default deny ingress" : " by rule " + describe(in.get())) + ": " + from + ".");
            }
            Optional<FilterRule> out = firstMatch(appliance.port(), Direction.EGRESS, packet, destination);
            if (out.isPresent() && out.get().action() == RuleAction.DENY) {
                return dropped("Dropped at egress of appliance port " + appliance.port() + " by rule "
                        + describe(out.get()) + ": " + packet.traffic() + " to " + canonical(destination) + ".");
            }
        }
        PortEntry target = path.port();
        Optional<FilterRule> ingress = firstMatch(target.port(), Direction.INGRESS, packet, sourceAddress);
        if (ingress.isEmpty()) {
            return dropped("Dropped by default deny ingress at port " + target.port() + ": no ingress rule allows "
                    + from + ".");
        }
        if (ingress.get().action() == RuleAction.DENY) {
            return dropped("Dropped at ingress of port " + target.port() + " by rule " + describe(ingress.get())
                    + ": " + from + ".");
        }
        String targetAddress = canonical(portAddresses.get(target.port()));
        flows.establish(new FlowTable.Flow(protocol, source.port(), canonical(sourceAddress),
                ported ? ephemeralPort(source.port(), targetAddress, protocol, packet.transport()) : 0,
                target.port(), targetAddress, packet.transport()));
        return new Delivery(true, target.port(), "Delivered " + packet.traffic() + " from port " + source.port()
                + " to port " + target.port() + " (" + targetAddress + ") in network " + target.network()
                + ": egress " + egress.map(r -> "allowed by rule " + describe(r)).orElse("allowed by default")
                + ", " + path.how() + ", ingress allowed by rule " + describe(ingress.get()) + ".");
    }

    /**
     * @return the delivery of {@code packet} as the reply of an established flow from the reached port back to the
     *     source, or empty when it answers no such flow
     */
    private Optional<Delivery> reply(Packet packet, PortEntry source, Path reached) {
        PortEntry target = reached.port();
        String sourceAddress = canonical(portAddresses.get(source.port()));
        String targetAddress = canonical(portAddresses.get(target.port()));
        boolean ported = packet.protocol() != Protocol.ICMP;
        FlowTable.Flow original = new FlowTable.Flow(packet.protocol(), target.port(), targetAddress,
                ported ? ephemeralPort(target.port(), sourceAddress, packet.protocol(), packet.transport()) : 0,
                source.port(), sourceAddress, packet.transport());
        if (!flows.isEstablished(original)) {
            return Optional.empty();
        }
        return Optional.of(new Delivery(true, target.port(), "Delivered to port " + target.port()
                + " as the reply " + original.reversed().describe() + " of the established flow "
                + original.describe() + " (" + reached.how() + "); stateful, so no filter rule was consulted."));
    }

    /** Where routing took a packet: to a port, or nowhere. */
    private sealed interface Routing permits Reached, Dropped, Path {
    }

    /**
     * One route followed.
     *
     * @param port the port the packet is delivered to
     * @param how a phrase naming the route used
     * @param appliance whether the port is an appliance a next hop names, which forwards the packet on
     */
    private record Reached(PortEntry port, String how, boolean appliance) implements Routing {
    }

    /**
     * The whole way to the destination port.
     *
     * @param port the port the packet is delivered to
     * @param how a phrase naming the routes used
     * @param appliances the appliance ports the packet passed, in order
     */
    private record Path(PortEntry port, String how, List<PortEntry> appliances) implements Routing {
    }

    /**
     * @param reason a sentence naming where and why the packet stopped
     */
    private record Dropped(String reason) implements Routing {
    }

    /**
     * The fields of a packet the walk needs, besides its source port.
     *
     * @param to the destination address
     * @param protocol TCP, UDP or ICMP
     * @param transport the destination transport port, 0 for ICMP
     */
    private record Packet(IPAddress to, Protocol protocol, int transport) {

        String traffic() {
            return protocol == Protocol.ICMP ? "icmp" : lower(protocol) + "/" + transport;
        }
    }

    /**
     * Routes a packet from its source's network to its destination port, through every appliance a next hop names:
     * an appliance forwards it on from its own network, with the packet's source address, which its port security
     * lets through only when the address is its own or in one of its allowed address pairs.
     */
    private Routing walk(PortEntry source, IPAddress origin, IPAddress destination) {
        String network = source.network();
        List<PortEntry> appliances = new ArrayList<>();
        List<String> hows = new ArrayList<>();
        while (true) {
            Routing step = route(network, origin, destination);
            if (step instanceof Dropped) {
                return step;
            }
            Reached reached = (Reached) step;
            hows.add(reached.how());
            if (!reached.appliance()) {
                return new Path(reached.port(), String.join(", then ", hows), List.copyOf(appliances));
            }
            PortEntry appliance = reached.port();
            if (!forwardsOn(appliance, destination)) {
                // Nothing routes the packet on from the appliance's network: it leaves Netloom's networks there
                // (a VPN gateway, an edge), so the appliance is where it is delivered.
                return new Path(appliance, String.join(", then ", hows), List.copyOf(appliances));
            }
            if (appliances.contains(appliance) || appliances.size() >= MAX_APPLIANCES) {
                return new Dropped("Dropped at routing: the packet would pass appliance port " + appliance.port()
                        + (appliances.contains(appliance) ? " a second time (a routing loop)" : " after "
                        + MAX_APPLIANCES + " appliances") + ".");
            }
            if (!maySendFrom(appliance, origin)) {
                return new Dropped("Dropped by port security at appliance port " + appliance.port() + ": it forwards "
                        + "the packet from " + canonical(origin) + ", which is neither its address nor in one of its"
                        + " allowed address pairs.");
            }
            appliances.add(appliance);
            hows.add("forwarded by the appliance port " + appliance.port());
            network = appliance.network();
        }
    }

    /**
     * Whether an appliance port sends a packet on into Netloom's networks: its own network routes the destination,
     * and not back to the appliance itself.
     */
    private boolean forwardsOn(PortEntry appliance, IPAddress destination) {
        Optional<RouteEntry> onward = longestMatch(appliance.network(), destination, false);
        if (onward.isEmpty()) {
            return false;
        }
        RouteTarget target = RouteTarget.of(onward.get().target());
        return !(target instanceof RouteTarget.NextHop hop && IpAddresses.parse(hop.address())
                .map(a -> a.equals(portAddresses.get(appliance.port()))).orElse(false));
    }

    private boolean maySendFrom(PortEntry port, IPAddress address) {
        return portAddresses.get(port.port()).equals(address) || port.allowedAddressPairs().stream()
                .anyMatch(pair -> contains(prefix(pair.ipAddress(), port.key()), address));
    }

    private Routing route(String network, IPAddress origin, IPAddress destination) {
        Optional<RouteEntry> best = longestMatch(network, destination, false);
        if (best.isEmpty()) {
            return new Dropped("Dropped at routing: network " + network + " has no route to "
                    + canonical(destination) + ".");
        }
        RouteEntry route = best.get();
        String how = "route " + route.destination() + " -> " + route.target() + " of network " + route.network();
        RouteTarget target = RouteTarget.of(route.target());
        if (target instanceof RouteTarget.Local) {
            return portIn(route.network(), destination, how);
        }
        if (target instanceof RouteTarget.Peering) {
            if (route.peerNetwork() == null) {
                return new Dropped("Dropped at routing: " + how + " names no peer network.");
            }
            Optional<Dropped> forwarded = forwardedDrop(route, origin, how);
            if (forwarded.isPresent()) {
                return forwarded.get();
            }
            // Only the peer network itself: a port of a network peered with the peer is not reachable through it.
            return portIn(route.peerNetwork(), destination, how + " into network " + route.peerNetwork());
        }
        IPAddress nextHop = address(route.target(), route.key());
        String holder = route.network();
        if (route.peerNetwork() != null) {
            // A next hop in a peered network (an appliance of a hub): reached over that peering.
            Optional<RouteEntry> toHop = longestMatch(network, nextHop, true);
            if (toHop.isEmpty() || !route.peerNetwork().equals(toHop.get().peerNetwork())) {
                return new Dropped("Dropped at routing: no peering of network " + network + " reaches the next hop "
                        + route.target() + " of " + how + ".");
            }
            Optional<Dropped> forwarded = forwardedDrop(toHop.get(), origin, how);
            if (forwarded.isPresent()) {
                return forwarded.get();
            }
            holder = route.peerNetwork();
        }
        Optional<PortEntry> appliance = portWith(holder, nextHop);
        if (appliance.isEmpty()) {
            return new Dropped("Dropped at routing: the next hop " + route.target() + " of " + how
                    + " is no port of network " + holder + ".");
        }
        boolean forDestination = portAddresses.get(appliance.get().port()).equals(destination);
        return new Reached(appliance.get(), how + " to the appliance port " + appliance.get().port(),
                !forDestination);
    }

    /**
     * @param peeringsOnly whether only peering routes count
     * @return the route of the network with the longest prefix holding the address
     */
    private Optional<RouteEntry> longestMatch(String network, IPAddress address, boolean peeringsOnly) {
        Optional<RouteEntry> best = Optional.empty();
        int bestLength = -1;
        for (Prefixed candidate : routes) {
            if (candidate.route().network().equals(network) && contains(candidate.block(), address)
                    && candidate.block().getPrefixLength() > bestLength
                    && (!peeringsOnly || RouteTarget.of(candidate.route().target()) instanceof RouteTarget.Peering)) {
                best = Optional.of(candidate.route());
                bestLength = candidate.block().getPrefixLength();
            }
        }
        return best;
    }

    /**
     * A packet enters a peer network over a peering route only when it originated in the route's network (its
     * source address is in that network's own address space, its local routes) or the peering allows forwarded
     * traffic.
     */
    private Optional<Dropped> forwardedDrop(RouteEntry peeringRoute, IPAddress origin, String how) {
        if (peeringRoute.allowForwarded()) {
            return Optional.empty();
        }
        boolean originates = routes.stream().anyMatch(r -> r.route().network().equals(peeringRoute.network())
                && RouteTarget.of(r.route().target()) instanceof RouteTarget.Local && contains(r.block(), origin));
        if (originates) {
            return Optional.empty();
        }
        return Optional.of(new Dropped("Dropped at peering " + peeringRoute.target() + " (" + how + "): the packet "
                + "from " + canonical(origin) + " did not originate in network " + peeringRoute.network()
                + " and the peering does not allow forwarded traffic."));
    }

    private Routing portIn(String network, IPAddress destination, String how) {
        Optional<PortEntry> port = portWith(network, destination);
        if (port.isEmpty()) {
            return new Dropped("Dropped at routing: no port has address " + canonical(destination) + " in network "
                    + network + ", where " + how + " leads.");
        }
        return new Reached(port.get(), how, false);
    }

    private Optional<PortEntry> portWith(String network, IPAddress address) {
        // Sorted by id, so that a configuration holding one address twice forwards the same way every time.
        return ports.values().stream()
                .filter(p -> p.network().equals(network) && portAddresses.get(p.port()).equals(address))
                .min(Comparator.comparing(PortEntry::port));
    }

    private Optional<FilterRule> firstMatch(String port, Direction direction, Packet packet, IPAddress remote) {
        for (Filter filter : filters.getOrDefault(port, List.of())) {
            if (filter.rule().direction() == direction && matches(filter, packet, remote)
                    && (filter.remote() != null ? contains(filter.remote(), remote)
                            : sets.getOrDefault(filter.rule().remoteSet(), Set.of()).contains(canonical(remote)))) {
                return Optional.of(filter.rule());
            }
        }
        return Optional.empty();
    }

    /** Whether the rule's protocol and ports match the packet; the remote end is checked by the caller. */
    private static boolean matches(Filter filter, Packet packet, IPAddress remote) {
        FilterRule rule = filter.rule();
        if (rule.protocol() != Protocol.ANY && rule.protocol() != packet.protocol()) {
            return false;
        }
        if (rule.portMin() != null) {
            // ICMP carries no ports, so a ranged rule never matches it, whatever its protocol.
            if (packet.protocol() == Protocol.ICMP) {
                return false;
            }
            int max = rule.portMax() != null ? rule.portMax() : rule.portMin();
            if (packet.transport() < rule.portMin() || packet.transport() > max) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(IPAddress block, IPAddress address) {
        return block.getIPVersion() == address.getIPVersion() && block.contains(address);
    }

    private static String describe(FilterRule rule) {
        StringBuilder text = new StringBuilder(rule.cookie()).append(" (").append(lower(rule.action())).append(' ')
                .append(lower(rule.direction())).append(' ').append(lower(rule.protocol()));
        if (rule.portMin() != null) {
            int max = rule.portMax() != null ? rule.portMax() : rule.portMin();
            text.append(' ').append(max == rule.portMin() ? String.valueOf(max) : rule.portMin() + "-" + max);
        }
        return text.append(rule.direction() == Direction.INGRESS ? " from " : " to ").append(rule.remoteText())
                .append(", priority ").append(rule.priority()).append(')').toString();
    }

    private static Delivery dropped(String reason) {
        return new Delivery(false, null, reason);
    }

    private static IPAddress address(String text, String where) {
        return IpAddresses.parse(text).orElseThrow(() -> new IllegalStateException(where + ": '" + text
                + "' is not a single IP address"));
    }

    private static IPAddress prefix(String text, String where) {
        try {
            IPAddress address = new IPAddressString(text).toAddress();
            if (!address.isPrefixed()) {
                throw new IllegalStateException(where + ": '" + text + "' has no prefix length");
            }
            return address.toPrefixBlock();
        } catch (AddressStringException e) {
            throw new IllegalStateException(where + ": '" + text + "' is not a prefix: " + e.getMessage(), e);
        }
    }

    private static String canonical(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
