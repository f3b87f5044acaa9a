package io.netloom.rest.internal;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringSpec;

/**
 * {@code /peerings}.
 */
final class PeeringsResource {

    private final PeeringAdminService peerings;

    PeeringsResource(PeeringAdminService peerings) {
        this.peerings = peerings;
    }

    void register(Router router) {
        router.add("GET", "/peerings", r -> ApiResponse.ok(peerings.peerings(r.caller())));
        router.add("POST", "/peerings", this::create);
        router.add("GET", "/peerings/{id}", r -> ApiResponse.ok(peerings.peering(r.caller(), r.pathParam("id"))));
        router.add("POST", "/peerings/{id}/accept", r -> ApiResponse.ok(peerings.accept(r.caller(),
                r.pathParam("id"))));
        router.add("POST", "/peerings/{id}/reject", r -> ApiResponse.ok(peerings.reject(r.caller(),
                r.pathParam("id"))));
        router.add("DELETE", "/peerings/{id}", r -> {
            peerings.deletePeering(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
    }

    private ApiResponse create(ApiRequest r) {
        Fields f = r.fields().only("name", "network", "peerNetwork", "allowForwardedTraffic", "autoAccept");
        Peering p = peerings.createPeering(r.caller(), new PeeringSpec(f.requiredString("name"),
                f.requiredString("network"), f.requiredString("peerNetwork"), f.bool("allowForwardedTraffic", false),
                f.bool("autoAccept", false)));
        return ApiResponse.created("/netloom/api/v1/peerings/" + p.id(), p);
    }
}
