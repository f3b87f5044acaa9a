package io.netloom.openstack.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.auth.LoginOutcome;
import io.netloom.api.auth.RealmLogin;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Names;
import io.netloom.api.model.Permission;

/**
 * The Keystone v3 subset OpenStack clients need: {@code GET /} and {@code GET /v3} version documents, and
 * {@code POST /v3/auth/tokens} with the password method and a project scope (plus {@code GET}/{@code DELETE} of a
 * token). Users and passwords are those of Karaf's JAAS realm; a project is a Netloom tenant a user holds the role
 * {@code netloom-tenant-NAME} of; {@code netloom-admin} may scope to any project and is Keystone's {@code admin}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(IdentityContext.SELECT)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("netloom-identity")
public class IdentityServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IdentityServlet.class);
    private static final DateTimeFormatter KEYSTONE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    static final String DOMAIN_ID = "default";
    static final String DOMAIN_NAME = "Default";
    static final String REGION = "RegionOne";

    @Reference
    private transient TokenStore tokens;

    /** The client kind logins through this endpoint are counted under by the realm's login guard. */
    static final String CLIENT = "netloom-openstack";

    @Reference
    private transient RealmLogin realm;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.getMethod();
        try {
            if (path.equals("/") && method.equals("GET")) {
                JsonObject versions = new JsonObject();
                JsonArray values = new JsonArray();
                values.add(version(request));
                versions.add("values", values);
                JsonObject body = new JsonObject();
                body.add("versions", versions);
                Http.write(response, 300, body);
            } else if (path.equals("/v3") && method.equals("GET")) {
                JsonObject body = new JsonObject();
                body.add("version", version(request));
                Http.write(response, 200, body);
            } else if (path.equals("/v3/auth/tokens") && method.equals("POST")) {
                issue(request, response);
            } else if (path.equals("/v3/auth/tokens") && (method.equals("GET") || method.equals("HEAD"))) {
                Token token = validSubject(request, response);
                if (token != null) {
                    response.setHeader("X-Subject-Token", request.getHeader("X-Subject-Token"));
                    Http.write(response, 200, method.equals("HEAD") ? null
                            : tokenBody(request, token));
                }
            } else if (path.equals("/v3/auth/tokens") && method.equals("DELETE")) {
                if (validSubject(request, response) != null) {
                    tokens.revoke(request.getHeader("X-Subject-Token"));
                    Http.write(response, 204, null);
                }
            } else {
                error(response, 404, "Not Found", "The resource could not be found.");
            }
        } catch (Http.BadBody e) {
            error(response, e.status(), "Bad Request", e.getMessage());
        }
    }

    /** The caller's token (X-Auth-Token) and the token asked about (X-Subject-Token) must both be valid. */
    private Token validSubject(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Token> caller = tokens.find(request.getHeader("X-Auth-Token"));
        if (caller.isEmpty()) {
            error(response, 401, "Unauthorized", "The request you have made requires authentication.");
            return null;
        }
        Optional<Token> subject = tokens.find(request.getHeader("X-Subject-Token"));
        if (subject.isEmpty() || !(caller.get().admin() || caller.get().user().equals(subject.get().user()))) {
            error(response, 404, "Not Found", "Could not find token.");
            return null;
        }
        return subject.get();
    }

    private void issue(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObject auth = object(Http.readObject(request), "auth");
        JsonObject identity = object(auth, "identity");
        JsonElement methods = identity == null ? null : identity.get("methods");
        if (identity == null || methods == null || !methods.isJsonArray()
                || !methods.getAsJsonArray().contains(new com.google.gson.JsonPrimitive("password"))) {
            error(response, 400, "Bad Request", "Only the password authentication method is supported.");
            return;
        }
        JsonObject user = object(object(identity, "password"), "user");
        String name = string(user, "name");
        String password = string(user, "password");
        if (name == null || password == null) {
            error(response, 400, "Bad Request", "A user name and password are required (user ids are not "
                    + "supported).");
            return;
        }
        LoginOutcome outcome = realm.login(CLIENT, request.getRemoteAddr(), name, password.toCharArray());
        if (outcome instanceof LoginOutcome.Locked locked) {
            error(response, 401, "Unauthorized", locked.message());
            return;
        }
        if (!(outcome instanceof LoginOutcome.Accepted accepted)) {
            error(response, 401, "Unauthorized", "The request you have made requires authentication.");
            return;
        }
        Set<String> roles = accepted.roles();
        Optional<String> project = project(object(object(auth, "scope"), "project"), roles);
        if (project.isEmpty()) {
            error(response, 401, "Unauthorized", "User " + name + " has no access to the requested project.");
            return;
        }
        Token token = token(name, project.get(), roles, tokens.now());
        String text = tokens.issue(token);
        LOG.debug("Keystone token issued to '{}' for project '{}' (from {})", name, project.get(),
                request.getRemoteAddr());
        response.setHeader("X-Subject-Token", text);
        Http.write(response, 201, tokenBody(request, token));
    }

    /**
     * @return the tenant a login is scoped to: the project named (or identified) in the scope, when the roles allow
     *     it; without a scope, the user's only tenant (or {@code admin} for an administrator without one)
     */
    static Optional<String> project(JsonObject scope, Set<String> roles) {
        boolean admin = roles.contains(Caller.ADMIN_ROLE);
        Set<String> tenants = new TreeSet<>();
        for (String role : roles) {
            if (role.startsWith(Caller.TENANT_ROLE_PREFIX) && role.length() > Caller.TENANT_ROLE_PREFIX.length()) {
                tenants.add(role.substring(Caller.TENANT_ROLE_PREFIX.length()));
            }
        }
        if (admin) {
            tenants.add(Caller.ADMIN_TENANT);
        }
        if (scope == null) {
            return tenants.size() == 1 ? Optional.of(tenants.iterator().next()) : Optional.empty();
        }
        String name = string(scope, "name");
        String id = string(scope, "id");
        if (name != null) {
            boolean allowed = tenants.contains(name) || admin && Names.isValid(name);
            return allowed ? Optional.of(name) : Optional.empty();
        }
        if (id != null) {
            return tenants.stream().filter(t -> Ids.projectIdOf(t).equals(id)).findFirst();
        }
        return Optional.empty();
    }

    /**
     * @return the token of a user scoped to a project: Keystone roles and the model permissions it carries
     */
    static Token token(String user, String project, Set<String> roles, Instant now) {
        boolean admin = roles.contains(Caller.ADMIN_ROLE);
        Set<Permission> permissions = new HashSet<>();
        Set<String> keystoneRoles = new TreeSet<>(List.of("reader"));
        if (admin) {
            permissions.add(Permission.everywhere(Permission.Action.READ));
            permissions.add(Permission.everywhere(Permission.Action.WRITE));
            keystoneRoles.addAll(Arrays.asList("member", "admin"));
        } else {
            permissions.add(Permission.in(Permission.Action.READ, project));
            if (roles.contains(Caller.USER_ROLE)) {
                permissions.add(Permission.in(Permission.Action.WRITE, project));
                keystoneRoles.add("member");
            }
        }
        Caller caller = new Caller(user, project, permissions, "openstack");
        return new Token(user, project, keystoneRoles, caller, now, now.plus(TokenStore.LIFETIME));
    }

    private static JsonObject tokenBody(HttpServletRequest request, Token token) {
        JsonObject t = new JsonObject();
        JsonArray methods = new JsonArray();
        methods.add("password");
        t.add("methods", methods);
        JsonObject user = new JsonObject();
        user.add("domain", domain());
        user.addProperty("id", Ids.userIdOf(token.user()));
        user.addProperty("name", token.user());
        user.add("password_expires_at", null);
        t.add("user", user);
        JsonArray audit = new JsonArray();
        audit.add(Ids.uuidOf(token.user() + "@" + token.issuedAt()).substring(0, 22));
        t.add("audit_ids", audit);
        t.addProperty("issued_at", KEYSTONE_TIME.format(token.issuedAt()));
        t.addProperty("expires_at", KEYSTONE_TIME.format(token.expiresAt()));
        JsonObject project = new JsonObject();
        project.add("domain", domain());
        project.addProperty("id", Ids.projectIdOf(token.project()));
        project.addProperty("name", token.project());
        t.add("project", project);
        t.addProperty("is_domain", false);
        JsonArray roles = new JsonArray();
        for (String role : token.roles()) {
            JsonObject r = new JsonObject();
            r.addProperty("id", Ids.projectIdOf("role:" + role));
            r.addProperty("name", role);
            roles.add(r);
        }
        t.add("roles", roles);
        String base = Http.base(request);
        JsonArray catalog = new JsonArray();
        catalog.add(service("network", "neutron", base + NetworkingContext.PATH));
        catalog.add(service("identity", "keystone", base + IdentityContext.PATH));
        t.add("catalog", catalog);
        JsonObject body = new JsonObject();
        body.add("token", t);
        return body;
    }

    private static JsonObject service(String type, String name, String url) {
        JsonArray endpoints = new JsonArray();
        for (String face : List.of("public", "internal", "admin")) {
            JsonObject e = new JsonObject();
            e.addProperty("id", Ids.projectIdOf("endpoint:" + type + ":" + face));
            e.addProperty("interface", face);
            e.addProperty("region_id", REGION);
            e.addProperty("region", REGION);
            e.addProperty("url", url);
            endpoints.add(e);
        }
        JsonObject s = new JsonObject();
        s.add("endpoints", endpoints);
        s.addProperty("id", Ids.projectIdOf("service:" + type));
        s.addProperty("type", type);
        s.addProperty("name", name);
        return s;
    }

    private static JsonObject domain() {
        JsonObject d = new JsonObject();
        d.addProperty("id", DOMAIN_ID);
        d.addProperty("name", DOMAIN_NAME);
        return d;
    }

    private static JsonObject version(HttpServletRequest request) {
        JsonObject v = new JsonObject();
        v.addProperty("id", "v3.14");
        v.addProperty("status", "stable");
        v.addProperty("updated", "2020-04-07T00:00:00Z");
        JsonArray links = new JsonArray();
        JsonObject self = new JsonObject();
        self.addProperty("rel", "self");
        self.addProperty("href", Http.base(request) + IdentityContext.PATH + "/v3/");
        links.add(self);
        v.add("links", links);
        JsonArray media = new JsonArray();
        JsonObject type = new JsonObject();
        type.addProperty("base", "application/json");
        type.addProperty("type", "application/vnd.openstack.identity-v3+json");
        media.add(type);
        v.add("media-types", media);
        return v;
    }

    private static void error(HttpServletResponse response, int status, String title, String message)
            throws IOException {
        JsonObject error = new JsonObject();
        error.addProperty("code", status);
        error.addProperty("title", title);
        error.addProperty("message", message);
        JsonObject body = new JsonObject();
        body.add("error", error);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Keystone uri=\"" + IdentityContext.PATH + "\"");
        }
        Http.write(response, status, body);
    }

    static JsonObject object(JsonObject parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonElement e = parent.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    static String string(JsonObject parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonElement e = parent.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
