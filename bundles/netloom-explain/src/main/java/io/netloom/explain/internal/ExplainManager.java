package io.netloom.explain.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import inet.ipaddr.IPAddress;
import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.explain.ExplainService;
import io.netloom.api.explain.Explanation;
import io.netloom.api.explain.Hop;
import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RouteTarget;
import io.netloom.api.routing.RoutingService;

/**
 * Walks a new flow from a source port to a destination the way the data plane would, and names the element that
 * decides at every hop: the source's egress rules, its network's route table, the peering a route goes through, the
 * destination port, and the destination's ingress rules.
 *
 * <p>Routing and firewall are separate bundles that an operator may stop or update at runtime, so they are bound
 * optionally and dynamically: explain stays registered without them and refuses with a {@link ConflictException}
 * {@value #POLICY_UNAVAILABLE} (REST 409) while either is missing, rather than guess a verdict.
 *
 * <p>A destination port may be in another tenant's network when that network is actively peered with the source's:
 * reaching it is what the peering is for. Such ports are looked up as {@link Caller#system()}, only in the networks
 * actively peered with the source's network, and are named by id only in the details.
 */
@Component(service = ExplainService.class)
public class ExplainManager implements ExplainService {

    /** Error code when the routing or firewall service is not running. */
    public static final String POLICY_UNAVAILABLE = "POLICY_UNAVAILABLE";

    static final String ALLOW = "ALLOW";
    static final String DENY = "DENY";
    static final String NO_ROUTE = "NO_ROUTE";
    static final String PASS = "PASS";

    static final String SOURCE = "source";
    static final String EGRESS_FIREWALL = "egress-firewall";
    static final String ROUTING = "routing";
    static final String PEERING = "peering";
    static final String DESTINATION = "destination";
    static final String INGRESS_FIREWALL = "ingress-firewall";
    static final String APPLIANCE = "appliance";
    static final String OVERLAY = "overlay";
    /** Appliances one flow may pass at most, so that a routing loop ends. */
    static final int MAX_APPLIANCES = 8;

    static final String NO_ROUTE_ELEMENT = "no-route";
    static final int MAX_TRANSPORT_PORT = 65535;

    private static final Logger LOG = LoggerFactory.getLogger(ExplainManager.class);

    @Reference
    private PortService ports;

    @Reference
    private NetworkService networks;

    @Reference
    private PeeringService peerings;

    @Reference
    private ModelRevisions revisions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RoutingService routing;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FirewallService firewall;

    /** Where ports are placed and how nodes reach each other; without it, hops name no node. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile NodeService nodes;

    /** The overlay's VNIs; without it, the overlay hop names the segment instead. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RealisationService realisation;

    /** Used by the component runtime. */
    public ExplainManager() {
    }

    /**
     * For tests; set {@link #routing} and {@link #firewall} as the component runtime would.
     *
     * @param ports reads ports
     * @param networks reads networks
     * @param peerings reads peerings
     * @param revisions tells when the policy services have heard a write
     */
    ExplainManager(PortService ports, NetworkService networks, PeeringService peerings, ModelRevisions revisions) {
        this.ports = ports;
        this.networks = networks;
        this.peerings = peerings;
        this.revisions = revisions;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ValidationException {@code REQUIRED} (field {@code from} or {@code to}), {@code INVALID_PROTOCOL}
     *     (field {@code protocol}) for {@code ANY}, {@code INVALID_PORT} (field {@code port}) for a TCP or UDP port
     *     outside 1-65535
     * @throws NotFoundException when the caller sees no such source port, or no such destination port either among
     *     its own or in a network actively peered with the source's
     * @throws ConflictException {@value #POLICY_UNAVAILABLE} when the routing or the firewall service is not
     *     running; {@code POLICY_CATCHING_UP} when they have not heard the writes acknowledged before this call
     *     within {@link ModelRevisions#CATCH_UP}; {@code AMBIGUOUS_NAME} when a name matches several ports
     */
    @Override
    public Explanation explain(Caller caller, String fromPort, String to, Protocol protocol, int transportPort) {
        Objects.requireNonNull(caller, "caller");
        requireText(fromPort, "from", "Name the source port");
        requireText(to, "to", "Name the destination port or address");
        int port = checkTraffic(protocol, transportPort);
        // The firewall and routing first hear every write acknowledged before this question, so that a port created
        // a moment ago is explained rather than unknown to them, and a rule just changed is the one that decides.
        revisions.awaitCurrentHeard(ModelRevisions.CATCH_UP);
        // One snapshot of each policy for the whole walk, so a bundle leaving midway cannot mix two answers.
        RoutingService routingNow = routing;
        FirewallService firewallNow = firewall;

        Port source = requireAddress(ports.port(caller, fromPort), "from");
        Network sourceNetwork = networks.network(Caller.system(), source.network());
        Target target = destination(caller, source, to);
        requirePolicy(routingNow, "routing", "netloom-routing");
        requirePolicy(firewallNow, "firewall", "netloom-firewall");

        Walk walk = new Walk(caller, source, sourceNetwork, target, protocol, port, routingNow, firewallNow);
        Explanation explanation = walk.run();
        LOG.debug("Explained {} -> {} ({}) for {}: {}", source.id(), to, walk.traffic, caller.user(),
                explanation.verdict());
        return explanation;
    }

    private static void requireText(String value, String field, String message) {
        if (value == null || value.isBlank()) {
            throw new ValidationException("REQUIRED", message, field);
        }
    }

    /**
     * @return the transport port to decide on: the given one for TCP and UDP, 0 for ICMP, which has none
     */
    private static int checkTraffic(Protocol protocol, int transportPort) {
        if (protocol == null || protocol == Protocol.ANY) {
            throw new ValidationException("INVALID_PROTOCOL",
                    "Explain follows one kind of packet: name the protocol tcp, udp or icmp", "protocol");
        }
        if (protocol == Protocol.ICMP) {
            return 0;
        }
        if (transportPort < 1 || transportPort > MAX_TRANSPORT_PORT) {
            throw new ValidationException("INVALID_PORT", "A " + lower(protocol) + " destination port is 1 to "
                    + MAX_TRANSPORT_PORT + ", not " + transportPort, "port");
        }
        return transportPort;
    }

    private static void requirePolicy(Object service, String name, String bundle) {
        if (service == null) {
            throw new ConflictException(POLICY_UNAVAILABLE, "The " + name + " service is not running, so"
                    + " reachability cannot be decided; start the " + bundle + " bundle and ask again", null);
        }
    }

    /**
     * The destination: an address, and the port asked for when one was named. A port found by address is looked up
     * later, in the network the route actually leads to.
     */
    private record Target(IPAddress address, Optional<Port> port) {
    }

    private Target destination(Caller caller, Port source, String to) {
        Optional<IPAddress> address = Addresses.parse(to);
        if (address.isPresent()) {
            Optional<Port> self = Addresses.same(address.get(), source.ip()) ? Optional.of(source) : Optional.empty();
            return new Target(address.get(), self);
        }
        Port port = requireAddress(destinationPort(caller, source, to), "to");
        return new Target(Addresses.stored(port.ip()), Optional.of(port));
    }

    /** An L2-only port sends and receives no IP traffic, so there is nothing to explain: 409 {@code NO_ADDRESS}. */
    private static Port requireAddress(Port port, String field) {
        if (!port.hasAddress()) {
            throw new ConflictException("NO_ADDRESS", "Port " + port.name() + " (" + port.id() + ") has no address:"
                    + " it carries no IP traffic", field);
        }
        return port;
    }

    private Port destinationPort(Caller caller, Port source, String idOrName) {
        try {
            return ports.port(caller, idOrName);
        } catch (NotFoundException notVisible) {
            // Only the actively peered networks are searched, so explain reveals no port a peering does not expose;
            // anywhere else the caller gets the same answer as for a port that does not exist.
            List<Port> peered = new ArrayList<>();
            for (String networkId : activePeers(source.network())) {
                peered.addAll(ports.ports(Caller.system(), Optional.of(networkId)));
            }
            List<Port> matches = peered.stream().filter(p -> p.id().equals(idOrName)).toList();
            if (matches.isEmpty()) {
                matches = peered.stream().filter(p -> p.name().equals(idOrName)).toList();
            }
            if (matches.size() > 1) {
                throw new ConflictException("AMBIGUOUS_NAME", matches.size() + " ports of networks peered with the"
                        + " source's network are named '" + idOrName + "'; name the port by id", "to");
            }
            if (matches.isEmpty()) {
                throw notVisible;
            }
            return matches.get(0);
        }
    }

    private List<String> activePeers(String networkId) {
        return peerings.peerings(Caller.system()).stream()
                .filter(p -> p.state() == PeeringState.ACTIVE && p.involves(networkId))
                .map(p -> otherSide(p, networkId))
                .toList();
    }

    private static String otherSide(Peering peering, String networkId) {
        return peering.network().equals(networkId) ? peering.peerNetwork() : peering.network();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** One explanation being built: the hops so far, and what every hop needs to know. */
    private final class Walk {

        private final Caller caller;
        private final Port source;
        private final Network sourceNetwork;
        private final Target target;
        private final String address;
        private final Protocol protocol;
        private final int port;
        private final String traffic;
        private final RoutingService routingNow;
        private final FirewallService firewallNow;
        private final List<Hop> hops = new ArrayList<>();
        /** Set when a peering dropped the traffic (forwarded traffic it does not allow). */
        private boolean denied;

        Walk(Caller caller, Port source, Network sourceNetwork, Target target, Protocol protocol, int port,
                RoutingService routing, FirewallService firewall) {
            this.caller = caller;
            this.source = source;
            this.sourceNetwork = sourceNetwork;
            this.target = target;
            this.address = Addresses.canonical(target.address());
            this.protocol = protocol;
            this.port = port;
            this.traffic = protocol == Protocol.ICMP ? "icmp" : lower(protocol) + "/" + port;
            this.routingNow = routing;
            this.firewallNow = firewall;
        }

        Explanation run() {
            hops.add(new Hop(SOURCE, source.id(), PASS, "Port " + label(source) + " with address " + source.ip()
                    + " in network " + label(sourceNetwork) + " sends " + traffic + " to " + address + "."));
            if (target.port().filter(p -> p.id().equals(source.id())).isPresent()) {
                hops.add(new Hop(DESTINATION, source.id(), PASS, "The destination is the source port itself: the"
                        + " traffic never leaves it, so no firewall rule, route or peering applies."));
                return verdict(ALLOW);
            }

            Decision egress = firewallNow.decide(source.id(), Direction.EGRESS, protocol, address, port);
            hops.add(firewallHop(EGRESS_FIREWALL, Direction.EGRESS, egress, "Egress of " + traffic + " from port "
                    + label(source) + " to " + address));
            if (egress.action() == RuleAction.DENY) {
                return verdict(DENY);
            }

            Network current = sourceNetwork;
            List<String> appliances = new ArrayList<>();
            while (true) {
                Optional<Reached> reached = route(current);
                if (reached.isEmpty()) {
                    return verdict(denied ? DENY : NO_ROUTE);
                }
                if (reached.get().appliance().isEmpty()) {
                    current = reached.get().network();
                    break;
                }
                Port appliance = reached.get().appliance().get();
                if (!forwardsOn(appliance)) {
                    hops.add(new Hop(DESTINATION, appliance.id(), NO_ROUTE, "Appliance port " + label(appliance)
                            + " receives the traffic, and nothing routes " + address + " on from its network "
                            + label(reached.get().network()) + ": the traffic leaves Netloom's networks there, "
                            + "and explain cannot follow it further."));
                    return verdict(NO_ROUTE);
                }
                if (appliances.contains(appliance.id()) || appliances.size() >= MAX_APPLIANCES) {
                    hops.add(new Hop(ROUTING, appliance.id(), NO_ROUTE, "The traffic would pass appliance port "
                            + label(appliance) + (appliances.contains(appliance.id()) ? " a second time: a routing "
                            + "loop" : " after " + MAX_APPLIANCES + " appliances already") + ", so it goes nowhere."));
                    return verdict(NO_ROUTE);
                }
                appliances.add(appliance.id());
                if (!applianceHops(appliance)) {
                    return verdict(DENY);
                }
                current = networks.network(Caller.system(), appliance.network());
            }

            Optional<Port> destination = destinationHop(current);
            if (destination.isEmpty()) {
                return verdict(NO_ROUTE);
            }
            if (!overlayHop(destination.get(), current)) {
                return verdict(NO_ROUTE);
            }

            Decision ingress = firewallNow.decide(destination.get().id(), Direction.INGRESS, protocol, source.ip(),
                    port);
            hops.add(firewallHop(INGRESS_FIREWALL, Direction.INGRESS, ingress, "Ingress of " + traffic + " from "
                    + source.ip() + " at port " + label(destination.get())));
            return verdict(ingress.action() == RuleAction.ALLOW ? ALLOW : DENY);
        }

        /**
         * Whether an appliance sends traffic on into Netloom's networks: its network routes the destination, and not
         * back to the appliance itself.
         */
        private boolean forwardsOn(Port appliance) {
            Optional<Route> onward = routingNow.lookup(appliance.network(), address);
            return onward.isPresent() && !(onward.get().parsedTarget() instanceof RouteTarget.NextHop hop
                    && Addresses.same(Addresses.stored(hop.address()), appliance.ip()));
        }

        /**
         * The hops of an appliance port the traffic is routed to: its ingress rules (the traffic comes from the
         * source's address), port security (the appliance sends it on from that address, so the address must be
         * its own or in one of its allowed address pairs) and its egress rules.
         *
         * @return whether the appliance sends the traffic on
         */
        private boolean applianceHops(Port appliance) {
            Decision in = firewallNow.decide(appliance.id(), Direction.INGRESS, protocol, source.ip(), port);
            hops.add(firewallHop(INGRESS_FIREWALL, Direction.INGRESS, in, "Ingress of " + traffic + " from "
                    + source.ip() + " at appliance port " + label(appliance)));
            if (in.action() == RuleAction.DENY) {
                return false;
            }
            IPAddress origin = Addresses.stored(source.ip());
            Optional<AddressPair> pair = appliance.allowedAddressPairs().stream()
                    .filter(p -> Addresses.anyContains(List.of(p.ipAddress()), origin)).findFirst();
            if (pair.isEmpty() && !Addresses.same(origin, appliance.ip())) {
                hops.add(new Hop(APPLIANCE, appliance.id(), DENY, "Appliance port " + label(appliance) + " would "
                        + "forward the traffic from " + source.ip() + ", but port security drops it: that address is "
                        + "neither the port's own (" + appliance.ip() + ") nor in one of its allowed address pairs."));
                return false;
            }
            hops.add(new Hop(APPLIANCE, appliance.id(), PASS, "Appliance port " + label(appliance) + " forwards the "
                    + "traffic to " + address + " (its namespace must forward, as a router does); port security lets"
                    + " it send from " + source.ip() + pair.map(p -> ", in its allowed address pair "
                    + p.ipAddress()).orElse("") + "."));
            Decision out = firewallNow.decide(appliance.id(), Direction.EGRESS, protocol, address, port);
            hops.add(firewallHop(EGRESS_FIREWALL, Direction.EGRESS, out, "Egress of " + traffic + " from appliance "
                    + "port " + label(appliance) + " to " + address));
            return out.action() == RuleAction.ALLOW;
        }

        private Explanation verdict(String verdict) {
            return new Explanation(verdict, hops);
        }

        /**
         * Where a route took the traffic: into a network, and to an appliance port there when the route named a next
         * hop.
         *
         * @param network the network the traffic is in now
         * @param appliance the next hop's port, for a route through an appliance
         */
        private record Reached(Network network, Optional<Port> appliance) {
        }

        /**
         * Adds the routing hop and, for a route through a peering, the peering hop.
         *
         * @param from the network the traffic is routed in: the source's, or an appliance's
         * @return where the traffic goes, or empty when it goes nowhere (or a peering drops it: {@link #denied})
         */
        private Optional<Reached> route(Network from) {
            Optional<Route> found = routingNow.lookup(from.id(), address);
            if (found.isEmpty()) {
                hops.add(new Hop(ROUTING, NO_ROUTE_ELEMENT, NO_ROUTE, noRouteDetail(from)));
                return Optional.empty();
            }
            Route route = found.get();
            String element = route.destination() + " -> " + route.target();
            String because = " by its " + route.origin() + " route " + route.destination() + ".";
            RouteTarget target = route.parsedTarget();
            if (target instanceof RouteTarget.Local) {
                hops.add(new Hop(ROUTING, element, PASS, "Network " + label(from) + " delivers " + address
                        + " locally" + because));
                return Optional.of(new Reached(from, Optional.empty()));
            }
            if (target instanceof RouteTarget.Peering via) {
                String peeringId = via.peeringId();
                hops.add(new Hop(ROUTING, element, PASS, "Network " + label(from) + " sends " + address
                        + " through peering " + peeringId + because));
                return peeringHop(from, peeringId).map(n -> new Reached(n, Optional.empty()));
            }
            String nextHop = ((RouteTarget.NextHop) target).address();
            hops.add(new Hop(ROUTING, element, PASS, "Network " + label(from) + " sends " + address
                    + " to the next hop " + nextHop + because));
            return nextHop(from, nextHop);
        }

        /**
         * Follows a next hop: a port of the network itself, or one of a network it is actively peered with (an
         * appliance in a hub), reached over that peering.
         */
        private Optional<Reached> nextHop(Network from, String nextHop) {
            IPAddress hop = Addresses.stored(nextHop);
            Network holder = from;
            if (!Addresses.anyContains(from.cidrs(), hop)) {
                Optional<Route> toHop = routingNow.lookup(from.id(), Addresses.canonical(hop));
                if (toHop.isEmpty() || !(toHop.get().parsedTarget() instanceof RouteTarget.Peering via)) {
                    hops.add(new Hop(ROUTING, nextHop, NO_ROUTE, "Network " + label(from) + " does not reach the "
                            + "next hop " + nextHop + " itself: it is outside its address space and no active "
                            + "peering routes it."));
                    return Optional.empty();
                }
                Optional<Network> peer = peeringHop(from, via.peeringId());
                if (peer.isEmpty()) {
                    return Optional.empty();
                }
                holder = peer.get();
            }
            Optional<Port> appliance = ports.ports(Caller.system(), Optional.of(holder.id())).stream()
                    .filter(p -> p.hasAddress() && Addresses.same(hop, p.ip())).findFirst();
            if (appliance.isEmpty()) {
                hops.add(new Hop(DESTINATION, nextHop, NO_ROUTE, "No port has the next hop's address " + nextHop
                        + " in network " + label(holder) + ", so the traffic goes nowhere."));
                return Optional.empty();
            }
            if (Addresses.same(target.address(), appliance.get().ip())) {
                return Optional.of(new Reached(holder, Optional.empty()));
            }
            return Optional.of(new Reached(holder, appliance));
        }

        /**
         * Routes through a peering exist only while it is active, but the route table is derived state that may
         * lag the model for a moment, so the peering itself is checked and its state reported.
         */
        private Optional<Network> peeringHop(Network from, String peeringId) {
            Optional<Peering> found = peerings.peerings(Caller.system()).stream()
                    .filter(p -> p.id().equals(peeringId))
                    .findFirst();
            if (found.isEmpty()) {
                hops.add(new Hop(PEERING, peeringId, NO_ROUTE, "The route points at peering " + peeringId
                        + ", which no longer exists; the route table has not caught up with the model yet."));
                return Optional.empty();
            }
            Peering peering = found.get();
            String name = "Peering " + peering.name() + " (" + peering.id() + ")";
            if (!peering.involves(from.id())) {
                hops.add(new Hop(PEERING, peering.id(), NO_ROUTE, name + " does not involve network "
                        + label(from) + ", so it carries none of its traffic; the route table is stale."));
                return Optional.empty();
            }
            Network peer = networks.network(Caller.system(), otherSide(peering, from.id()));
            if (peering.state() != PeeringState.ACTIVE) {
                hops.add(new Hop(PEERING, peering.id(), NO_ROUTE, name + " with network " + label(peer) + " is "
                        + peering.state() + "; a peering carries traffic only while it is ACTIVE, and the route"
                        + " table has not caught up with the model yet."));
                return Optional.empty();
            }
            boolean inSync = peering.isInSyncWith(from) && peering.isInSyncWith(peer);
            String sync = inSync ? "" : " It is not in sync: an address space changed since its last sync, and only "
                    + "the address spaces recorded then are routed.";
            String active = name + " between network " + label(from) + " and network " + label(peer)
                    + " is ACTIVE. ";
            boolean originates = Addresses.anyContains(from.cidrs(), Addresses.stored(source.ip()));
            if (!originates && !peering.allowForwardedTraffic()) {
                hops.add(new Hop(PEERING, peering.id(), DENY, active + "It does not allow forwarded traffic "
                        + "(allowForwardedTraffic is off), and this traffic from " + source.ip() + " did not "
                        + "originate in network " + label(from) + " (an appliance forwarded it): dropped at the "
                        + "peering." + sync));
                denied = true;
                return Optional.empty();
            }
            hops.add(new Hop(PEERING, peering.id(), PASS, active + (originates ? "It " + (peering
                    .allowForwardedTraffic() ? "allows" : "does not allow") + " forwarded traffic, which does not "
                    + "matter here: this traffic originates in network " + label(from) + " itself."
                    : "This traffic from " + source.ip() + " did not originate in network " + label(from)
                    + " (an appliance forwarded it), and the peering allows forwarded traffic.") + sync));
            return Optional.of(peer);
        }

        /**
         * Says why the route table has nothing: a peering towards the address that is not active, a route table
         * lagging an active one, or an address only a peer's own peering reaches (peering is not transitive).
         */
        private String noRouteDetail(Network from) {
            List<Peering> all = peerings.peerings(Caller.system());
            Map<String, Network> byId = new HashMap<>();
            networks.networks(Caller.system()).forEach(n -> byId.put(n.id(), n));
            String networkId = from.id();
            List<String> reasons = new ArrayList<>();
            for (Peering peering : all) {
                if (!peering.involves(networkId)) {
                    continue;
                }
                Network other = byId.get(otherSide(peering, networkId));
                if (other == null) {
                    continue;
                }
                String name = "peering " + peering.name() + " (" + peering.id() + ")";
                boolean active = peering.state() == PeeringState.ACTIVE;
                if (active && Addresses.anyContains(other.cidrs(), target.address())
                        && !peering.allowVirtualNetworkAccess()) {
                    reasons.add(address + " is in network " + label(other) + ", but the ACTIVE " + name + " does not "
                            + "allow virtual network access (allowVirtualNetworkAccess is off): it adds no routes.");
                } else if (active && Addresses.anyContains(other.cidrs(), target.address())
                        && !Addresses.anyContains(peering.routedCidrs(other), target.address())) {
                    reasons.add(address + " is in network " + label(other) + ", but " + name + " is not in sync: "
                            + "that address space was added after its last sync, so it is not routed until a side "
                            + "syncs the peering (POST /peerings/" + peering.id() + "/sync, or autoSync).");
                } else if (Addresses.anyContains(other.cidrs(), target.address())) {
                    reasons.add(peering.state() == PeeringState.ACTIVE
                            ? address + " is in network " + label(other) + ", reached through the ACTIVE " + name
                                    + ", but the route table has not caught up with it yet."
                            : address + " is in network " + label(other) + ", but " + name + " is "
                                    + peering.state() + "; a peering adds routes only while it is ACTIVE.");
                } else if (peering.state() == PeeringState.ACTIVE && reachedOnlyBeyond(from, other, all, byId)) {
                    reasons.add(address + " belongs to a network peered with network " + label(other)
                            + ", not with network " + label(from) + "; peering is not transitive.");
                }
            }
            String head = "Network " + label(from) + " has no route to " + address + ".";
            if (reasons.isEmpty()) {
                return head + " It routes only its own address space " + String.join(", ", from.cidrs())
                        + " and that of actively peered networks.";
            }
            return head + " " + String.join(" ", reasons);
        }

        private boolean reachedOnlyBeyond(Network from, Network peer, List<Peering> all,
                Map<String, Network> byId) {
            return all.stream()
                    .filter(p -> p.state() == PeeringState.ACTIVE && p.involves(peer.id())
                            && !p.involves(from.id()))
                    .map(p -> byId.get(otherSide(p, peer.id())))
                    .anyMatch(n -> n != null && Addresses.anyContains(n.cidrs(), target.address()));
        }

        /**
         * Adds the destination hop. A port named by the caller must be in the network the route leads to: an
         * isolated network may reuse the address, and traffic for it never leaves the network it is routed in.
         *
         * @return the destination port, or empty when no port in the reached network has the address
         */
        private Optional<Port> destinationHop(Network reached) {
            Optional<Port> named = target.port();
            if (named.isPresent() && !named.get().network().equals(reached.id())) {
                hops.add(new Hop(DESTINATION, address, NO_ROUTE, "Port " + label(named.get()) + " has address "
                        + address + " but is in another network; from network " + label(sourceNetwork) + ", "
                        + address + " leads into network " + label(reached) + ", so the traffic never reaches it."));
                return Optional.empty();
            }
            Optional<Port> port = named.isPresent() ? named : ports.ports(Caller.system(), Optional.of(reached.id()))
                    .stream().filter(p -> p.hasAddress() && Addresses.same(target.address(), p.ip())).findFirst();
            if (port.isEmpty()) {
                hops.add(new Hop(DESTINATION, address, NO_ROUTE, "No port has address " + address + " in network "
                        + label(reached) + ", where the route leads."));
                return Optional.empty();
            }
            hops.add(new Hop(DESTINATION, port.get().id(), PASS, "Port " + label(port.get()) + " in network "
                    + label(reached) + " has address " + address + "."));
            return port;
        }

        /**
         * Adds the overlay hop when the destination is on another node than the source: the source's node routes
         * (routing stays at the source), the tunnel of the destination's segment carries the traffic to the
         * destination's node, whose ingress rules then judge it.
         *
         * @return false when no tunnel joins the two nodes (one has no underlay address)
         */
        private boolean overlayHop(Port destination, Network reached) {
            String from = source.hostOr(sourceNetwork.driver());
            String to = destination.hostOr(reached.driver());
            if (from.equals(to)) {
                return true;
            }
            NodeService known = nodes;
            String fromUnderlay = underlay(known, from);
            String toUnderlay = underlay(known, to);
            if (fromUnderlay.isEmpty() || toUnderlay.isEmpty()) {
                String without = fromUnderlay.isEmpty() ? from : to;
                hops.add(new Hop(OVERLAY, without, NO_ROUTE, "Port " + label(source) + " is on node " + from
                        + " and port " + label(destination) + " on node " + to + "; node " + without + " has no "
                        + "underlay address, so no tunnel joins them."));
                return false;
            }
            RealisationService realised = realisation;
            OptionalInt vni = realised == null ? OptionalInt.empty() : realised.overlayVni(destination.subnet());
            String element = vni.isPresent() ? "vxlan:" + vni.getAsInt() : "vxlan:" + destination.subnet();
            hops.add(new Hop(OVERLAY, element, PASS, "Source node " + from + " (underlay " + fromUnderlay
                    + ") routes the traffic and sends it over the VXLAN tunnel of segment " + destination.subnet()
                    + (vni.isPresent() ? " (VNI " + vni.getAsInt() + ")" : "") + " to destination node " + to
                    + " (underlay " + toUnderlay + "), which holds port " + label(destination) + "."));
            return true;
        }

        private static String underlay(NodeService known, String node) {
            return known == null ? "" : known.find(node).map(Node::underlayAddress).orElse("");
        }

        private Hop firewallHop(String layer, Direction direction, Decision decision, String what) {
            // A default decided when no rule did: name it after its direction and action, as the firewall applies
            // it, so the element stays truthful even if the defaults ever change.
            String element = decision.ruleIfAny().map(FilterRule::cookie)
                    .orElse("default-" + lower(direction) + "-" + lower(decision.action()));
            String outcome = decision.action() == RuleAction.ALLOW ? "allowed" : "denied";
            return new Hop(layer, element, decision.action().name(), what + " is " + outcome + ". "
                    + decision.reason());
        }

        private String label(Port port) {
            return caller.sees(port.tenant()) ? port.name() + " (" + port.id() + ")" : port.id();
        }

        private String label(Network network) {
            return caller.sees(network.tenant()) ? network.name() + " (" + network.id() + ")" : network.id();
        }
    }
}
