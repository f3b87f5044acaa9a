package io.netloom.openstack.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.model.AddressRange;
import io.netloom.api.model.HostRoute;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.model.SubnetUpdate;

/**
 * Neutron subnets are Netloom subnets. Creating one grows its network's address space to cover it (Neutron networks
 * have no address space of their own); overlap is refused within one network only, with Neutron's message. A
 * subnet's gateway (where Netloom's distributed router answers) may be none; its allocation pools, DNS servers and
 * host routes are Netloom's. Deleting a subnet leaves the network's address space as it is.
 */
final class SubnetsResource implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SubnetsResource.class);
    private static final Set<String> CREATE = Set.of("name", "network_id", "cidr", "ip_version", "gateway_ip",
            "enable_dhcp", "allocation_pools", "dns_nameservers", "host_routes", "ipv6_ra_mode", "ipv6_address_mode",
            "description", "tenant_id", "project_id", "subnetpool_id");
    private static final Set<String> UPDATE = Set.of("name", "enable_dhcp", "dns_nameservers", "host_routes",
            "description", "gateway_ip");

    private final NetworkAdminService networks;

    SubnetsResource(NetworkAdminService networks) {
        this.networks = networks;
    }

    @Override
    public String collection() {
        return "subnets";
    }

    @Override
    public String member() {
        return "subnet";
    }

    @Override
    public List<JsonObject> list(Token token) {
        List<JsonObject> out = new ArrayList<>();
        for (Network n : networks.networks(token.caller())) {
            for (Subnet s : networks.subnets(token.caller(), n.id())) {
                out.add(render(s));
            }
        }
        return out;
    }

    /** @return every subnet the caller sees */
    static List<Subnet> all(NetworkAdminService networks, Token token) {
        List<Subnet> out = new ArrayList<>();
        for (Network n : networks.networks(token.caller())) {
            out.addAll(networks.subnets(token.caller(), n.id()));
        }
        return out;
    }

    static Subnet find(NetworkAdminService networks, Token token, String uuid) {
        return Ids.find(all(networks, token), Subnet::id, uuid)
                .orElseThrow(() -> NeutronException.notFound("SubnetNotFound", "Subnet", uuid));
    }

    @Override
    public JsonObject show(Token token, String uuid) {
        return render(find(networks, token, uuid));
    }

    /** A checked request: the network and the subnet to make in it. */
    private record Planned(Network network, SubnetSpec spec, Addresses.Prefix prefix) {
    }

    @Override
    public List<JsonObject> create(Token token, List<JsonObject> items) {
        List<Planned> plan = new ArrayList<>();
        for (JsonObject item : items) {
            plan.add(check(token, Input.of(item, CREATE), plan));
        }
        List<Subnet> created = new ArrayList<>();
        Map<String, List<String>> before = new HashMap<>();
        try {
            for (Planned p : plan) {
                Network current = NetworksResource.find(networks, token, Ids.uuidOf(p.network().id()));
                List<String> grown = grow(current.cidrs(), p.spec().cidr(), p.prefix());
                if (!grown.equals(current.cidrs())) {
                    before.putIfAbsent(current.id(), current.cidrs());
                    networks.updateNetwork(token.caller(), current.id(),
                            new NetworkUpdate(Optional.empty(), Optional.empty(), Optional.of(grown)));
                }
                created.add(networks.createSubnet(token.caller(), current.id(), p.spec()));
            }
        } catch (RuntimeException e) {
            undo(token, created, before);
            throw e;
        }
        return created.stream().map(SubnetsResource::render).toList();
    }

    /** Takes back a refused request's subnets and address-space growth, so it changes nothing. */
    private void undo(Token token, List<Subnet> created, Map<String, List<String>> before) {
        for (Subnet s : created) {
            networks.deleteSubnet(token.caller(), s.id());
        }
        for (Map.Entry<String, List<String>> e : before.entrySet()) {
            if (e.getValue().isEmpty()) {
                // Netloom keeps at least one prefix once a network has an address space.
                LOG.debug("Network {} keeps the address space of a refused subnet request", e.getKey());
                continue;
            }
            networks.updateNetwork(token.caller(), e.getKey(),
                    new NetworkUpdate(Optional.empty(), Optional.empty(), Optional.of(e.getValue())));
        }
    }

    /**
     * @return the address space grown to cover the prefix: prefixes inside it give way to it; unchanged when one
     *     holds it already (two prefixes either nest or are disjoint)
     */
    static List<String> grow(List<String> cidrs, String cidr, Addresses.Prefix prefix) {
        List<String> out = new ArrayList<>();
        for (String c : cidrs) {
            Addresses.Prefix p = Addresses.prefix(c);
            if (p.contains(prefix)) {
                return cidrs;
            }
            if (!prefix.contains(p)) {
                out.add(c);
            }
        }
        out.add(cidr);
        return out;
    }

    private Planned check(Token token, Input in, List<Planned> earlier) {
        in.project(token);
        Network network = NetworksResource.find(networks, token, in.requiredString("network_id"));
        String cidr = in.string("cidr");
        if (cidr == null) {
            throw NeutronException.badRequest(in.has("subnetpool_id") ? "Subnet pools are not supported by Netloom"
                    : "Failed to parse request. Required attribute 'cidr' not specified");
        }
        Integer version = in.integer("ip_version");
        if (version == null || version != 4 && version != 6) {
            throw NeutronException.invalidInput("ip_version must be 4 or 6");
        }
        Addresses.Prefix prefix = Addresses.prefix(cidr);
        if (prefix.version() != version) {
            throw NeutronException.invalidInput("Cidr " + cidr + " does not match ip_version " + version);
        }
        // Checked here as Netloom's core checks them, so that a subnet it would refuse never grows the address space.
        int room = (version == 4 ? 32 : 128) - prefix.length();
        if (room < 2) {
            throw NeutronException.invalidInput(cidr + " has no room for a gateway and a port");
        }
        boolean noGateway = in.isNull("gateway_ip");
        String gateway = in.string("gateway_ip");
        if (gateway != null) {
            BigInteger gw = Addresses.address(gateway);
            boolean host = prefix.contains(gw) && !gw.equals(prefix.first())
                    && (version == 6 || !gw.equals(prefix.last()));
            if (!host || Addresses.version(gateway) != version) {
                throw NeutronException.invalidInput("Gateway ip " + gateway + " is not a host address of " + cidr);
            }
        }
        in.onlyDefault("enable_dhcp", in.bool("enable_dhcp", true), "false is not supported: Netloom always "
                + "gives a port its address on its binding");
        in.onlyDefault("ipv6_ra_mode", in.isNull("ipv6_ra_mode"), "is not supported by Netloom");
        in.onlyDefault("ipv6_address_mode", in.isNull("ipv6_address_mode"), "is not supported by Netloom");
        in.onlyDefault("subnetpool_id", in.isNull("subnetpool_id"), "subnet pools are not supported by Netloom");
        in.onlyDefault("description", Optional.ofNullable(in.string("description")).orElse("").isEmpty(),
                "is not supported on Netloom subnets");
        List<Subnet> existing = networks.subnets(token.caller(), network.id());
        for (Subnet s : existing) {
            overlapCheck(prefix, cidr, Addresses.prefix(s.cidr()), network);
        }
        for (Planned p : earlier) {
            if (p.network().id().equals(network.id())) {
                overlapCheck(prefix, cidr, p.prefix(), network);
            }
        }
        return new Planned(network, new SubnetSpec(Naming.toNetloom(in.string("name")), cidr, gateway, noGateway,
                pools(in.list("allocation_pools")), in.strings("dns_nameservers"),
                hostRoutes(in.list("host_routes"))), prefix);
    }

    /** Neutron's {@code [{"start", "end"}]}, or {@code null} (Netloom's default: every host but the gateway). */
    private static List<AddressRange> pools(JsonArray pools) {
        return items(pools, "allocation_pools", Set.of("start", "end"),
                p -> new AddressRange(p.requiredString("start"), p.requiredString("end")));
    }

    /** Neutron's {@code [{"destination", "nexthop"}]}, or {@code null} for none. */
    private static List<HostRoute> hostRoutes(JsonArray routes) {
        return items(routes, "host_routes", Set.of("destination", "nexthop"),
                r -> new HostRoute(r.requiredString("destination"), r.requiredString("nexthop")));
    }

    /** A list of objects, each read by {@code reader}, or {@code null} when absent. */
    private static <T> List<T> items(JsonArray array, String key, Set<String> allowed, Function<Input, T> reader) {
        if (array == null) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonObject()) {
                throw NeutronException.invalidInput("'" + e + "' is not a valid item of " + key);
            }
            out.add(reader.apply(Input.of(e.getAsJsonObject(), allowed)));
        }
        return out;
    }

    private static void overlapCheck(Addresses.Prefix prefix, String cidr, Addresses.Prefix other, Network network) {
        if (prefix.overlaps(other)) {
            throw NeutronException.invalidInput("Requested subnet with cidr: " + cidr + " for network: "
                    + Ids.uuidOf(network.id()) + " overlaps with another subnet.");
        }
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        Subnet s = find(networks, token, uuid);
        Input in = Input.of(changes, UPDATE);
        in.onlyDefault("enable_dhcp", in.bool("enable_dhcp", true), "false is not supported by Netloom");
        in.onlyDefault("description", Optional.ofNullable(in.string("description")).orElse("").isEmpty(),
                "is not supported on Netloom subnets");
        in.onlyDefault("gateway_ip", Objects.equals(in.string("gateway_ip"), s.gateway()) || in.isNull("gateway_ip")
                && s.gateway() == null, "cannot change on a Netloom subnet: its ports' routes depend on it");
        SubnetUpdate update = new SubnetUpdate(
                in.has("name") ? Optional.of(Naming.toNetloom(in.string("name"))) : Optional.empty(),
                in.has("dns_nameservers") ? Optional.of(orEmpty(in.strings("dns_nameservers"))) : Optional.empty(),
                in.has("host_routes") ? Optional.of(orEmpty(hostRoutes(in.list("host_routes")))) : Optional.empty());
        if (update.name().isEmpty() && update.dnsNameservers().isEmpty() && update.hostRoutes().isEmpty()) {
            return render(s);
        }
        return render(networks.updateSubnet(token.caller(), s.id(), update));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    @Override
    public void delete(Token token, String uuid) {
        Subnet s = find(networks, token, uuid);
        NeutronException.deleting(() -> networks.deleteSubnet(token.caller(), s.id()), "SubnetInUse",
                "Unable to complete operation on subnet " + uuid + ": One or more ports have an IP allocation "
                        + "from this subnet.");
    }

    static JsonObject render(Subnet s) {
        JsonObject o = new JsonObject();
        o.addProperty("id", Ids.uuidOf(s.id()));
        o.addProperty("name", Naming.toNeutron(s.name()));
        o.addProperty("network_id", Ids.uuidOf(s.network()));
        NetworksResource.project(o, s.tenant());
        int version = s.cidr().contains(":") ? 6 : 4;
        o.addProperty("ip_version", version);
        o.addProperty("cidr", s.cidr());
        o.addProperty("gateway_ip", s.gateway());
        JsonArray pools = new JsonArray();
        List<String[]> ranges = s.allocationPools().isEmpty() ? Addresses.pools(s.cidr(), s.gateway())
                : s.allocationPools().stream().map(r -> new String[] {r.start(), r.end()}).toList();
        for (String[] pool : ranges) {
            JsonObject p = new JsonObject();
            p.addProperty("start", pool[0]);
            p.addProperty("end", pool[1]);
            pools.add(p);
        }
        o.add("allocation_pools", pools);
        JsonArray servers = new JsonArray();
        s.dnsNameservers().forEach(servers::add);
        o.add("dns_nameservers", servers);
        JsonArray routes = new JsonArray();
        for (HostRoute r : s.hostRoutes()) {
            JsonObject route = new JsonObject();
            route.addProperty("destination", r.destination());
            route.addProperty("nexthop", r.nexthop());
            routes.add(route);
        }
        o.add("host_routes", routes);
        o.addProperty("enable_dhcp", true);
        o.add("ipv6_ra_mode", null);
        o.add("ipv6_address_mode", null);
        o.add("subnetpool_id", null);
        o.addProperty("description", "");
        NetworksResource.times(o, s.createdAt());
        return o;
    }
}
