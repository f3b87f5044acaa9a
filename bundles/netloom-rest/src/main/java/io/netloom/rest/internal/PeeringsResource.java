package io.netloom.rest.internal;

import java.util.Set;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.PeeringUpdate;

/**
 * {@code /peerings}.
 */
final class PeeringsResource {

    private final PeeringAdminService peerings;

    PeeringsResource(PeeringAdminService peerings) {
        this.peerings = peerings;
    }

    void register(Router router) {
        router.add("GET", "/peerings", r -> Paging.page(r, peerings.peerings(r.caller()), Peering::id));
        router.add("POST", "/peerings", this::create);
        router.add("GET", "/peerings/{id}", r -> ApiResponse.ok(peerings.peering(r.caller(), r.pathParam("id"))));
        router.add("POST", "/peerings/{id}/accept", r -> ApiResponse.ok(peerings.accept(r.caller(),
                r.pathParam("id"))));
        router.add("POST", "/peerings/{id}/reject", r -> ApiResponse.ok(peerings.reject(r.caller(),
                r.pathParam("id"))));
        router.add("POST", "/peerings/{id}/sync", r -> ApiResponse.ok(peerings.sync(r.caller(),
                r.pathParam("id"))));
        router.add("PATCH", "/peerings/{id}", this::update);
        router.add("DELETE", "/peerings/{id}", r -> {
            peerings.deletePeering(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
    }

    private ApiResponse create(ApiRequest r) {
        Fields f = r.fields().only("name", "network", "peerNetwork", "allowForwardedTraffic", "autoAccept",
                "allowVirtualNetworkAccess", "autoSync");
        Peering p = peerings.createPeering(r.caller(), new PeeringSpec(f.requiredString("name"),
                f.requiredString("network"), f.requiredString("peerNetwork"), f.bool("allowForwardedTraffic", false),
                f.bool("autoAccept", false), f.bool("allowVirtualNetworkAccess", true), f.bool("autoSync", false)));
        return ApiResponse.created("/netloom/api/v1/peerings/" + p.id(), p);
    }

    /** A merge patch of the name and flags. */
    private ApiResponse update(ApiRequest r) {
        MergePatch patch = MergePatch.of(r.body(), Set.of("network", "peerNetwork", "autoAccept"), "name",
                "allowVirtualNetworkAccess", "allowForwardedTraffic", "autoSync");
        return ApiResponse.ok(peerings.updatePeering(r.caller(), r.pathParam("id"), new PeeringUpdate(
                patch.string("name"), patch.bool("allowVirtualNetworkAccess"), patch.bool("allowForwardedTraffic"),
                patch.bool("autoSync"))));
    }
}
