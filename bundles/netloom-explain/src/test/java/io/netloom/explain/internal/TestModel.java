package io.netloom.explain.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.netloom.api.NotFoundException;
import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;

/**
 * A tiny in-memory model with fakes of the five services explain uses. The routing and firewall fakes follow the
 * documented semantics of their interfaces (local and active-peering routes, longest prefix first; rules by
 * priority, first match decides, default ingress deny and egress allow, remote groups expanded to members).
 */
final class TestModel {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<String, Peering> peerings = new LinkedHashMap<>();
    private final Map<String, List<Rule>> groups = new LinkedHashMap<>();
    private final List<StaticRoute> statics = new ArrayList<>();

    final NetworkService networkService = new Networks();
    final PortService portService = new Ports();
    final PeeringService peeringService = new Peerings();
    final RoutingService routingService = new Routing();
    final FirewallService firewallService = new Firewall();

    /** Adds a network with its default group, whose one rule lets its members in, as the model creates it. */
    void network(String id, String tenant, String... cidrs) {
        networks.put(id, new Network(id, "net-" + id, tenant, List.of(cidrs), "sim", T0, RealisationStatus.PENDING,
                ""));
        group(defaultGroup(id));
        rule(defaultGroup(id), "members", Direction.INGRESS, Protocol.ANY, null, null, null, defaultGroup(id),
                RuleAction.ALLOW, Rule.DEFAULT_PRIORITY);
    }

    static String defaultGroup(String networkId) {
        return "sg-" + networkId;
    }

    void port(String id, String network, String ip, String... securityGroups) {
        Network net = networks.get(network);
        // Without an address (ip null) the port is L2 only: no subnet either.
        ports.put(id, new Port(id, "port-" + id, net.tenant(), network, ip == null ? null : network + "-subnet", ip,
                "02:00:00:00:00:" + String.format("%02x", ports.size()), List.of(securityGroups), null, T0,
                RealisationStatus.PENDING, ""));
    }

    /** Places a port on a node (a host). */
    void place(String portId, String node) {
        ports.put(portId, ports.get(portId).withHost(node));
    }

    /** Adds a static route; the routing service serves it as the model's routing does (origin static). */
    void staticRoute(String network, String destination, String nextHop) {
        statics.add(new StaticRoute("route-" + statics.size(), network, networks.get(network).tenant(), destination,
                nextHop, T0));
    }

    /** Gives a port allowed address pairs (prefixes, the port's own MAC). */
    void pairs(String port, String... prefixes) {
        ports.put(port, ports.get(port).withAllowedAddressPairs(Arrays.stream(prefixes)
                .map(prefix -> new AddressPair(prefix, null)).toList()));
    }

    void peering(String id, String network, String peer, PeeringState state) {
        peerings.put(id, new Peering(id, "peer-" + id, networks.get(network).tenant(), network, peer, false, state,
                "", T0, T0));
    }

    /** Replaces a peering, such as one with recorded address spaces or other flags. */
    void peering(Peering peering) {
        peerings.put(peering.id(), peering);
    }

    Peering peering(String id) {
        return peerings.get(id);
    }

    void group(String id) {
        groups.put(id, new ArrayList<>());
    }

    void rule(String group, String id, Direction direction, Protocol protocol, Integer portMin, Integer portMax,
            String remoteCidr, String remoteGroup, RuleAction action, int priority) {
        groups.get(group).add(new Rule(id, direction, protocol, portMin, portMax, remoteCidr, remoteGroup, action,
                priority));
    }

    private List<String> groupsOf(Port port) {
        return port.securityGroups().isEmpty() ? List.of(defaultGroup(port.network())) : port.securityGroups();
    }

    private static IPAddress address(String text) {
        return new IPAddressString(text).getAddress();
    }

    private static boolean contains(String cidr, String address) {
        IPAddress prefix = address(cidr);
        IPAddress a = address(address);
        return prefix.getIPVersion() == a.getIPVersion() && prefix.toPrefixBlock().contains(a);
    }

    private final class Networks implements NetworkService {
        @Override
        public List<Network> networks(Caller caller) {
            return networks.values().stream().filter(n -> caller.sees(n.tenant())).toList();
        }

        @Override
        public Network network(Caller caller, String idOrName) {
            return networks(caller).stream().filter(n -> n.id().equals(idOrName) || n.name().equals(idOrName))
                    .findFirst().orElseThrow(() -> new NotFoundException("network", idOrName));
        }

        @Override

        public List<StaticRoute> staticRoutes(Caller caller, String networkIdOrName) {

            String networkId = network(caller, networkIdOrName).id();
            return statics.stream().filter(r -> r.network().equals(networkId)).toList();

        }


        @Override
        public List<Subnet> subnets(Caller caller, String networkIdOrName) {
            throw new UnsupportedOperationException("explain reads no subnets");
        }

        @Override
        public Subnet subnet(Caller caller, String idOrName) {
            throw new UnsupportedOperationException("explain reads no subnets");
        }
    }

    private final class Ports implements PortService {
        @Override
        public List<Port> ports(Caller caller, Optional<String> networkIdOrName) {
            Optional<String> networkId = networkIdOrName.map(n -> networkService.network(caller, n).id());
            return ports.values().stream().filter(p -> caller.sees(p.tenant()))
                    .filter(p -> networkId.map(p.network()::equals).orElse(true)).toList();
        }

        @Override
        public Port port(Caller caller, String idOrName) {
            return ports(caller, Optional.empty()).stream()
                    .filter(p -> p.id().equals(idOrName) || p.name().equals(idOrName))
                    .findFirst().orElseThrow(() -> new NotFoundException("port", idOrName));
        }
    }

    private final class Peerings implements PeeringService {
        @Override
        public List<Peering> peerings(Caller caller) {
            return peerings.values().stream().filter(p -> caller.sees(networks.get(p.network()).tenant())
                    || caller.sees(networks.get(p.peerNetwork()).tenant())).toList();
        }

        @Override
        public Peering peering(Caller caller, String idOrName) {
            return peerings(caller).stream().filter(p -> p.id().equals(idOrName)).findFirst()
                    .orElseThrow(() -> new NotFoundException("peering", idOrName));
        }
    }

    private final class Routing implements RoutingService {
        @Override
        public List<Route> routes(Caller caller, String networkIdOrName) {
            String networkId = networkService.network(caller, networkIdOrName).id();
            List<Route> routes = new ArrayList<>();
            networks.get(networkId).cidrs().forEach(c -> routes.add(new Route(c, Route.LOCAL, "local")));
            statics.stream().filter(r -> r.network().equals(networkId))
                    .forEach(r -> routes.add(new Route(r.destination(), r.nextHop(), "static")));
            for (Peering p : peerings.values()) {
                if (p.state() == PeeringState.ACTIVE && p.allowVirtualNetworkAccess() && p.involves(networkId)) {
                    String other = p.network().equals(networkId) ? p.peerNetwork() : p.network();
                    p.routedCidrs(networks.get(other)).forEach(c -> routes.add(new Route(c, Route.peeringTarget(p.id()),
                            "peering")));
                }
            }
            routes.sort(Comparator.comparingInt((Route r) -> address(r.destination()).getPrefixLength())
                    .reversed());
            return routes;
        }

        @Override
        public Optional<Route> lookup(String networkId, String address) {
            return routes(Caller.system(), networkId).stream().filter(r -> contains(r.destination(), address))
                    .findFirst();
        }
    }

    private final class Firewall implements FirewallService {
        @Override
        public List<FilterRule> compiled(String portId) {
            Port port = ports.get(portId);
            if (port == null) {
                return List.of();
            }
            List<FilterRule> compiled = new ArrayList<>();
            for (String group : groupsOf(port)) {
                for (Rule rule : groups.get(group)) {
                    for (String remote : remotes(rule)) {
                        compiled.add(new FilterRule(group + "/" + rule.id(), portId, rule.direction(),
                                rule.protocol(), rule.portMin(), rule.portMax(), remote, rule.action(),
                                rule.priority()));
                    }
                }
            }
            compiled.sort(Comparator.comparingInt(FilterRule::priority));
            return compiled;
        }

        private List<String> remotes(Rule rule) {
            if (rule.remoteGroup() != null) {
                return ports.values().stream().filter(p -> groupsOf(p).contains(rule.remoteGroup()))
                        .map(p -> p.ip() + "/32").toList();
            }
            return List.of(rule.remoteCidr() != null ? rule.remoteCidr() : "0.0.0.0/0");
        }

        @Override
        public boolean knows(String portId) {
            return ports.containsKey(portId);
        }

        @Override
        public List<String> memberships(String portId) {
            Port port = ports.get(portId);
            return port == null ? List.of() : groupsOf(port);
        }

        @Override
        public Map<String, String> addressSet(String setId) {
            Map<String, String> members = new TreeMap<>();
            ports.values().stream().filter(p -> groupsOf(p).contains(setId)).forEach(p -> members.put(p.id(), p.ip()));
            return members;
        }

        @Override
        public Decision decide(String portId, Direction direction, Protocol protocol, String remoteAddress,
                int transportPort) {
            if (!ports.containsKey(portId)) {
                throw new NotFoundException("port", portId);
            }
            for (FilterRule rule : compiled(portId)) {
                boolean matches = rule.direction() == direction
                        && (rule.protocol() == Protocol.ANY || rule.protocol() == protocol)
                        && (rule.portMin() == null || protocol == Protocol.ICMP
                                || transportPort >= rule.portMin() && transportPort <= rule.portMax())
                        && contains(rule.remoteCidr(), remoteAddress);
                if (matches) {
                    return new Decision(rule.action(), rule, "Rule " + rule.cookie() + " matches.");
                }
            }
            return direction == Direction.INGRESS
                    ? new Decision(RuleAction.DENY, null, "No rule matches; new ingress is denied by default.")
                    : new Decision(RuleAction.ALLOW, null, "No rule matches; egress is allowed by default.");
        }

        @Override
        public List<LintFinding> lint(Caller caller, String groupIdOrName) {
            throw new UnsupportedOperationException("explain lints nothing");
        }
    }
}
