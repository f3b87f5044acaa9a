package io.netloom.rest.internal;

import java.util.Locale;
import java.util.function.Supplier;

import io.netloom.api.explain.ExplainService;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.model.Protocol;
import io.netloom.api.routing.RoutingService;
import io.netloom.api.topology.TopologyService;

/**
 * What the policy bundles derive: {@code /networks/{id}/routes}, {@code /topology}, {@code /explain} and
 * {@code /security-groups/{id}/lint}. Each policy bundle may be stopped at runtime; while one is, its resources
 * answer 503 {@code SERVICE_UNAVAILABLE} and everything else keeps working. Each answer reflects every write
 * acknowledged before it was asked: it waits until the policy bundles have heard the newest revision.
 */
final class PolicyResource {

    private final Supplier<RoutingService> routing;
    private final Supplier<TopologyService> topology;
    private final Supplier<ExplainService> explain;
    private final Supplier<FirewallService> firewall;
    private final ModelRevisions revisions;

    PolicyResource(Supplier<RoutingService> routing, Supplier<TopologyService> topology,
            Supplier<ExplainService> explain, Supplier<FirewallService> firewall, ModelRevisions revisions) {
        this.routing = routing;
        this.topology = topology;
        this.explain = explain;
        this.firewall = firewall;
        this.revisions = revisions;
    }

    void register(Router router) {
        router.add("GET", "/networks/{id}/routes", r -> ApiResponse.ok(require(routing, "routing", revisions)
                .routes(r.caller(), r.pathParam("id"))));
        router.add("GET", "/topology", r -> ApiResponse.ok(require(topology, "topology", revisions)
                .topology(r.caller())));
        router.add("GET", "/security-groups/{id}/lint", r -> ApiResponse.ok(require(firewall, "firewall", revisions)
                .lint(r.caller(), r.pathParam("id"))));
        router.add("GET", "/explain", this::explain);
    }

    private ApiResponse explain(ApiRequest r) {
        String from = r.query("from").orElseThrow(() -> ApiException.badRequest("REQUIRED",
                "The query parameter 'from' (a port) is required", "from"));
        String to = r.query("to").orElseThrow(() -> ApiException.badRequest("REQUIRED",
                "The query parameter 'to' (a port or an address) is required", "to"));
        Protocol protocol = protocol(r.query("protocol").orElse("icmp"));
        int port = 0;
        if (protocol == Protocol.TCP || protocol == Protocol.UDP) {
            String text = r.query("port").orElseThrow(() -> ApiException.badRequest("REQUIRED",
                    "The query parameter 'port' is required for tcp and udp", "port"));
            if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
                throw ApiException.badRequest("INVALID_PORT", "port is 1-65535", "port");
            }
            port = Integer.parseInt(text);
        }
        // Explain waits for the policies itself, for the shell as for this API.
        return ApiResponse.ok(require(explain, "explain").explain(r.caller(), from, to, protocol, port));
    }

    static Protocol protocol(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "icmp" -> Protocol.ICMP;
            default -> throw ApiException.badRequest("INVALID_PROTOCOL", "protocol is tcp, udp or icmp", "protocol");
        };
    }

    private static <T> T require(Supplier<T> service, String name) {
        T t = service.get();
        if (t == null) {
            throw new ApiException(503, "SERVICE_UNAVAILABLE", "The " + name
                    + " service is not running; it answers again as soon as its bundle is started", null);
        }
        return t;
    }

    /**
     * @return the running service, once the policy bundles have heard every write acknowledged before this request
     */
    private static <T> T require(Supplier<T> service, String name, ModelRevisions revisions) {
        T t = require(service, name);
        revisions.awaitCurrentHeard(ModelRevisions.CATCH_UP);
        return t;
    }
}
