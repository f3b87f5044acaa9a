package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

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
            "project_id");
    private static final Set<String> UPDATE = Set.of("name", "security_groups", "admin_state_up", "device_id",
            "device_owner", "description", "fixed_ips");

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
            String subnet = null;
            String ip = null;
            JsonArray fixed = in.list("fixed_ips");
            // Neutron makes a port without an address when asked ([]) or when its network has no subnet.
            boolean noAddress = fixed != null ? fixed.isEmpty()
                    : networks.subnets(token.caller(), network.id()).isEmpty();
            if (fixed != null && !noAddress) {
                if (fixed.size() != 1 || !fixed.get(0).isJsonObject()) {
                    throw NeutronException.invalidInput("a Netloom port has at most one fixed IP");
                }
                Input f = Input.of(fixed.get(0).getAsJsonObject(), Set.of("subnet_id", "ip_address"));
                if (f.string("subnet_id") != null) {
                    Subnet s = SubnetsResource.find(networks, token, f.string("subnet_id"));
                    if (!s.network().equals(network.id())) {
                        throw NeutronException.invalidInput("Failed to create port on network "
                                + Ids.uuidOf(network.id()) + ", because fixed_ips included invalid subnet "
                                + Ids.uuidOf(s.id()) + ".");
                    }
                    subnet = s.id();
                }
                ip = f.string("ip_address");
            }
            specs.add(new PortSpec(Naming.toNetloom(in.string("name")), network.id(), subnet, ip,
                    in.string("mac_address"), groupIds(token, in.strings("security_groups")), null, null, null,
                    noAddress));
        }
        return ports.createPorts(token.caller(), specs).stream().map(PortsResource::render).toList();
    }

    private static void checkFixedAttributes(Input in) {
        in.onlyDefault("admin_state_up", in.bool("admin_state_up", true), "false is not supported by Netloom");
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
        if (in.has("fixed_ips")) {
            JsonElement current = render(port).get("fixed_ips");
            if (!current.equals(in.list("fixed_ips"))) {
                throw NeutronException.invalidInput("Netloom cannot change the fixed IPs of a port");
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
        if (name.isPresent() || groups.isPresent()) {
            port = ports.updatePort(token.caller(), port.id(), new PortUpdate(name, groups, Optional.empty()));
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
        JsonArray sgs = new JsonArray();
        p.securityGroups().forEach(g -> sgs.add(Ids.uuidOf(g)));
        o.add("security_groups", sgs);
        o.addProperty("admin_state_up", true);
        o.addProperty("status", status(p));
        o.addProperty("device_id", "");
        o.addProperty("device_owner", "");
        o.addProperty("description", "");
        NetworksResource.times(o, p.createdAt());
        return o;
    }

    private static String status(Port p) {
        if (p.bindingIfAny().isEmpty()) {
            return "DOWN";
        }
        return p.status() == RealisationStatus.ACTIVE ? "ACTIVE"
                : p.status() == RealisationStatus.ERROR ? "ERROR" : "DOWN";
    }
}
