package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.PortUpdate;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.Subnet;

/**
 * Neutron ports are Netloom ports: one fixed IP in one subnet of the network, or none (an L2-only port: when asked
 * with {@code fixed_ips: []}, or on a network without a subnet), a MAC, security groups (the project's
 * {@code default} group when none is named). A port made here has no binding yet (Neutron's {@code DOWN}); Netloom
 * binds ports to network namespaces through its own API.
 */
final class PortsResource implements Resource {

    private static final Set<String> CREATE = Set.of("network_id", "name", "fixed_ips", "mac_address",
            "security_groups", "admin_state_up", "device_id", "device_owner", "description", "tenant_id",
            "project_id", "allowed_address_pairs");
    private static final Set<String> UPDATE = Set.of("name", "security_groups", "admin_state_up", "device_id",
            "device_owner", "description", "fixed_ips", "allowed_address_pairs");

    private final NetworkAdminService networks;
    private final PortAdminService ports;
    private final SecurityGroupAdminService groups;
    private final DefaultGroups defaults;

    PortsResource(NetworkAdminService networks, PortAdminService ports, SecurityGroupAdminService groups,
            DefaultGroups defaults) {
        this.networks = networks;
        this.ports = ports;
        this.groups = groups;
        this.defaults = defaults;
    }

    @Override
    public String collection() {
        return "ports";
    }

    @Override
    public String member() {
        return "port";
    }

    @Override
    public List<JsonObject> list(Token token) {
        return ports.ports(token.caller(), Optional.empty()).stream().map(PortsResource::render).toList();
    }

    private Port find(Token token, String uuid) {
        return Ids.find(ports.ports(token.caller(), Optional.empty()), Port::id, uuid)
                .orElseThrow(() -> NeutronException.notFound("PortNotFound", "Port", uuid));
    }

    @Override
    public JsonObject show(Token token, String uuid) {
        return render(find(token, uuid));
    }

    @Override
    public List<JsonObject> create(Token token, List<JsonObject> items) {
        List<PortSpec> specs = new ArrayList<>();
        for (JsonObject item : items) {
            Input in = Input.of(item, CREATE);
            in.project(token);
            Network network = NetworksResource.find(networks, token, in.requiredString("network_id"));
            checkFixedAttributes(in);
            JsonArray list = in.list("fixed_ips");
            // Neutron makes a port without an address when asked ([]) or when its network has no subnet.
            boolean noAddress = list != null ? list.isEmpty()
                    : networks.subnets(token.caller(), network.id()).isEmpty();
            FixedIp fixed = list == null ? null : fixedIp(token, list, network.id());
            String subnet = fixed == null ? null : fixed.subnet();
            String ip = fixed == null ? null : fixed.ip();
            specs.add(new PortSpec(Naming.toNetloom(in.string("name")), network.id(), subnet, ip,
                    in.string("mac_address"), groupIds(token, in.strings("security_groups")), null,
                    pairs(in.list("allowed_address_pairs")), null, noAddress, !in.bool("admin_state_up", true)));
        }
        return ports.createPorts(token.caller(), specs).stream().map(PortsResource::render).toList();
    }

    /** Neutron's {@code [{"ip_address", "mac_address"?}]} as Netloom pairs, or {@code null} when absent. */
    private static List<AddressPair> pairs(JsonArray list) {
        if (list == null) {
            return null;
        }
        List<AddressPair> out = new ArrayList<>();
        for (JsonElement e : list) {
            if (!e.isJsonObject()) {
                throw NeutronException.invalidInput("'" + e + "' is not a valid allowed address pair");
            }
            Input pair = Input.of(e.getAsJsonObject(), Set.of("ip_address", "mac_address"));
            out.add(new AddressPair(pair.requiredString("ip_address"), pair.string("mac_address")));
        }
        return out;
    }

    /** A port's requested address: the Netloom id of its subnet and its address, each {@code null} when not named. */
    private record FixedIp(String subnet, String ip) {
    }

    /** The one fixed IP of a port of the network, or {@code null} for none ({@code []}). */
    private FixedIp fixedIp(Token token, JsonArray fixed, String networkId) {
        if (fixed.isEmpty()) {
            return null;
        }
        if (fixed.size() != 1 || !fixed.get(0).isJsonObject()) {
            throw NeutronException.invalidInput("a Netloom port has at most one fixed IP");
        }
        Input f = Input.of(fixed.get(0).getAsJsonObject(), Set.of("subnet_id", "ip_address"));
        String subnet = null;
        if (f.string("subnet_id") != null) {
            Subnet s = SubnetsResource.find(networks, token, f.string("subnet_id"));
            if (!s.network().equals(networkId)) {
                throw NeutronException.invalidInput("Failed to create port on network " + Ids.uuidOf(networkId)
                        + ", because fixed_ips included invalid subnet " + Ids.uuidOf(s.id()) + ".");
            }
            subnet = s.id();
        }
        return new FixedIp(subnet, f.string("ip_address"));
    }

    private static void checkFixedAttributes(Input in) {
        in.onlyDefault("device_id", Optional.ofNullable(in.string("device_id")).orElse("").isEmpty(),
                "is not supported by Netloom");
        in.onlyDefault("device_owner", Optional.ofNullable(in.string("device_owner")).orElse("").isEmpty(),
                "is not supported by Netloom");
        in.onlyDefault("description", Optional.ofNullable(in.string("description")).orElse("").isEmpty(),
                "is not supported on Netloom ports");
    }

    /** The Netloom ids of the named groups; the project's default group when none are named. */
    private List<String> groupIds(Token token, List<String> uuids) {
        if (uuids == null) {
            return defaults.ensure(token).map(g -> List.of(g.id())).orElse(List.of());
        }
        List<SecurityGroup> shown = groups.groups(token.caller()).stream().filter(DefaultGroups::shown).toList();
        List<String> ids = new ArrayList<>();
        for (String uuid : uuids) {
            ids.add(Ids.find(shown, SecurityGroup::id, uuid)
                    .orElseThrow(() -> NeutronException.notFound("SecurityGroupNotFound", "Security group", uuid))
                    .id());
        }
        return ids;
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        Port port = find(token, uuid);
        Input in = Input.of(changes, UPDATE);
        checkFixedAttributes(in);
        Optional<String> subnet = Optional.empty();
        Optional<String> ip = Optional.empty();
        if (in.has("fixed_ips") && !render(port).get("fixed_ips").equals(in.list("fixed_ips"))) {
            FixedIp fixed = fixedIp(token, in.list("fixed_ips"), port.network());
            if (fixed == null) {
                throw NeutronException.invalidInput("Netloom cannot take the address of a port away");
            }
            subnet = Optional.ofNullable(fixed.subnet());
            ip = Optional.ofNullable(fixed.ip());
            if (subnet.isEmpty() && ip.isEmpty()) {
                throw NeutronException.invalidInput("a fixed IP names a subnet_id or an ip_address");
            }
        }
        Optional<String> name = in.has("name") && !Naming.toNeutron(port.name()).equals(
                Optional.ofNullable(in.string("name")).orElse("")) ? Optional.of(Naming.toNetloom(in.string("name")))
                : Optional.empty();
        Optional<List<String>> groups = Optional.empty();
        if (in.has("security_groups")) {
            List<String> wanted = in.strings("security_groups");
            groups = Optional.of(groupIds(token, wanted == null ? List.of() : wanted));
        }
        Optional<Boolean> down = in.has("admin_state_up") ? Optional.of(!in.bool("admin_state_up", true))
                : Optional.empty();
        Optional<List<AddressPair>> pairs = in.has("allowed_address_pairs")
                ? Optional.of(Optional.ofNullable(pairs(in.list("allowed_address_pairs"))).orElse(List.of()))
                : Optional.empty();
        PortUpdate update = new PortUpdate(name, groups, pairs, down, subnet, ip);
        if (name.isPresent() || groups.isPresent() || down.isPresent() || pairs.isPresent()
                || update.readdresses()) {
            port = ports.updatePort(token.caller(), port.id(), update);
        }
        return render(port);
    }

    @Override
    public void delete(Token token, String uuid) {
        ports.deletePort(token.caller(), find(token, uuid).id());
    }

    static JsonObject render(Port p) {
        JsonObject o = new JsonObject();
        o.addProperty("id", Ids.uuidOf(p.id()));
        o.addProperty("name", Naming.toNeutron(p.name()));
        o.addProperty("network_id", Ids.uuidOf(p.network()));
        NetworksResource.project(o, p.tenant());
        o.addProperty("mac_address", p.mac());
        JsonArray fixed = new JsonArray();
        if (p.hasAddress()) {
            JsonObject ip = new JsonObject();
            ip.addProperty("subnet_id", Ids.uuidOf(p.subnet()));
            ip.addProperty("ip_address", p.ip());
            fixed.add(ip);
        }
        o.add("fixed_ips", fixed);
        JsonArray pairs = new JsonArray();
        for (AddressPair pair : p.allowedAddressPairs()) {
            JsonObject shown = new JsonObject();
            shown.addProperty("ip_address", Addresses.hostOrPrefix(pair.ipAddress()));
            shown.addProperty("mac_address", pair.macOr(p.mac()));
            pairs.add(shown);
        }
        o.add("allowed_address_pairs", pairs);
        JsonArray sgs = new JsonArray();
        p.securityGroups().forEach(g -> sgs.add(Ids.uuidOf(g)));
        o.add("security_groups", sgs);
        o.addProperty("admin_state_up", !p.adminDown());
        o.addProperty("status", status(p));
        o.addProperty("device_id", "");
        o.addProperty("device_owner", "");
        o.addProperty("description", "");
        NetworksResource.times(o, p.createdAt());
        return o;
    }

    private static String status(Port p) {
        if (p.bindingIfAny().isEmpty() || p.adminDown()) {
            return "DOWN";
        }
        return p.status() == RealisationStatus.ACTIVE ? "ACTIVE"
                : p.status() == RealisationStatus.ERROR ? "ERROR" : "DOWN";
    }
}
