package io.netloom.openstack.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.model.SubnetUpdate;

/**
 * Neutron subnets are Netloom subnets. Creating one grows its network's address space to cover it (Neutron networks
 * have no address space of their own); overlap is refused within one network only, with Neutron's message. A
 * subnet always has a gateway (Netloom's distributed router answers there) and its address pool is every other host
 * address. Deleting a subnet leaves the network's address space as it is.
 */
final class SubnetsResource implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SubnetsResource.class);
    private static final Set<String> CREATE = Set.of("name", "network_id", "cidr", "ip_version", "gateway_ip",
            "enable_dhcp", "allocation_pools", "dns_nameservers", "host_routes", "ipv6_ra_mode", "ipv6_address_mode",
            "description", "tenant_id", "project_id", "subnetpool_id");
    private static final Set<String> UPDATE = Set.of("name", "enable_dhcp", "dns_nameservers", "host_routes",
            "description");

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
        if (in.isNull("gateway_ip")) {
            throw NeutronException.invalidInput("gateway_ip null is not supported: every Netloom subnet is routed "
                    + "through its gateway");
        }
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
        in.onlyDefault("dns_nameservers", isEmptyList(in, "dns_nameservers"), "are not supported by Netloom");
        in.onlyDefault("host_routes", isEmptyList(in, "host_routes"), "are not supported by Netloom");
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
        if (in.has("allocation_pools")) {
            checkPools(in.list("allocation_pools"), cidr, gateway, prefix);
        }
        return new Planned(network, new SubnetSpec(Naming.toNetloom(in.string("name")), cidr, gateway), prefix);
    }

    private static boolean isEmptyList(Input in, String key) {
        JsonArray list = in.list(key);
        return list == null || list.isEmpty();
    }

    private static void overlapCheck(Addresses.Prefix prefix, String cidr, Addresses.Prefix other, Network network) {
        if (prefix.overlaps(other)) {
            throw NeutronException.invalidInput("Requested subnet with cidr: " + cidr + " for network: "
                    + Ids.uuidOf(network.id()) + " overlaps with another subnet.");
        }
    }

    /** Netloom allocates from every host address but the gateway: only that one pool is accepted. */
    private static void checkPools(JsonArray pools, String cidr, String gateway, Addresses.Prefix prefix) {
        String gw = gateway != null ? gateway
                : Addresses.text(prefix.first().add(BigInteger.ONE), prefix.version());
        List<String[]> ours = Addresses.pools(cidr, gw);
        boolean same = pools != null && pools.size() == ours.size();
        for (int i = 0; same && i < ours.size(); i++) {
            JsonElement e = pools.get(i);
            same = e.isJsonObject() && e.getAsJsonObject().has("start") && e.getAsJsonObject().has("end")
                    && Addresses.address(e.getAsJsonObject().get("start").getAsString())
                            .equals(Addresses.address(ours.get(i)[0]))
                    && Addresses.address(e.getAsJsonObject().get("end").getAsString())
                            .equals(Addresses.address(ours.get(i)[1]));
        }
        if (!same) {
            throw NeutronException.invalidInput("allocation_pools other than every host address but the gateway "
                    + "are not supported by Netloom");
        }
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        Subnet s = find(networks, token, uuid);
        Input in = Input.of(changes, UPDATE);
        in.onlyDefault("enable_dhcp", in.bool("enable_dhcp", true), "false is not supported by Netloom");
        in.onlyDefault("dns_nameservers", isEmptyList(in, "dns_nameservers"), "are not supported by Netloom");
        in.onlyDefault("host_routes", isEmptyList(in, "host_routes"), "are not supported by Netloom");
        in.onlyDefault("description", Optional.ofNullable(in.string("description")).orElse("").isEmpty(),
                "is not supported on Netloom subnets");
        if (!in.has("name")) {
            return render(s);
        }
        return render(networks.updateSubnet(token.caller(), s.id(),
                new SubnetUpdate(Optional.of(Naming.toNetloom(in.string("name"))))));
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
        for (String[] pool : Addresses.pools(s.cidr(), s.gateway())) {
            JsonObject p = new JsonObject();
            p.addProperty("start", pool[0]);
            p.addProperty("end", pool[1]);
            pools.add(p);
        }
        o.add("allocation_pools", pools);
        o.add("dns_nameservers", new JsonArray());
        o.add("host_routes", new JsonArray());
        o.addProperty("enable_dhcp", true);
        o.add("ipv6_ra_mode", null);
        o.add("ipv6_address_mode", null);
        o.add("subnetpool_id", null);
        o.addProperty("description", "");
        NetworksResource.times(o, s.createdAt());
        return o;
    }
}
