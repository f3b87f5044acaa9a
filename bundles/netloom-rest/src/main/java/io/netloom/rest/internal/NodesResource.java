package io.netloom.rest.internal;

import java.util.Map;
import java.util.function.Supplier;

import com.google.gson.JsonObject;

import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.NodeConfigService;
import io.netloom.api.agent.NodeCredentialService;
import io.netloom.api.codec.JsonCodec;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeAdminService;
import io.netloom.api.model.NodeHeartbeat;
import io.netloom.api.model.NodeSpec;

/**
 * {@code /nodes}: the data-plane nodes. Administrators and viewers read them; administrators register, drain,
 * resume and remove them, and issue their credentials. A node's agent, authenticated by its own credential
 * ({@link ApiContext} lets it reach nothing but its own heartbeat and configuration), reports its heartbeat here;
 * its configuration is served by {@link NodeConfigPoll}.
 */
final class NodesResource {

    /** How many failed entries one report may list. */
    static final int MAX_FAILURES = 10_000;

    private final NodeAdminService nodes;
    private final NodeCredentialService credentials;
    private final Supplier<NodeConfigService> configs;

    NodesResource(NodeAdminService nodes, NodeCredentialService credentials, Supplier<NodeConfigService> configs) {
        this.nodes = nodes;
        this.credentials = credentials;
        this.configs = configs;
    }

    /**
     * Whether a request issues a node credential: its answer holds the secret, so it is never kept for an
     * {@code Idempotency-Key} (a retry issues another, revoking the first).
     */
    static boolean issuesSecret(String method, String path) {
        return "POST".equals(method) && path != null && (path.equals("/nodes") || path.equals("/nodes/")
                || path.startsWith("/nodes/") && path.endsWith("/credential"));
    }

    /** A node's JSON with its new credential: the only time the secret is shown. */
    private static JsonObject withCredential(Node node, String secret) {
        JsonObject o = JsonCodec.gson().toJsonTree(node).getAsJsonObject();
        o.addProperty("credential", secret);
        return o;
    }

    void register(Router router) {
        router.add("GET", "/nodes", r -> ApiResponse.ok(nodes.nodes(r.caller())));
        router.add("POST", "/nodes", r -> {
            Fields f = Fields.of(r.body());
            f.only("name", "driver", "underlayAddress");
            Node n = nodes.register(r.caller(), new NodeSpec(f.requiredString("name"), f.requiredString("driver"),
                    f.requiredString("underlayAddress")));
            return ApiResponse.created("/netloom/api/v1/nodes/" + n.id(),
                    withCredential(n, credentials.issue(r.caller(), n.id())));
        });
        router.add("POST", "/nodes/{id}/credential", r -> {
            Node n = nodes.node(r.caller(), r.pathParam("id"));
            return ApiResponse.ok(withCredential(n, credentials.issue(r.caller(), n.id())));
        });
        router.add("GET", "/nodes/{id}", r -> ApiResponse.ok(nodes.node(r.caller(), r.pathParam("id"))));
        router.add("DELETE", "/nodes/{id}", r -> {
            Node n = nodes.node(r.caller(), r.pathParam("id"));
            nodes.remove(r.caller(), n.id());
            credentials.revoke(n.id());
            return ApiResponse.noContent();
        });
        router.add("POST", "/nodes/{id}/drain", r -> ApiResponse.ok(nodes.setDraining(r.caller(),
                r.pathParam("id"), true)));
        router.add("DELETE", "/nodes/{id}/drain", r -> ApiResponse.ok(nodes.setDraining(r.caller(),
                r.pathParam("id"), false)));
        router.add("POST", "/nodes/{id}/heartbeat", r -> {
            Fields f = Fields.of(r.body());
            f.only("realisedRevision", "agentVersion", "failures");
            Long revision = f.longNumber("realisedRevision");
            long realised = revision == null ? 0 : revision;
            String version = f.string("agentVersion");
            Map<String, String> failures = f.stringMap("failures", MAX_FAILURES);
            // A node's own credential was checked against the path by the API context: it reports for itself.
            Caller reporter = ApiContext.nodeOf(r.http()).isPresent() ? Caller.system() : r.caller();
            Node n = nodes.heartbeat(reporter, r.pathParam("id"), new NodeHeartbeat(realised, version));
            NodeConfigService service = configs.get();
            if (service != null) {
                service.report(n.id(), new AgentReport(realised, version == null ? "" : version, failures));
            }
            return ApiResponse.ok(n);
        });
    }
}
