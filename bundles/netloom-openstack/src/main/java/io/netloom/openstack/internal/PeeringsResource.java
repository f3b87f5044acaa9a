package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringSpec;

/**
 * Netloom peerings as the vendor extension {@code netloom-peering}: {@code /v2.0/netloom/peerings}. Create names
 * both networks by UUID (both must be visible to the caller: a peering across projects is requested through
 * Netloom's own API, where the peer network is named by its Netloom id); {@code PUT} with {@code state} ACTIVE
 * accepts a request, REJECTED rejects it; delete ends it.
 */
final class PeeringsResource implements Resource {

    private static final Set<String> CREATE = Set.of("name", "network_id", "peer_network_id",
            "allow_forwarded_traffic", "auto_accept", "tenant_id", "project_id");

    private final NetworkAdminService networks;
    private final PeeringAdminService peerings;

    PeeringsResource(NetworkAdminService networks, PeeringAdminService peerings) {
        this.networks = networks;
        this.peerings = peerings;
    }

    @Override
    public String collection() {
        return "peerings";
    }

    @Override
    public String member() {
        return "peering";
    }

    @Override
    public List<JsonObject> list(Token token) {
        return peerings.peerings(token.caller()).stream().map(PeeringsResource::render).toList();
    }

    private Peering find(Token token, String uuid) {
        return Ids.find(peerings.peerings(token.caller()), Peering::id, uuid)
                .orElseThrow(() -> NeutronException.notFound("PeeringNotFound", "Peering", uuid));
    }

    @Override
    public JsonObject show(Token token, String uuid) {
        return render(find(token, uuid));
    }

    @Override
    public List<JsonObject> create(Token token, List<JsonObject> items) {
        List<PeeringSpec> specs = new ArrayList<>();
        for (JsonObject item : items) {
            Input in = Input.of(item, CREATE);
            in.project(token);
            String network = NetworksResource.find(networks, token, in.requiredString("network_id")).id();
            String peer = NetworksResource.find(networks, token, in.requiredString("peer_network_id")).id();
            specs.add(new PeeringSpec(Naming.toNetloom(in.string("name")), network, peer,
                    in.bool("allow_forwarded_traffic", false), in.bool("auto_accept", false)));
        }
        List<Peering> created = Bulk.allOrNothing(specs, spec -> peerings.createPeering(token.caller(), spec),
                p -> peerings.deletePeering(token.caller(), p.id()));
        return created.stream().map(PeeringsResource::render).toList();
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        Peering p = find(token, uuid);
        Input in = Input.of(changes, Set.of("state"));
        String state = in.requiredString("state");
        return render(switch (state) {
            case "ACTIVE" -> peerings.accept(token.caller(), p.id());
            case "REJECTED" -> peerings.reject(token.caller(), p.id());
            default -> throw NeutronException.invalidInput("state may be set to ACTIVE (accept) or REJECTED");
        });
    }

    @Override
    public void delete(Token token, String uuid) {
        peerings.deletePeering(token.caller(), find(token, uuid).id());
    }

    static JsonObject render(Peering p) {
        JsonObject o = new JsonObject();
        o.addProperty("id", Ids.uuidOf(p.id()));
        o.addProperty("name", Naming.toNeutron(p.name()));
        NetworksResource.project(o, p.tenant());
        o.addProperty("peer_project_id", p.peerTenant() == null ? null : Ids.projectIdOf(p.peerTenant()));
        o.addProperty("network_id", Ids.uuidOf(p.network()));
        o.addProperty("peer_network_id", Ids.uuidOf(p.peerNetwork()));
        o.add("network_cidrs", strings(p.networkCidrs()));
        o.add("peer_cidrs", strings(p.peerCidrs()));
        o.addProperty("state", p.state().name());
        o.addProperty("sync_state", p.syncState() == null ? null : p.syncState().name());
        o.addProperty("allow_forwarded_traffic", p.allowForwardedTraffic());
        o.addProperty("status", p.status() == null ? null : p.status().name().toUpperCase(Locale.ROOT));
        NetworksResource.times(o, p.createdAt());
        return o;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        if (values != null) {
            values.forEach(a::add);
        }
        return a;
    }
}
