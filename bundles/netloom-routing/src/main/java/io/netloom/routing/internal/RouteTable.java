package io.netloom.routing.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import inet.ipaddr.Address;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie.IPv4AssociativeTrieNode;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie.IPv6AssociativeTrieNode;
import io.netloom.api.model.Network;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringState;
import io.netloom.api.routing.Route;
import io.netloom.api.net.IpAddresses;

/**
 * One network's effective route table with its longest-prefix-match index.
 *
 * <p>A table is immutable once built. The ipaddress library's tries are safe for concurrent readers as long as no
 * thread modifies them, so a table published through a concurrent map can be read by any number of threads
 * without locking; a change to the model builds a new table instead of editing this one.
 *
 * <p>Lookups walk a binary radix trie (one for IPv4, one for IPv6), so their cost grows with the address length,
 * not with the number of routes.
 */
public final class RouteTable {

    /** {@link Route#origin()} of a network's own address space. */
    static final String ORIGIN_LOCAL = "local";
    /** {@link Route#origin()} of a route over a peering. */
    static final String ORIGIN_PEERING = "peering";
    /** Origin of a user's static route; its target is the next-hop address. */
    static final String ORIGIN_STATIC = "static";

    private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);


    private static final Comparator<Entry> ORDER = Comparator
            .comparingInt((Entry e) -> e.prefix().getNetworkPrefixLength()).reversed()
            .thenComparing(e -> e.prefix().isIPv6())
            .thenComparing(Entry::prefix, Address.ADDRESS_LOW_VALUE_COMPARATOR)
            .thenComparing(e -> e.route().target());

    private final List<Route> routes;
    private final IPv4AddressAssociativeTrie<Route> v4;
    private final IPv6AddressAssociativeTrie<Route> v6;

    private RouteTable(List<Route> routes, IPv4AddressAssociativeTrie<Route> v4,
            IPv6AddressAssociativeTrie<Route> v6) {
        this.routes = routes;
        this.v4 = v4;
        this.v6 = v6;
    }

    /** A route with its parsed destination, so that sorting and indexing parse each destination once. */
    private record Entry(IPAddress prefix, Route route) {
    }

    /**
     * Builds the table of a network: one {@code local} route per prefix of its address space, and for each
     * {@code ACTIVE} peering that allows virtual network access one route per prefix of the peer's address space
     * as recorded at the peering's last sync. Peerings in any other state add
     * nothing, and nothing is learnt through a peer (peering is not transitive).
     *
     * @param network the network whose table this is
     * @param peers peerings of this network with the network on their other side, in any state, oldest first
     * @return the table
     * @throws IllegalArgumentException when a peering does not join {@code network} to its peer
     */
    public static RouteTable forNetwork(Network network, List<PeeredNetwork> peers) {
        return forNetwork(network, List.of(), peers);
    }

    /**
     * Builds a network's table with its static routes: local routes, then static routes (so one to the same prefix
     * as a peering's wins), then peerings.
     *
     * @param network the network whose table this is
     * @param statics the network's static routes, oldest first
     * @param peers peerings of this network with the network on their other side, in any state, oldest first
     * @return the table
     */
    public static RouteTable forNetwork(Network network, List<StaticRoute> statics, List<PeeredNetwork> peers) {
        Objects.requireNonNull(network, "network");
        List<Route> routes = new ArrayList<>();
        for (String cidr : network.cidrs()) {
            routes.add(new Route(cidr, Route.LOCAL, ORIGIN_LOCAL));
        }
        for (StaticRoute route : statics) {
            routes.add(new Route(route.destination(), route.nextHop(), ORIGIN_STATIC));
        }
        for (PeeredNetwork side : peers) {
            Peering peering = side.peering();
            if (!peering.involves(network.id()) || side.peer().id().equals(network.id())) {
                throw new IllegalArgumentException("Peering " + peering.id() + " does not join network "
                        + network.id() + " to network " + side.peer().id());
            }
            if (peering.state() != PeeringState.ACTIVE || !peering.allowVirtualNetworkAccess()) {
                continue;
            }
            // The peer's address space as of the peering's last sync: a prefix it added since is not routed yet.
            for (String cidr : peering.routedCidrs(side.peer())) {
                routes.add(new Route(cidr, Route.peeringTarget(peering.id()), ORIGIN_PEERING));
            }
        }
        return of(network.id(), routes);
    }

    /**
     * Builds a table from any routes. When two routes have the same destination the first one is kept: the local
     * routes come first and peerings oldest first, so an older peering keeps its route when a newer one brings the
     * same prefix (two peers may share an address space, because overlap is only checked within each pair).
     *
     * @param networkId the network the table belongs to, for log messages
     * @param routes the routes; each destination must be a canonical prefix such as {@code 10.1.0.0/16}
     * @return the table
     * @throws IllegalArgumentException when a destination is not a prefix
     */
    public static RouteTable of(String networkId, Collection<Route> routes) {
        Objects.requireNonNull(networkId, "networkId");
        IPv4AddressAssociativeTrie<Route> v4 = new IPv4AddressAssociativeTrie<>();
        IPv6AddressAssociativeTrie<Route> v6 = new IPv6AddressAssociativeTrie<>();
        List<Entry> entries = new ArrayList<>(routes.size());
        for (Route route : routes) {
            IPAddress prefix = parsePrefix(route.destination());
            // Not putNew: in ipaddress 5.5.1 it reports an existing key but replaces its value all the same.
            Route kept = prefix.isIPv4() ? v4.get(prefix.toIPv4()) : v6.get(prefix.toIPv6());
            if (kept != null) {
                LOG.warn("Network {}: the route to {} via {} is shadowed by the route via {}; two peered networks "
                        + "share this address space", networkId, route.destination(), route.target(), kept.target());
                continue;
            }
            if (prefix.isIPv4()) {
                v4.put(prefix.toIPv4(), route);
            } else {
                v6.put(prefix.toIPv6(), route);
            }
            entries.add(new Entry(prefix, route));
        }
        entries.sort(ORDER);
        return new RouteTable(entries.stream().map(Entry::route).toList(), v4, v6);
    }

    private static IPAddress parsePrefix(String destination) {
        IPAddress prefix = new IPAddressString(destination).getAddress();
        if (prefix == null || !prefix.isPrefixed() || !prefix.isSinglePrefixBlock()) {
            throw new IllegalArgumentException("Route destination '" + destination
                    + "' is not a prefix with its host bits zero");
        }
        return prefix;
    }

    /**
     * @return every route, longest prefix first, then IPv4 before IPv6, then by address
     */
    public List<Route> routes() {
        return routes;
    }

    /**
     * @return the number of routes
     */
    public int size() {
        return routes.size();
    }

    /**
     * Longest-prefix match of an address written as text.
     *
     * @param address a single IPv4 or IPv6 address, such as {@code 10.1.2.3} or {@code fd00::5}
     * @return the most specific route covering it; empty when none does, or when the text is not a single address
     *     in standard notation (shorthand, wildcards, ranges, prefix lengths and zones are not addresses here)
     */
    public Optional<Route> lookup(String address) {
        Objects.requireNonNull(address, "address");
        IPAddress parsed = IpAddresses.parse(address).orElse(null);
        if (parsed == null || parsed.isMultiple()) {
            return Optional.empty();
        }
        return lookup(parsed);
    }

    /**
     * Longest-prefix match of a parsed address.
     *
     * @param address a single IPv4 or IPv6 address; a prefix length on it is ignored
     * @return the most specific route covering it; empty when none does
     * @throws IllegalArgumentException when {@code address} stands for several addresses
     */
    public Optional<Route> lookup(IPAddress address) {
        Objects.requireNonNull(address, "address");
        IPAddress single = address.withoutPrefixLength();
        if (single.isMultiple()) {
            throw new IllegalArgumentException(address + " is several addresses, not one");
        }
        if (single.isIPv4()) {
            IPv4AssociativeTrieNode<Route> node = v4.longestPrefixMatchNode(single.toIPv4());
            return node == null ? Optional.empty() : Optional.of(node.getValue());
        }
        IPv6AssociativeTrieNode<Route> node = v6.longestPrefixMatchNode(single.toIPv6());
        return node == null ? Optional.empty() : Optional.of(node.getValue());
    }
}
