package io.netloom.openstack.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Subnet;

/**
 * Neutron networks are Netloom networks. A network created here starts with no address space and grows it with its
 * subnets ({@link SubnetsResource}); it is never shared or external, and always administratively up.
 */
final class NetworksResource implements Resource {

    private static final Set<String> CREATE = Set.of("name", "admin_state_up", "shared", "description",
            "tenant_id", "project_id");
    private static final Set<String> UPDATE = Set.of("name", "admin_state_up", "shared", "description");

    private final NetworkAdminService networks;

    NetworksResource(NetworkAdminService networks) {
        this.networks = networks;
    }

    @Override
    public String collection() {
        return "networks";
    }

    @Override
    public String member() {
        return "network";
    }

    @Override
    public List<JsonObject> list(Token token) {
        List<JsonObject> out = new ArrayList<>();
        for (Network n : networks.networks(token.caller())) {
            out.add(render(n, networks.subnets(token.caller(), n.id())));
        }
        return out;
    }

    @Override
    public JsonObject show(Token token, String uuid) {
        Network n = find(networks, token, uuid);
        return render(n, networks.subnets(token.caller(), n.id()));
    }

    /** @return the network with that UUID the caller sees, else 404 {@code NetworkNotFound} */
    static Network find(NetworkAdminService networks, Token token, String uuid) {
        return Ids.find(networks.networks(token.caller()), Network::id, uuid)
                .orElseThrow(() -> NeutronException.notFound("NetworkNotFound", "Network", uuid));
    }

    @Override
    public List<JsonObject> create(Token token, List<JsonObject> items) {
        List<NetworkSpec> specs = new ArrayList<>();
        for (JsonObject item : items) {
            Input in = Input.of(item, CREATE);
            in.project(token);
            upOnly(in);
            specs.add(new NetworkSpec(Naming.toNetloom(in.string("name")), List.of(), null, false,
                    in.string("description"), true));
        }
        List<Network> created = Bulk.allOrNothing(specs, spec -> networks.createNetwork(token.caller(), spec),
                n -> networks.deleteNetwork(token.caller(), n.id()));
        return created.stream().map(n -> render(n, List.of())).toList();
    }

    private static void upOnly(Input in) {
        in.onlyDefault("admin_state_up", in.bool("admin_state_up", true),
                "false is not supported: Netloom networks are always up");
        in.onlyDefault("shared", !in.bool("shared", false), "true is not supported: Netloom networks belong to one "
                + "project");
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        Network n = find(networks, token, uuid);
        Input in = Input.of(changes, UPDATE);
        upOnly(in);
        Optional<String> name = in.has("name") ? Optional.of(Naming.toNetloom(in.string("name"))) : Optional.empty();
        Optional<String> description = in.has("description")
                ? Optional.of(Optional.ofNullable(in.string("description")).orElse("")) : Optional.empty();
        Network updated = networks.updateNetwork(token.caller(), n.id(),
                new NetworkUpdate(name, description, Optional.empty()));
        return render(updated, networks.subnets(token.caller(), n.id()));
    }

    @Override
    public void delete(Token token, String uuid) {
        Network n = find(networks, token, uuid);
        NeutronException.deleting(() -> networks.deleteNetwork(token.caller(), n.id()), "NetworkInUse",
                "Unable to complete operation on network " + uuid + ". There are one or more ports still in use on "
                        + "the network.");
    }

    static JsonObject render(Network n, List<Subnet> subnets) {
        JsonObject o = new JsonObject();
        o.addProperty("id", Ids.uuidOf(n.id()));
        o.addProperty("name", Naming.toNeutron(n.name()));
        project(o, n.tenant());
        o.addProperty("status", status(n.status()));
        JsonArray subnetIds = new JsonArray();
        subnets.forEach(s -> subnetIds.add(Ids.uuidOf(s.id())));
        o.add("subnets", subnetIds);
        o.addProperty("admin_state_up", true);
        o.addProperty("shared", false);
        o.addProperty("description", n.description());
        times(o, n.createdAt());
        return o;
    }

    static String status(RealisationStatus status) {
        return switch (status) {
            case ERROR -> "ERROR";
            case DRIVER_MISSING -> "DOWN";
            default -> "ACTIVE";
        };
    }

    static void project(JsonObject o, String tenant) {
        String id = Ids.projectIdOf(tenant);
        o.addProperty("tenant_id", id);
        o.addProperty("project_id", id);
    }

    /** Netloom records when an object was made, not when it last changed: both times are the creation's. */
    static void times(JsonObject o, Instant createdAt) {
        String at = createdAt.truncatedTo(ChronoUnit.SECONDS).toString();
        o.addProperty("created_at", at);
        o.addProperty("updated_at", at);
    }
}
