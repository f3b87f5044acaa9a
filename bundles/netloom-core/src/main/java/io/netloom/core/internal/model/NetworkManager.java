package io.netloom.core.internal.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import inet.ipaddr.IPAddress;
import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.model.AddressRange;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Network;
import io.netloom.api.model.HostRoute;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.QuotaService;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.StaticRouteSpec;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.model.SubnetUpdate;
import io.netloom.core.internal.ip.Cidrs;
import io.netloom.core.internal.ip.Ipam;

/**
 * Networks and their subnets.
 */
@Component(service = {NetworkService.class, NetworkAdminService.class})
public class NetworkManager implements NetworkAdminService {

    static final int MAX_CIDRS = 16;
    private static final Pattern DRIVER_TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    static final Comparator<Network> NETWORK_ORDER = Comparator.comparing(Network::createdAt)
            .thenComparing(Network::id);
    static final Comparator<Subnet> SUBNET_ORDER = Comparator.comparing(Subnet::createdAt).thenComparing(Subnet::id);
    static final Comparator<StaticRoute> ROUTE_ORDER = Comparator.comparing(StaticRoute::createdAt)
            .thenComparing(StaticRoute::id);
    static final int MAX_STATIC_ROUTES = 100;
    /** The longest prefixes a subnet may have: a /30 holds a gateway and one port, as does a /126. */
    static final int MAX_IPV4_SUBNET_PREFIX = 30;
    static final int MAX_IPV6_SUBNET_PREFIX = 126;

    @Reference
    private ModelRepository repository;

    @Reference
    private DriverRegistry drivers;

    @Reference
    private QuotaManager quotas;

    /** Used by the component runtime. */
    public NetworkManager() {
    }

    /** For tests: no quotas. */
    public NetworkManager(ModelRepository repository, DriverRegistry drivers) {
        this(repository, drivers, new QuotaManager(repository, Map.of()));
    }

    /** For tests. */
    public NetworkManager(ModelRepository repository, DriverRegistry drivers, QuotaManager quotas) {
        this.repository = repository;
        this.drivers = drivers;
        this.quotas = quotas;
    }

    @Override
    public List<Network> networks(Caller caller) {
        return repository.all(Kind.NETWORK, n -> caller.sees(n.tenant()), NETWORK_ORDER);
    }

    @Override
    public Network network(Caller caller, String idOrName) {
        return repository.resolve(Kind.NETWORK, idOrName, n -> caller.sees(n.tenant()));
    }


    @Override
    public List<Subnet> subnets(Caller caller, String networkIdOrName) {
        Network network = network(caller, networkIdOrName);
        return repository.all(Kind.SUBNET, s -> s.network().equals(network.id()), SUBNET_ORDER);
    }

    @Override
    public Subnet subnet(Caller caller, String idOrName) {
        return repository.resolve(Kind.SUBNET, idOrName, s -> caller.sees(s.tenant()));
    }

    /** A network the caller sees (else not found) and may change (else forbidden). */
    private Network writableNetwork(Caller caller, String idOrName) {
        return Access.requireWrite(caller, Kind.NETWORK, network(caller, idOrName));
    }

    @Override
    public Network createNetwork(Caller caller, NetworkSpec spec) {
        String name = Kind.requireName(spec.name(), "name");
        String description = Kind.requireDescription(spec.description(), "description");
        // A network that grows with its subnets (the OpenStack northbound's) may start with no address space.
        List<String> canonical = spec.growsWithSubnets() && (spec.cidrs() == null || spec.cidrs().isEmpty())
                ? List.of() : canonicalCidrs(spec.cidrs());
        String driver = spec.driver() == null ? drivers.defaultType() : spec.driver();
        if (!DRIVER_TYPE.matcher(driver).matches()) {
            throw new ValidationException("INVALID_DRIVER",
                    "A driver type is 1-32 lower-case letters, digits, '_' or '-'", "driver");
        }
        RealisationStatus status = drivers.driver(driver).isPresent() ? RealisationStatus.PENDING
                : RealisationStatus.DRIVER_MISSING;
        if (status == RealisationStatus.DRIVER_MISSING) {
            // A network nothing can realise would hold every wait on it; only an administrator may ask for one.
            if (!spec.pendingDriver()) {
                throw new ValidationException("UNKNOWN_DRIVER", "No driver of type '" + driver + "' is registered "
                        + "(see GET /drivers); an administrator may create the network anyway with pendingDriver",
                        "driver");
            }
            if (!caller.writesEverywhere()) {
                throw new ForbiddenException("Only an administrator (netloom-admin) may create a network for a "
                        + "driver that is not registered");
            }
        }
        String detail = status == RealisationStatus.DRIVER_MISSING
                ? "No driver of type '" + driver + "' is registered; the network is stored and waits for one" : "";
        Access.requireCreate(caller, "network");
        return repository.write(caller, "network.create", changes -> {
            quotas.require(caller.tenant(), QuotaService.NETWORKS, 1);
            Network network = new Network(repository.newId(Kind.NETWORK), name, caller.tenant(), description,
                    canonical, driver, repository.now(), status, detail);
            changes.put(Kind.NETWORK, null, network);
            changes.put(Kind.GROUP, null, defaultGroup(network));
            return network;
        });
    }

    /**
     * Checks an address space as creation and update take it: 1 to {@value #MAX_CIDRS} valid prefixes, none
     * reserved, none overlapping another.
     *
     * @return the prefixes in canonical form, in the given order
     */
    private static List<String> canonicalCidrs(List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            throw new ValidationException("INVALID_CIDR", "A network needs at least one CIDR", "cidrs");
        }
        if (cidrs.size() > MAX_CIDRS) {
            throw new ValidationException("INVALID_CIDR", "A network has at most " + MAX_CIDRS + " CIDRs", "cidrs");
        }
        List<IPAddress> prefixes = new ArrayList<>();
        for (int i = 0; i < cidrs.size(); i++) {
            IPAddress prefix = Cidrs.parsePrefix(cidrs.get(i), "cidrs[" + i + "]");
            int index = i;
            Cidrs.reservedOverlap(prefix).ifPresent(reserved -> {
                throw new ValidationException("RESERVED_ADDRESS_SPACE", Cidrs.canonical(prefix) + " overlaps "
                        + reserved + ", which a network may not use", "cidrs[" + index + "]");
            });
            for (int j = 0; j < prefixes.size(); j++) {
                if (Cidrs.overlaps(prefixes.get(j), prefix)) {
                    throw new ValidationException("OVERLAPPING_CIDRS", Cidrs.canonical(prefix) + " overlaps "
                            + Cidrs.canonical(prefixes.get(j)) + " of the same network", "cidrs[" + i + "]");
                }
            }
            prefixes.add(prefix);
        }
        return prefixes.stream().map(Cidrs::canonical).toList();
    }

    @Override
    public Network updateNetwork(Caller caller, String idOrName, NetworkUpdate update) {
        String name = update.name().map(n -> Kind.requireName(n, "name")).orElse(null);
        String description = update.description().map(d -> Kind.requireDescription(d, "description")).orElse(null);
        List<String> cidrs = update.cidrs().map(NetworkManager::canonicalCidrs).orElse(null);
        return repository.write(caller, "network.update", changes -> {
            Network network = writableNetwork(caller, idOrName);
            Network updated = network.with(name == null ? network.name() : name,
                    description == null ? network.description() : description,
                    cidrs == null ? network.cidrs() : cidrs);
            if (cidrs != null) {
                requireSubnetsInside(updated);
                new PeeringRules(repository).addressSpaceChanging(caller, changes, network, updated);
            }
            changes.put(Kind.NETWORK, network, updated);
            return updated;
        });
    }

    /** Every subnet of the network lies in its (new) address space; else 409 {@code CIDR_IN_USE}. */
    private void requireSubnetsInside(Network network) {
        for (Subnet subnet : repository.all(Kind.SUBNET, s -> s.network().equals(network.id()), SUBNET_ORDER)) {
            IPAddress prefix = Cidrs.parsePrefix(subnet.cidr(), "cidr");
            if (network.cidrs().stream().noneMatch(c -> Cidrs.contains(Cidrs.parsePrefix(c, "cidrs"), prefix))) {
                throw new ConflictException("CIDR_IN_USE", "Subnet " + subnet.name() + " (" + subnet.cidr()
                        + ") lies in the address space that would be removed: delete the subnet first", "cidrs");
            }
        }
    }

    @Override
    public Subnet updateSubnet(Caller caller, String idOrName, SubnetUpdate update) {
        String name = update.name().map(n -> Kind.requireName(n, "name")).orElse(null);
        return repository.write(caller, "subnet.update", changes -> {
            Subnet s = Access.requireWrite(caller, Kind.SUBNET, subnet(caller, idOrName));
            IPAddress prefix = Cidrs.parsePrefix(s.cidr(), "cidr");
            Subnet updated = s.withSettings(name == null ? s.name() : name,
                    update.dnsNameservers().map(d -> SubnetSettings.dnsNameservers(d, prefix, "dnsNameservers"))
                            .orElse(s.dnsNameservers()),
                    update.hostRoutes().map(r -> SubnetSettings.hostRoutes(r, prefix, "hostRoutes"))
                            .orElse(s.hostRoutes()));
            changes.put(Kind.SUBNET, s, updated);
            return updated;
        });
    }

    private SecurityGroup defaultGroup(Network network) {
        String id = repository.newId(Kind.GROUP);
        Rule fromMembers = new Rule(repository.newRuleId(), Direction.INGRESS,
                Protocol.ANY, null, null, null, id, RuleAction.ALLOW, Rule.DEFAULT_PRIORITY);
        return new SecurityGroup(id, "default", network.tenant(),
                "Default group of network " + network.name() + ": ingress from its members, all egress",
                network.id(), List.of(fromMembers), network.createdAt());
    }

    @Override
    public void deleteNetwork(Caller caller, String idOrName) {
        repository.write(caller, "network.delete", changes -> {
            Network network = writableNetwork(caller, idOrName);
            long ports = repository.all(Kind.PORT, p -> p.network().equals(network.id()), (a, b) -> 0).size();
            if (ports > 0) {
                throw new ConflictException("IN_USE", "Network " + network.name() + " still has " + ports
                        + " port(s): delete them first", null);
            }
            repository.all(Kind.PEERING, p -> p.involves(network.id()), (a, b) -> 0).forEach(p -> {
                if (p.isLive()) {
                    throw new ConflictException("IN_USE", "Network " + network.name() + " has the " + p.state()
                            + " peering " + p.name() + " (" + p.id() + "): delete it first", null);
                }
                changes.delete(Kind.PEERING, p);
            });
            for (SecurityGroup group : repository.all(Kind.GROUP, g -> network.id().equals(g.network()),
                    (a, b) -> 0)) {
                SecurityGroupManager.requireUnreferenced(repository, group);
                changes.delete(Kind.GROUP, group);
            }
            repository.all(Kind.STATIC_ROUTE, r -> r.network().equals(network.id()), ROUTE_ORDER)
                    .forEach(r -> changes.delete(Kind.STATIC_ROUTE, r));
            repository.all(Kind.SUBNET, s -> s.network().equals(network.id()), SUBNET_ORDER)
                    .forEach(s -> changes.delete(Kind.SUBNET, s));
            changes.delete(Kind.NETWORK, network);
            return null;
        });
    }

    @Override
    public Subnet createSubnet(Caller caller, String networkIdOrName, SubnetSpec spec) {
        String name = Kind.requireName(spec.name(), "name");
        IPAddress prefix = Cidrs.parsePrefix(spec.cidr(), "cidr");
        int longest = prefix.isIPv4() ? MAX_IPV4_SUBNET_PREFIX : MAX_IPV6_SUBNET_PREFIX;
        if (prefix.getNetworkPrefixLength() > longest) {
            throw new ValidationException("SUBNET_TOO_SMALL", Cidrs.canonical(prefix) + " has no room for a gateway "
                    + "and a port: an " + (prefix.isIPv4() ? "IPv4" : "IPv6") + " subnet is /" + longest
                    + " or larger", "cidr");
        }
        if (spec.noGateway() && spec.gateway() != null) {
            throw new ValidationException("GATEWAY_CONFLICT", "A subnet without a gateway names no gateway",
                    "gateway");
        }
        String gateway = spec.noGateway() ? null : spec.gateway() == null ? Ipam.defaultGateway(prefix)
                : Ipam.checkGateway(prefix, spec.gateway(), "gateway");
        List<AddressRange> pools = Ipam.checkPools(prefix, gateway, spec.allocationPools(), "allocationPools");
        List<String> servers = SubnetSettings.dnsNameservers(spec.dnsNameservers(), prefix, "dnsNameservers");
        List<HostRoute> hostRoutes = SubnetSettings.hostRoutes(spec.hostRoutes(), prefix, "hostRoutes");
        return repository.write(caller, "subnet.create", changes -> {
            Network network = writableNetwork(caller, networkIdOrName);
            boolean inside = network.cidrs().stream()
                    .anyMatch(c -> Cidrs.contains(Cidrs.parsePrefix(c, "cidr"), prefix));
            if (!inside) {
                throw new ValidationException("CIDR_OUTSIDE_NETWORK", Cidrs.canonical(prefix)
                        + " is not inside the address space of network " + network.name() + " "
                        + network.cidrs(), "cidr");
            }
            for (Subnet other : repository.all(Kind.SUBNET, s -> s.network().equals(network.id()), SUBNET_ORDER)) {
                if (Cidrs.overlaps(Cidrs.parsePrefix(other.cidr(), "cidr"), prefix)) {
                    throw new ConflictException("OVERLAPPING_CIDRS", Cidrs.canonical(prefix) + " overlaps subnet "
                            + other.name() + " (" + other.cidr() + ")", "cidr");
                }
            }
            Subnet subnet = new Subnet(repository.newId(Kind.SUBNET), name, network.tenant(), network.id(),
                    Cidrs.canonical(prefix), gateway, repository.now(), pools, servers, hostRoutes);
            changes.put(Kind.SUBNET, null, subnet);
            return subnet;
        });
    }

    @Override
    public List<StaticRoute> staticRoutes(Caller caller, String networkIdOrName) {
        Network network = network(caller, networkIdOrName);
        return repository.all(Kind.STATIC_ROUTE, r -> r.network().equals(network.id()), ROUTE_ORDER);
    }

    @Override
    public StaticRoute addStaticRoute(Caller caller, String networkIdOrName, StaticRouteSpec spec) {
        IPAddress destination = Cidrs.parsePrefix(spec.destination(), "destination");
        if (spec.nextHop() == null) {
            throw new ValidationException("REQUIRED", "A static route needs its next hop", "nextHop");
        }
        IPAddress nextHop = Cidrs.parseAddress(spec.nextHop(), "nextHop");
        return repository.write(caller, "static-route.add", changes -> {
            Network network = writableNetwork(caller, networkIdOrName);
            List<Subnet> subnets = repository.all(Kind.SUBNET, s -> s.network().equals(network.id()), SUBNET_ORDER);
            Optional<Subnet> holder = subnets.stream()
                    .filter(s -> Cidrs.contains(Cidrs.parsePrefix(s.cidr(), "cidr"), nextHop))
                    .findFirst();
            String hop = Cidrs.canonicalAddress(nextHop);
            if (holder.isPresent()) {
                checkLocalNextHop(holder.get(), nextHop, hop);
            } else if (!inActivePeer(network, nextHop)) {
                // An appliance of a hub: an address the network reaches over an active peering (as the peering
                // recorded the other side's address space, which the caller sees on the peering).
                throw new ValidationException("NEXT_HOP_OUTSIDE_SUBNETS", "The next hop " + spec.nextHop()
                        + " is in no subnet of network " + network.name() + " and in the address space of no network"
                        + " it is actively peered with", "nextHop");
            }
            for (String own : network.cidrs()) {
                if (Cidrs.contains(Cidrs.parsePrefix(own, "cidrs"), destination)) {
                    throw new ValidationException("SHADOWED_ROUTE", Cidrs.canonical(destination) + " is inside "
                            + "the address space " + own + " of network " + network.name() + ": its local routes "
                            + "always win, so the static route would never be used", "destination");
                }
            }
            if (destination.getIPVersion() != nextHop.getIPVersion()) {
                throw new ValidationException("INVALID_NEXT_HOP", "The next hop and the destination are of "
                        + "different IP versions", "nextHop");
            }
            List<StaticRoute> existing = repository.all(Kind.STATIC_ROUTE, r -> r.network().equals(network.id()),
                    ROUTE_ORDER);
            String canonical = Cidrs.canonical(destination);
            if (existing.stream().anyMatch(r -> r.destination().equals(canonical))) {
                throw new ConflictException("DUPLICATE_ROUTE", "Network " + network.name()
                        + " already has a static route to " + canonical, "destination");
            }
            if (existing.size() >= MAX_STATIC_ROUTES) {
                throw new ConflictException("TOO_MANY_ROUTES", "A network has at most " + MAX_STATIC_ROUTES
                        + " static routes", null);
            }
            StaticRoute route = new StaticRoute(repository.newId(Kind.STATIC_ROUTE), network.id(), network.tenant(),
                    canonical, hop, repository.now());
            changes.put(Kind.STATIC_ROUTE, null, route);
            return route;
        });
    }

    private static void checkLocalNextHop(Subnet holder, IPAddress nextHop, String hop) {
        IPAddress holderPrefix = Cidrs.parsePrefix(holder.cidr(), "cidr");
        if (!Ipam.isUsableHost(holderPrefix, nextHop)) {
            throw new ValidationException("INVALID_NEXT_HOP", "The next hop " + hop + " is the "
                    + (nextHop.getValue().equals(holderPrefix.getValue()) ? "network" : "broadcast")
                    + " address of subnet " + holder.name() + " (" + holder.cidr() + "), not a host", "nextHop");
        }
        if (hop.equals(holder.gateway())) {
            throw new ValidationException("INVALID_NEXT_HOP", "The next hop is the gateway of subnet "
                    + holder.name() + ", the router itself", "nextHop");
        }
    }

    /** Whether an active peering of the network routes the address: the other side's recorded address space. */
    private boolean inActivePeer(Network network, IPAddress address) {
        return repository.all(Kind.PEERING, p -> p.involves(network.id()) && p.state() == PeeringState.ACTIVE,
                (a, b) -> 0).stream()
                .flatMap(p -> p.recordedCidrs(p.otherSide(network.id())).stream())
                .anyMatch(c -> Cidrs.contains(Cidrs.parsePrefix(c, "cidrs"), address));
    }

    @Override
    public void removeStaticRoute(Caller caller, String networkIdOrName, String routeId) {
        repository.write(caller, "static-route.remove", changes -> {
            Network network = writableNetwork(caller, networkIdOrName);
            StaticRoute route = repository.byId(Kind.STATIC_ROUTE, routeId)
                    .filter(r -> r.network().equals(network.id()))
                    .orElseThrow(() -> new NotFoundException("static route", routeId));
            changes.delete(Kind.STATIC_ROUTE, route);
            return null;
        });
    }

    @Override
    public void deleteSubnet(Caller caller, String idOrName) {
        repository.write(caller, "subnet.delete", changes -> {
            Subnet subnet = Access.requireWrite(caller, Kind.SUBNET, subnet(caller, idOrName));
            long ports = repository.all(Kind.PORT, p -> subnet.id().equals(p.subnet()), (a, b) -> 0).size();
            if (ports > 0) {
                throw new ConflictException("IN_USE", "Subnet " + subnet.name() + " still has " + ports
                        + " port(s): delete them first", null);
            }
            IPAddress prefix = Cidrs.parsePrefix(subnet.cidr(), "cidr");
            for (StaticRoute route : repository.all(Kind.STATIC_ROUTE, r -> r.network().equals(subnet.network()),
                    ROUTE_ORDER)) {
                if (Cidrs.contains(prefix, Cidrs.parseAddress(route.nextHop(), "nextHop"))) {
                    throw new ConflictException("IN_USE", "Static route " + route.id() + " to " + route.destination()
                            + " goes through " + route.nextHop() + " in subnet " + subnet.name(), null);
                }
            }
            changes.delete(Kind.SUBNET, subnet);
            return null;
        });
    }
}
