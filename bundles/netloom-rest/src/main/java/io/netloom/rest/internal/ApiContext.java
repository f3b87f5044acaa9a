package io.netloom.rest.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

import io.netloom.api.agent.NodeCredentialService;
import io.netloom.api.auth.LoginOutcome;
import io.netloom.api.auth.RealmLogin;

/**
 * The servlet context of the REST API, {@value #PATH}: every request's path is checked (see {@link PathRules}) and
 * the request authenticated here against Karaf's JAAS realm before a servlet sees it, and refused with the API's
 * JSON error body when it may not proceed.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE)
@HttpWhiteboardContext(name = ApiContext.NAME, path = ApiContext.PATH)
public class ApiContext extends ServletContextHelper {

    static final String NAME = "netloom-api";
    static final String PATH = "/netloom/api";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    static final String ROLES_ATTRIBUTE = "io.netloom.roles";
    /** The node a request authenticated with a node credential speaks for. */
    static final String NODE_ATTRIBUTE = "io.netloom.node";
    /** The user name of a request made with a node credential: this prefix and the node id. */
    static final String NODE_USER_PREFIX = "node:";
    /** The role of a request made with a node credential; it opens nothing but the node's own two resources. */
    static final String NODE_ROLE = "netloom-node";
    private static final String BEARER = "Bearer ";

    @Reference
    private LoginThrottle throttle;
    @Reference
    private NodeCredentialService nodeCredentials;

    @Reference
    private RealmLogin realm;

    private ApiAccess access;

    @Activate
    void activate() {
        access = new ApiAccess(new RecentLogins(this::authenticate, Clock.systemUTC()), throttle,
                Clock.systemUTC());
    }

    /** A REST login: {@link ApiAccess} has throttled it already, so the realm's guard leaves it alone. */
    private Optional<Set<String>> authenticate(String user, char[] password) {
        return realm.login(LoginGuardModule.REST, "api", user, password) instanceof LoginOutcome.Accepted accepted
                ? Optional.of(accepted.roles()) : Optional.empty();
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Checked first: before credentials are tried and before any servlet or route is chosen.
        Optional<String> badPath = PathRules.problem(request.getRequestURI());
        if (badPath.isPresent()) {
            JsonResponses.write(response, ApiResponse.error(400, "INVALID_PATH", badPath.get()));
            return false;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return nodeSecurity(request, response, authorization.substring(BEARER.length()).trim());
        }
        String via = viaOf(request);
        ApiAccess.Decision decision = access.decide(request.getMethod(), request.getHeader("Authorization"),
                request.getRemoteAddr(), via);
        if (decision instanceof ApiAccess.Decision.Allowed allowed) {
            request.setAttribute(REMOTE_USER, allowed.user());
            request.setAttribute(ROLES_ATTRIBUTE, allowed.roles());
            request.setAttribute(AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
            return true;
        }
        ApiAccess.Decision.Refused refused = (ApiAccess.Decision.Refused) decision;
        if (refused.status() == 401 && !ApiAccess.isBrowserScript(request.getHeader("X-Requested-With"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"Netloom\", charset=\"UTF-8\"");
        }
        if (refused.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
        }
        JsonResponses.write(response, new ApiResponse(refused.status(), refused.error()));
        return false;
    }

    /**
     * A node agent's request, with its node's own credential: it may read its own configuration and report its own
     * heartbeat, nothing else (403); a wrong or revoked credential is 401.
     */
    private boolean nodeSecurity(HttpServletRequest request, HttpServletResponse response, String secret)
            throws IOException {
        Optional<String> node = nodeCredentials.authenticate(secret);
        if (node.isEmpty()) {
            JsonResponses.write(response, ApiResponse.error(401, "UNAUTHORIZED", "Unknown or revoked node "
                    + "credential"));
            return false;
        }
        String own = PATH + "/v1/nodes/" + node.get() + "/";
        String uri = request.getRequestURI();
        boolean allowed = "GET".equals(request.getMethod()) && uri.equals(own + "config")
                || "POST".equals(request.getMethod()) && uri.equals(own + "heartbeat");
        if (!allowed) {
            JsonResponses.write(response, ApiResponse.error(403, "FORBIDDEN", "A node credential reads only its own "
                    + "node's configuration (GET " + own + "config) and reports only its own heartbeat (POST " + own
                    + "heartbeat)"));
            return false;
        }
        request.setAttribute(REMOTE_USER, NODE_USER_PREFIX + node.get());
        request.setAttribute(ROLES_ATTRIBUTE, Set.of(NODE_ROLE));
        request.setAttribute(NODE_ATTRIBUTE, node.get());
        request.setAttribute(AUTHENTICATION_TYPE, "Bearer");
        return true;
    }

    /**
     * @return the node a request's credential speaks for, when it was made with a node credential
     */
    static Optional<String> nodeOf(HttpServletRequest request) {
        Object node = request.getAttribute(NODE_ATTRIBUTE);
        return node instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * @return the interface a request came through: {@code console} for the web console, else {@code rest}
     */
    static String viaOf(HttpServletRequest request) {
        return "console".equals(request.getHeader("X-Netloom-Client")) ? "console" : "rest";
    }
}
