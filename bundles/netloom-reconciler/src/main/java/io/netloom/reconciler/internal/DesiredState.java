package io.netloom.reconciler.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.Port;
import io.netloom.api.model.Subnet;
import io.netloom.api.net.IpAddresses;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RouteTarget;

/**
 * What a node should hold, computed from the model, the route tables and the compiled filter rules: a network's
 * entries (segments, routes) and a port's (the port, its filter rules, its memberships in address sets), each
 * computable alone so that a change recomputes only what it touched.
 */
final class DesiredState {

    private DesiredState() {
    }

    /**
     * How address sets reach a node. A driver with address sets gets rules that reference a set and one entry per
     * member; one without gets every such rule expanded into one rule per member address, and no set entries.
     *
     * @param expand {@code null} when the driver has address sets; otherwise the members' addresses of a set
     */
    record Sets(Function<String, Map<String, String>> expand) {

        /** Native address sets. */
        static final Sets NATIVE = new Sets(null);

        boolean isNative() {
            return expand == null;
        }
    }

    /**
     * The subnets a data plane can realise: those with a gateway. A subnet without one (and every port in it) is
     * left out, so its ports stay pending rather than half realised.
     *
     * @param subnets a network's subnets
     * @return those with a gateway
     */
    static List<Subnet> realisable(List<Subnet> subnets) {
        return subnets.stream().filter(s -> s.gatewayIfAny().isPresent()).toList();
    }

    /**
     * Adds a network's segments and routes.
     *
     * @param network the network
     * @param subnets its subnets
     * @param routes its route table
     * @param peerings every peering by id
     * @param out receives the entries
     */
    static void networkEntries(Network network, List<Subnet> subnets, List<Route> routes,
            Map<String, Peering> peerings, Consumer<ConfigEntry> out) {
        for (Subnet s : subnets) {
            out.accept(new SegmentEntry(network.id(), s.id(), s.cidr(), s.gateway()));
        }
        for (Route r : routes) {
            String peer = null;
            boolean forwarded = false;
            RouteTarget target = RouteTarget.of(r.target());
            if (target instanceof RouteTarget.Peering via) {
                Peering p = peerings.get(via.peeringId());
                if (p == null) {
                    continue;
                }
                peer = p.otherSide(network.id());
                forwarded = p.allowForwardedTraffic();
            } else if (target instanceof RouteTarget.NextHop hop) {
                Optional<Holder> holder = nextHopNetwork(network, hop.address(), routes, peerings);
                if (holder.isEmpty()) {
                    // Outside the network and over no active peering (the peering went): the route leads nowhere,
                    // so it is not realised and its traffic has no route, as explain says.
                    continue;
                }
                peer = holder.get().peer();
            }
            out.accept(new RouteEntry(network.id(), r.destination(), r.target(), peer, forwarded));
        }
    }

    /**
     * Where a next hop is.
     *
     * @param peer the peered network holding it, or {@code null} for the route's own network
     */
    private record Holder(String peer) {
    }

    /**
     * The network that holds a next hop: the network itself when the next hop is in its own address space, else the
     * peer network of the most specific peering route to it (an appliance in a hub).
     *
     * @return empty when no peering route reaches a next hop outside the network
     */
    private static Optional<Holder> nextHopNetwork(Network network, String nextHop, List<Route> routes,
            Map<String, Peering> peerings) {
        IPAddress address = IpAddresses.parse(nextHop).orElse(null);
        if (address == null || network.cidrs().stream().anyMatch(c -> contains(c, address))) {
            return Optional.of(new Holder(null));
        }
        String peer = null;
        int best = -1;
        for (Route r : routes) {
            if (RouteTarget.of(r.target()) instanceof RouteTarget.Peering via && peerings.containsKey(via.peeringId())
                    && contains(r.destination(), address)) {
                int length = prefixLength(r.destination());
                if (length > best) {
                    best = length;
                    peer = peerings.get(via.peeringId()).otherSide(network.id());
                }
            }
        }
        return peer == null ? Optional.empty() : Optional.of(new Holder(peer));
    }

    private static boolean contains(String prefix, IPAddress address) {
        IPAddress block = new IPAddressString(prefix).getAddress();
        return block != null && block.getIPVersion() == address.getIPVersion() && block.toPrefixBlock()
                .contains(address);
    }

    private static int prefixLength(String prefix) {
        IPAddress block = new IPAddressString(prefix).getAddress();
        return block == null || block.getNetworkPrefixLength() == null ? -1 : block.getNetworkPrefixLength();
    }

    /**
     * Adds a port's entries: the port, its filter rules and, with native sets, its memberships.
     *
     * @param port the port
     * @param subnet its subnet
     * @param rules its compiled filter rules
     * @param memberships the address sets it is a member of
     * @param sets how address sets reach the node
     * @param out receives the entries
     */
    static void portEntries(Port port, Subnet subnet, List<FilterRule> rules, List<String> memberships, Sets sets,
            Consumer<ConfigEntry> out) {
        out.accept(new PortEntry(port.id(), port.network(), port.subnet(), port.ip(), port.mac(),
                subnet.gateway(), port.bindingIfAny().map(b -> b.type()).orElse(null),
                port.bindingIfAny().map(b -> b.target()).orElse(null), port.allowedAddressPairs()));
        for (FilterRule rule : rules) {
            if (!rule.referencesSet() || sets.isNative()) {
                out.accept(new FilterEntry(rule));
                continue;
            }
            // Members sharing an address (ports of networks that are not peered) yield it once.
            Set<String> addresses = new LinkedHashSet<>(sets.expand().apply(rule.remoteSet()).values());
            for (String address : addresses) {
                out.accept(new FilterEntry(rule.withRemoteCidr(IpAddresses.hostPrefix(address))));
            }
        }
        if (sets.isNative()) {
            for (String set : memberships) {
                out.accept(new AddressSetEntry(set, port.id(), port.ip()));
            }
        }
    }

    /**
     * @param sets how address sets reach a driver without them
     * @return the same, remembering each set's members for the rest of one computation
     */
    static Sets cached(Sets sets) {
        if (sets.isNative()) {
            return sets;
        }
        Map<String, Map<String, String>> seen = new HashMap<>();
        return new Sets(set -> seen.computeIfAbsent(set, sets.expand()));
    }
}
