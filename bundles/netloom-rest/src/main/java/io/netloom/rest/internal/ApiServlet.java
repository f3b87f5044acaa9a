package io.netloom.rest.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

import javax.servlet.AsyncContext;
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
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
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
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.agent.NodeConfigService;
import io.netloom.api.agent.NodeCredentialService;
import io.netloom.api.model.NodeAdminService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.QuotaService;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.routing.RoutingService;
import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreWrite;
import io.netloom.api.topology.TopologyService;

/**
 * Version 1 of the REST API, under {@code /netloom/api/v1}. Dispatches to thin resources through a {@link Router}
 * and maps every failure to the API's JSON error body: a failure never leaks as an HTML page or a stack trace.
 *
 * <p>Every answer carries the model revision in {@value #REVISION_HEADER}: of the request's own write, or the
 * newest when it wrote nothing. {@code ?wait} waits for that write's revision to be realised ({@link Realisation}).
 * Requests with an {@code Idempotency-Key} are serialised per key only, and never while they wait.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.PID)
@Designate(ocd = ApiServlet.Config.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletPattern("/v1/*")
@HttpWhiteboardServletName("netloom-api-v1")
@HttpWhiteboardServletAsyncSupported
public class ApiServlet extends HttpServlet {

    static final String PID = "io.netloom.rest";
    static final String REVISION_HEADER = "Netloom-Revision";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    /** Idempotency keys are locked by stripe: requests with different keys rarely wait for each other. */
    private static final int KEY_STRIPES = 64;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** The methods whose answers an {@code Idempotency-Key} keeps and replays. */
    private static final Set<String> KEYED = Set.of("POST", "PATCH");

    /** The REST settings, {@code etc/io.netloom.rest.cfg}. */
    @ObjectClassDefinition(name = "Netloom REST API", description = "Settings of the REST API")
    public @interface Config {
        /**
         * @return how long the answer to an {@code Idempotency-Key} is kept, an ISO-8601 duration
         */
        @AttributeDefinition(name = "idempotency.expiry", description = "How long the answer to a request with an "
                + "Idempotency-Key is kept and replayed, an ISO-8601 duration such as PT24H")
        String idempotency_expiry() default "PT24H";

        /**
         * @return how many writes one caller may have waiting ({@code ?wait}) at once
         */
        @AttributeDefinition(name = "waits.per.caller", description = "How many writes with ?wait one caller may "
                + "have waiting at once; more answer 429")
        int waits_per_caller() default 64;

        /**
         * @return how many writes may wait at once, all callers together
         */
        @AttributeDefinition(name = "waits.total", description = "How many writes with ?wait may wait at once, "
                + "all callers together; more answer 503")
        int waits_total() default 4096;

        /**
         * @return how many writes one caller may have in progress at once
         */
        @AttributeDefinition(name = "writes.per.caller", description = "How many writes (not counting their waits) "
                + "one caller may have in progress at once; more answer 429")
        int writes_per_caller() default 16;
    }

    @Reference
    private transient DriverRegistry drivers;
    @Reference
    private transient NetworkAdminService networks;
    @Reference
    private transient PortAdminService ports;
    @Reference
    private transient NodeAdminService nodes;
    @Reference
    private transient NodeCredentialService credentials;
    @Reference
    private transient SecurityGroupAdminService groups;
    @Reference
    private transient PeeringAdminService peerings;
    @Reference
    private transient AuditService audit;
    @Reference
    private transient QuotaService quotas;
    @Reference
    private transient ModelStore store;
    @Reference
    private transient ModelRevisions revisions;

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
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile NodeConfigService nodeConfigs;

    private transient Router router;
    private transient Idempotency idempotency;
    private final transient ReentrantLock[] keyLocks = new ReentrantLock[KEY_STRIPES];
    private transient CallerLimits waitLimits;
    private transient CallerLimits writeLimits;
    /** Checks waiting writes and writes their answers; a wait holds no server thread. */
    private transient ScheduledExecutorService waitTimer;

    @Activate
    void activate(Config config) {
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
        waitLimits = new CallerLimits(Math.max(1, config.waits_per_caller()), Math.max(1, config.waits_total()));
        writeLimits = new CallerLimits(Math.max(1, config.writes_per_caller()), Integer.MAX_VALUE);
        AtomicInteger threads = new AtomicInteger();
        waitTimer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "netloom-rest-waits-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Router r = new Router();
        new DriversResource(drivers).register(r);
        new NetworksResource(networks).register(r);
        new PortsResource(ports).register(r);
        new NodesResource(nodes, credentials, () -> nodeConfigs).register(r);
        new SecurityGroupsResource(groups).register(r);
        new PeeringsResource(peerings).register(r);
        new AuditResource(audit).register(r);
        new QuotasResource(quotas).register(r);
        new PolicyResource(() -> routing, () -> topology, () -> explain, () -> firewall, revisions).register(r);
        new RealisationResource(() -> realisation, revisions).register(r);
        router = r;
        idempotency = new Idempotency(store, Clock.systemUTC(), expiryOf(config.idempotency_expiry()));
        idempotency.startPurging();
    }

    /** A mistyped expiry must not take the API down: the default applies, and the log says so. */
    private static Duration expiryOf(String text) {
        try {
            Duration expiry = Duration.parse(text.trim());
            if (!expiry.isNegative() && !expiry.isZero()) {
                return expiry;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.warn("idempotency.expiry '{}' is not a positive ISO-8601 duration; using {}", text,
                Idempotency.DEFAULT_EXPIRY);
        return Idempotency.DEFAULT_EXPIRY;
    }

    @Deactivate
    void deactivate() {
        idempotency.stopPurging();
        waitTimer.shutdown();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> polled = NodeConfigPoll.nodeOf(request.getMethod(), request.getPathInfo());
        if (polled.isPresent()) {
            NodeConfigPoll.serve(request, response, polled.get(), nodes, nodeConfigs, waitTimer);
            return;
        }
        String user = request.getRemoteUser() == null ? "anonymous" : request.getRemoteUser();
        boolean write = !READS.contains(request.getMethod());
        boolean waits = write && request.getParameter("wait") != null;
        // Fair service: places are taken before anything is read or changed, so a refusal changes nothing.
        if (waits) {
            CallerLimits.Refusal refused = waitLimits.acquire(user);
            if (refused != null) {
                JsonResponses.write(response, tooMany(refused, "writes waiting for realisation"));
                return;
            }
        }
        Prepared prepared;
        if (write) {
            CallerLimits.Refusal refused = writeLimits.acquire(user);
            if (refused != null) {
                release(waits, user);
                JsonResponses.write(response, tooMany(refused, "writes in progress"));
                return;
            }
            try {
                prepared = answer(request);
            } finally {
                writeLimits.release(user);
            }
        } else {
            prepared = answer(request);
        }
        Optional<Duration> wait = prepared.done() == null ? Optional.empty()
                : Realisation.wanted(prepared.request(), prepared.answer(), prepared.done().revision());
        if (wait.isEmpty()) {
            release(waits, user);
            JsonResponses.write(response, prepared.answer());
            return;
        }
        // The wait holds no server thread: the answer is written when the write is realised or time runs out.
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Caller caller = prepared.done().caller();
        Realisation.await(prepared.answer(), prepared.done().revision(), wait.get(), () -> realisation,
                body -> reload(caller, body), waitTimer, answer -> {
                    release(true, user);
                    try {
                        JsonResponses.write((HttpServletResponse) async.getResponse(), answer);
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("The answer to a waiting write could not be sent: {}", e.toString());
                    } finally {
                        async.complete();
                    }
                });
    }

    private void release(boolean waits, String user) {
        if (waits) {
            waitLimits.release(user);
        }
    }

    private static ApiResponse tooMany(CallerLimits.Refusal refusal, String what) {
        ApiResponse answer = refusal == CallerLimits.Refusal.CALLER
                ? ApiResponse.error(429, "TOO_MANY_REQUESTS", "You have too many " + what + " at once; retry when "
                        + "one has answered")
                : ApiResponse.error(503, "SERVICE_BUSY", "The API has too many " + what + " at once; retry shortly");
        return answer.withHeader("Retry-After", "1");
    }

    /**
     * What a request comes to before any wait: the answer with its revision header, and, for a request that ran
     * (or replayed) a write, what it ran; {@code request} is the one to read parameters from.
     */
    private record Prepared(HttpServletRequest request, ApiResponse answer, Executed done) {
    }

    private Prepared answer(HttpServletRequest request) {
        String key = request.getHeader("Idempotency-Key");
        if (key == null || !KEYED.contains(request.getMethod())
                || NodesResource.issuesSecret(request.getMethod(), request.getPathInfo())) {
            return prepared(request, execute(request, null));
        }
        try {
            Idempotency.checkKey(key);
        } catch (ApiException e) {
            return new Prepared(request, e.toResponse(), null);
        }
        CachedBodyRequest cached;
        try {
            cached = CachedBodyRequest.of(request);
        } catch (ApiException e) {
            return new Prepared(request, e.toResponse(), null);
        } catch (IOException e) {
            return new Prepared(request, ApiResponse.error(400, "INVALID_BODY", "The body could not be read"), null);
        }
        String storeKey = Idempotency.storeKey(request.getRemoteUser(), key);
        String hash = Idempotency.requestHash(request.getMethod(), request.getPathInfo(), cached.text());
        Executed done;
        // Only requests under the same key (stripe) wait for each other, and only while they execute: the wait for
        // realisation happens after the lock is released.
        ReentrantLock lock = keyLocks[Math.floorMod(storeKey.hashCode(), keyLocks.length)];
        lock.lock();
        try {
            var kept = idempotency.find(storeKey);
            if (kept.isPresent()) {
                if (!kept.get().requestHash().equals(hash)) {
                    return new Prepared(request, ApiResponse.error(409, "IDEMPOTENCY_KEY_REUSED",
                            "This Idempotency-Key was used for a different request"), null);
                }
                if (!kept.get().answered()) {
                    return new Prepared(request, ApiResponse.error(409, "IDEMPOTENT_REQUEST_APPLIED", "The "
                            + "request with this Idempotency-Key was applied (revision " + kept.get().revision()
                            + ") but its answer was lost when the controller stopped; read the resource to see the "
                            + "result"), null);
                }
                done = new Executed(Idempotency.replay(kept.get()), kept.get().revision(), callerOf(request));
            } else {
                done = execute(cached, revision -> List.of(idempotency.applied(storeKey, hash, revision)));
                if (done.answer().status() < 300) {
                    idempotency.keep(storeKey, hash, done.answer(), done.revision());
                }
            }
        } finally {
            lock.unlock();
        }
        return prepared(cached, done);
    }

    /** A request's answer before any wait, and the revision of its write (0 when it wrote nothing). */
    private record Executed(ApiResponse answer, long revision, Caller caller) {
    }

    /** Adds the revision header to an answer that is not an error. */
    private Prepared prepared(HttpServletRequest request, Executed done) {
        ApiResponse answer = done.answer();
        if (answer.status() >= 400) {
            return new Prepared(request, answer, null);
        }
        long revision = done.revision() > 0 ? done.revision() : revisions.current();
        return new Prepared(request, answer.withHeader(REVISION_HEADER, Long.toString(revision)), done);
    }

    /**
     * Runs the request's handler, tracking the revision of what it writes.
     *
     * @param alsoCommit more store writes to commit with each of the request's writes, or {@code null}
     */
    private Executed execute(HttpServletRequest request, LongFunction<List<StoreWrite>> alsoCommit) {
        String method = request.getMethod();
        String path = request.getPathInfo();
        Router.Match match = router.find(method, path);
        if (match.handler().isEmpty()) {
            if (match.allowedMethods().isEmpty()) {
                return refused(ApiResponse.error(404, "NOT_FOUND", "No resource at " + path));
            }
            return refused(ApiResponse.error(405, "METHOD_NOT_ALLOWED",
                    method + " is not allowed here; allowed: " + String.join(", ", match.allowedMethods())));
        }
        try {
            // Every parameter is checked before the handler runs: a refused request changes nothing.
            Realisation.check(request);
            Caller caller = callerOf(request);
            ModelRevisions.Tracked<ApiResponse> handled = revisions.tracked(
                    () -> match.handler().get().handle(new ApiRequest(request, match.pathParams(), caller)),
                    alsoCommit);
            ApiResponse answer = handled.value();
            return new Executed(answer.with(answer.status(), StatusOverlay.apply(answer.body(), realisation)),
                    handled.revision(), caller);
        } catch (ApiException e) {
            return refused(e.toResponse());
        } catch (NetloomException e) {
            return refused(new ApiResponse(statusOf(e), new ApiError(e.code(), e.getMessage(),
                    e.field().orElse(null))));
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {} {}", method, path, e);
            return refused(ApiResponse.error(500, "INTERNAL_ERROR",
                    "Netloom failed to answer; the log has the details"));
        }
    }

    private static Executed refused(ApiResponse answer) {
        return new Executed(answer, 0, null);
    }

    /** The written object as the model services report it now, with its realisation status. */
    private Object reload(Caller caller, Object body) {
        try {
            return reloadOrFail(caller, body);
        } catch (NotFoundException e) {
            // Deleted meanwhile: the answer shows it as it was written.
            return body;
        }
    }

    private Object reloadOrFail(Caller caller, Object body) {
        if (body instanceof Network n) {
            return StatusOverlay.apply(networks.network(caller, n.id()), realisation);
        }
        if (body instanceof Port p) {
            return StatusOverlay.apply(ports.port(caller, p.id()), realisation);
        }
        if (body instanceof Peering p) {
            return StatusOverlay.apply(peerings.peering(caller, p.id()), realisation);
        }
        if (body instanceof List<?> list) {
            return list.stream().map(item -> reloadOrFail(caller, item)).toList();
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
