package io.netloom.rest.internal;

import io.netloom.api.model.Node;
import io.netloom.api.model.NodeAdminService;
import io.netloom.api.model.NodeHeartbeat;
import io.netloom.api.model.NodeSpec;

/**
 * {@code /nodes}: the data-plane nodes. Administrators and viewers read them; administrators register, drain,
 * resume and remove them, and (until nodes have credentials of their own) report their heartbeats.
 */
final class NodesResource {

    private final NodeAdminService nodes;

    NodesResource(NodeAdminService nodes) {
        this.nodes = nodes;
    }

    void register(Router router) {
        router.add("GET", "/nodes", r -> ApiResponse.ok(nodes.nodes(r.caller())));
        router.add("POST", "/nodes", r -> {
            Fields f = Fields.of(r.body());
            f.only("name", "driver", "underlayAddress");
            Node n = nodes.register(r.caller(), new NodeSpec(f.requiredString("name"), f.requiredString("driver"),
                    f.requiredString("underlayAddress")));
            return ApiResponse.created("/netloom/api/v1/nodes/" + n.id(), n);
        });
        router.add("GET", "/nodes/{id}", r -> ApiResponse.ok(nodes.node(r.caller(), r.pathParam("id"))));
        router.add("DELETE", "/nodes/{id}", r -> {
            nodes.remove(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
        router.add("POST", "/nodes/{id}/drain", r -> ApiResponse.ok(nodes.setDraining(r.caller(),
                r.pathParam("id"), true)));
        router.add("DELETE", "/nodes/{id}/drain", r -> ApiResponse.ok(nodes.setDraining(r.caller(),
                r.pathParam("id"), false)));
        router.add("POST", "/nodes/{id}/heartbeat", r -> {
            Fields f = Fields.of(r.body());
            f.only("realisedRevision", "agentVersion");
            Long revision = f.longNumber("realisedRevision");
            return ApiResponse.ok(nodes.heartbeat(r.caller(), r.pathParam("id"),
                    new NodeHeartbeat(revision == null ? 0 : revision, f.string("agentVersion"))));
        });
    }
}
