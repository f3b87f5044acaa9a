package io.netloom.rest.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NetloomException;
import io.netloom.api.NotFoundException;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.explain.ExplainService;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.model.AuditService;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.routing.RoutingService;
import io.netloom.api.store.ModelStore;
import io.netloom.api.topology.TopologyService;

/**
 * Version 1 of the REST API, under {@code /netloom/api/v1}. Dispatches to thin resources through a {@link Router}
 * and maps every failure to the API's JSON error body: a failure never leaks as an HTML page or a stack trace.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletPattern("/v1/*")
@HttpWhiteboardServletName("netloom-api-v1")
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    @Reference
    private transient DriverRegistry drivers;
    @Reference
    private transient NetworkAdminService networks;
    @Reference
    private transient PortAdminService ports;
    @Reference
    private transient SecurityGroupAdminService groups;
    @Reference
    private transient PeeringAdminService peerings;
    @Reference
    private transient AuditService audit;
    @Reference
    private transient ModelStore store;

    // Policy bundles may be stopped and started at runtime: bound dynamically, used when present.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile RoutingService routing;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile TopologyService topology;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ExplainService explain;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile FirewallService firewall;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile RealisationService realisation;

    private transient Router router;
    private transient Idempotency idempotency;
    private final transient Object idempotencyLock = new Object();

    @Activate
    void activate() {
        Router r = new Router();
        new DriversResource(drivers).register(r);
        new NetworksResource(networks).register(r);
        new PortsResource(ports).register(r);
        new SecurityGroupsResource(groups).register(r);
        new PeeringsResource(peerings).register(r);
        new AuditResource(audit).register(r);
        new PolicyResource(() -> routing, () -> topology, () -> explain, () -> firewall).register(r);
        router = r;
        idempotency = new Idempotency(store, Clock.systemUTC());
        idempotency.startPurging();
    }

    @Deactivate
    void deactivate() {
        idempotency.stopPurging();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.write(response, answer(request));
    }

    private ApiResponse answer(HttpServletRequest request) {
        String key = request.getHeader("Idempotency-Key");
        if (key == null || !"POST".equals(request.getMethod())) {
            return dispatch(request);
        }
        try {
            Idempotency.checkKey(key);
        } catch (ApiException e) {
            return e.toResponse();
        }
        CachedBodyRequest cached;
        try {
            cached = CachedBodyRequest.of(request);
        } catch (ApiException e) {
            return e.toResponse();
        } catch (IOException e) {
            return ApiResponse.error(400, "INVALID_BODY", "The body could not be read");
        }
        String storeKey = Idempotency.storeKey(request.getRemoteUser(), key);
        String hash = Idempotency.requestHash(request.getMethod(), request.getPathInfo(), cached.text());
        synchronized (idempotencyLock) {
            var kept = idempotency.find(storeKey);
            if (kept.isPresent()) {
                if (!kept.get().requestHash().equals(hash)) {
                    return ApiResponse.error(409, "IDEMPOTENCY_KEY_REUSED",
                            "This Idempotency-Key was used for a different request");
                }
                return Idempotency.replay(kept.get());
            }
            ApiResponse answer = dispatch(cached);
            if (answer.status() < 500) {
                idempotency.keep(storeKey, hash, answer);
            }
            return answer;
        }
    }

    ApiResponse dispatch(HttpServletRequest request) {
        String method = request.getMethod();
        String path = request.getPathInfo();
        Router.Match match = router.find(method, path);
        if (match.handler().isEmpty()) {
            if (match.allowedMethods().isEmpty()) {
                return ApiResponse.error(404, "NOT_FOUND", "No resource at " + path);
            }
            return ApiResponse.error(405, "METHOD_NOT_ALLOWED",
                    method + " is not allowed here; allowed: " + String.join(", ", match.allowedMethods()));
        }
        try {
            // Every parameter is checked before the handler runs: a refused request changes nothing.
            Realisation.check(request);
            ApiResponse answer = match.handler().get().handle(new ApiRequest(request, match.pathParams(),
                    callerOf(request)));
            Caller caller = callerOf(request);
            ApiResponse withStatus = new ApiResponse(answer.status(), StatusOverlay.apply(answer.body(), realisation),
                    answer.location());
            return Realisation.await(request, withStatus, body -> reload(caller, body));
        } catch (ApiException e) {
            return e.toResponse();
        } catch (NetloomException e) {
            return new ApiResponse(statusOf(e), new ApiError(e.code(), e.getMessage(), e.field().orElse(null)));
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {} {}", method, path, e);
            return ApiResponse.error(500, "INTERNAL_ERROR", "Netloom failed to answer; the log has the details");
        }
    }

    /** The written object as the model services report it now, with its realisation status. */
    private Object reload(Caller caller, Object body) {
        if (body instanceof Network n) {
            return StatusOverlay.apply(networks.network(caller, n.id()), realisation);
        }
        if (body instanceof Port p) {
            return StatusOverlay.apply(ports.port(caller, p.id()), realisation);
        }
        if (body instanceof List<?> list) {
            return list.stream().map(item -> reload(caller, item)).toList();
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    static Caller callerOf(HttpServletRequest request) {
        String user = request.getRemoteUser();
        Object attribute = request.getAttribute(ApiContext.ROLES_ATTRIBUTE);
        Set<String> roles = attribute instanceof Set<?> s ? (Set<String>) s : Set.of();
        return Caller.of(user == null ? "anonymous" : user, roles, ApiContext.viaOf(request));
    }

    static int statusOf(NetloomException e) {
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof ForbiddenException) {
            return 403;
        }
        return e instanceof ConflictException ? 409 : 400;
    }
}
