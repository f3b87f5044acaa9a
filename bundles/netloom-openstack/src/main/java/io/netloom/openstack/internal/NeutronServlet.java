package io.netloom.openstack.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NetloomException;
import io.netloom.api.NotFoundException;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.SecurityGroupAdminService;

/**
 * The Neutron v2.0 subset under {@value NetworkingContext#PATH}: the version documents, {@code /v2.0/extensions},
 * and the networks, subnets, ports, security-groups and security-group-rules collections over the model services.
 * Lists take {@code fields=} (repeated) and filters by attribute (repeated values of one attribute are alternatives);
 * every refusal is a {@code NeutronError} body; a failure never leaks a stack trace.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(NetworkingContext.SELECT)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("netloom-networking")
public class NeutronServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NeutronServlet.class);
    private static final String V2 = "/v2.0";
    /** The suffix of a filter by part of a value ({@code ip_address_substr}). */
    private static final String SUBSTRING = "_substr";
    /** Query parameters that are not filters: Netloom does not sort or page Neutron lists. */
    private static final List<String> NOT_FILTERS =
            List.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse", "verbose");

    @Reference
    private transient NetworkAdminService networks;
    @Reference
    private transient PortAdminService ports;
    @Reference
    private transient SecurityGroupAdminService groups;
    @Reference
    private transient PeeringAdminService peerings;

    private transient Map<String, Resource> resources;
    /** The vendor extension's collection, under {@value #VENDOR}. */
    private transient Resource vendor;
    static final String VENDOR = "netloom";

    @Activate
    void activate() {
        DefaultGroups defaults = new DefaultGroups(groups);
        SecurityGroupsResource groupResource = new SecurityGroupsResource(groups, defaults);
        resources = new LinkedHashMap<>();
        for (Resource r : List.of(new NetworksResource(networks), new SubnetsResource(networks),
                new PortsResource(networks, ports, groups, defaults), groupResource,
                new SecurityGroupRulesResource(groups, groupResource))) {
            resources.put(r.collection(), r);
        }
        vendor = new PeeringsResource(networks, peerings);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            dispatch(request, response);
        } catch (NeutronException e) {
            error(response, e.status(), e.type(), e.getMessage());
        } catch (Http.BadBody e) {
            error(response, e.status(), e.status() == 413 ? "HTTPRequestEntityTooLarge" : "HTTPBadRequest",
                    e.getMessage());
        } catch (NotFoundException e) {
            error(response, 404, "NotFound", e.getMessage());
        } catch (ForbiddenException e) {
            error(response, 403, "PolicyNotAuthorized", e.getMessage());
        } catch (ConflictException e) {
            error(response, 409, conflictType(e), e.getMessage());
        } catch (NetloomException e) {
            error(response, 400, "InvalidInput", "Invalid input for operation: " + e.getMessage()
                    + e.field().map(f -> " (" + f + ")").orElse(""));
        } catch (RuntimeException e) {
            LOG.error("Neutron request {} {} failed", request.getMethod(), request.getRequestURI(), e);
            error(response, 500, "HTTPInternalServerError", "Request failed: internal server error while "
                    + "processing your request.");
        }
    }

    private static String conflictType(ConflictException e) {
        return switch (e.code()) {
            case "QUOTA_EXCEEDED" -> "OverQuota";
            case "IN_USE" -> "InUse";
            case "DUPLICATE_RULE" -> "SecurityGroupRuleExists";
            default -> "Conflict";
        };
    }

    private void dispatch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        if (path.equals("/")) {
            requireMethod(method, "GET");
            Http.write(response, 200, Documents.versions(Http.base(request) + NetworkingContext.PATH));
            return;
        }
        if (!path.startsWith(V2 + "/") && !path.equals(V2)) {
            throw new NeutronException(404, "HTTPNotFound", "The resource could not be found.");
        }
        String rest = path.substring(V2.length());
        if (rest.endsWith(".json")) {
            rest = rest.substring(0, rest.length() - ".json".length());
        }
        String[] parts = rest.replaceAll("^/+|/+$", "").split("/", -1);
        Token token = (Token) request.getAttribute(NetworkingContext.TOKEN_ATTRIBUTE);
        if (parts.length == 1 && parts[0].isEmpty()) {
            requireMethod(method, "GET");
            Http.write(response, 200, Documents.resources(Http.base(request) + NetworkingContext.PATH + V2,
                    resources.keySet()));
            return;
        }
        if (parts[0].equals("extensions")) {
            requireMethod(method, "GET");
            if (parts.length == 1) {
                Http.write(response, 200, Documents.extensions());
            } else if (parts.length == 2) {
                Http.write(response, 200, Documents.extension(parts[1]));
            } else {
                throw new NeutronException(404, "HTTPNotFound", "The resource could not be found.");
            }
            return;
        }
        if (parts[0].equals("agents") && parts.length == 1) {
            // Netloom runs no Neutron agents: the list is truthfully empty (administrators and members alike).
            requireMethod(method, "GET");
            JsonObject agents = new JsonObject();
            agents.add("agents", new JsonArray());
            Http.write(response, 200, agents);
            return;
        }
        Resource resource;
        if (parts[0].equals(VENDOR) && parts.length > 1 && parts[1].equals(vendor.collection())) {
            parts = Arrays.copyOfRange(parts, 1, parts.length);
            resource = vendor;
        } else {
            resource = resources.get(parts[0]);
        }
        if (resource == null || parts.length > 2) {
            throw new NeutronException(404, "HTTPNotFound", "The resource could not be found.");
        }
        if (parts.length == 1) {
            switch (method) {
                case "GET" -> Http.write(response, 200, list(request, resource, token));
                case "POST" -> create(request, response, resource, token);
                default -> throw notAllowed();
            }
            return;
        }
        String id = parts[1];
        switch (method) {
            case "GET" -> {
                JsonObject body = new JsonObject();
                body.add(resource.member(), select(resource.show(token, requireUuid(resource, id)),
                        request.getParameterValues("fields")));
                Http.write(response, 200, body);
            }
            case "PUT" -> {
                JsonObject changes = envelope(Http.readObject(request), resource.member());
                JsonObject body = new JsonObject();
                body.add(resource.member(), resource.update(token, requireUuid(resource, id), changes));
                Http.write(response, 200, body);
            }
            case "DELETE" -> {
                resource.delete(token, requireUuid(resource, id));
                Http.write(response, 204, null);
            }
            default -> throw notAllowed();
        }
    }

    /** A lookup of anything but a UUID (a name, as clients try first) answers 404: ids are UUIDs. */
    private static String requireUuid(Resource resource, String id) {
        if (!Ids.isUuid(id)) {
            throw NeutronException.notFound(notFoundType(resource), label(resource), id);
        }
        return Ids.canonical(id);
    }

    static String notFoundType(Resource resource) {
        return switch (resource.member()) {
            case "network" -> "NetworkNotFound";
            case "subnet" -> "SubnetNotFound";
            case "port" -> "PortNotFound";
            case "security_group" -> "SecurityGroupNotFound";
            case "peering" -> "PeeringNotFound";
            default -> "SecurityGroupRuleNotFound";
        };
    }

    static String label(Resource resource) {
        return switch (resource.member()) {
            case "network" -> "Network";
            case "subnet" -> "Subnet";
            case "port" -> "Port";
            case "security_group" -> "Security group";
            case "peering" -> "Peering";
            default -> "Security group rule";
        };
    }

    private JsonObject list(HttpServletRequest request, Resource resource, Token token) {
        Map<String, String[]> filters = new LinkedHashMap<>(request.getParameterMap());
        NOT_FILTERS.forEach(filters::remove);
        JsonArray items = new JsonArray();
        for (JsonObject item : resource.list(token)) {
            if (matches(item, filters)) {
                items.add(select(item, request.getParameterValues("fields")));
            }
        }
        JsonObject body = new JsonObject();
        body.add(bodyKey(resource), items);
        return body;
    }

    private void create(HttpServletRequest request, HttpServletResponse response, Resource resource, Token token)
            throws IOException {
        JsonObject body = Http.readObject(request);
        JsonObject out = new JsonObject();
        if (body.has(bodyKey(resource))) {
            JsonElement bulk = body.get(bodyKey(resource));
            if (!bulk.isJsonArray() || bulk.getAsJsonArray().isEmpty() || body.size() != 1) {
                throw NeutronException.badRequest("Resources required");
            }
            List<JsonObject> items = new ArrayList<>();
            for (JsonElement e : bulk.getAsJsonArray()) {
                if (!e.isJsonObject()) {
                    throw NeutronException.badRequest("Bulk operation items must be objects");
                }
                items.add(e.getAsJsonObject());
            }
            JsonArray created = new JsonArray();
            resource.create(token, items).forEach(created::add);
            out.add(bodyKey(resource), created);
        } else {
            out.add(resource.member(), resource.create(token, List.of(envelope(body, resource.member()))).get(0));
        }
        Http.write(response, 201, out);
    }

    /** The key of a list in bodies: the collection's name with underscores ({@code security_groups}). */
    private static String bodyKey(Resource resource) {
        return resource.collection().replace('-', '_');
    }

    private static JsonObject envelope(JsonObject body, String member) {
        JsonElement item = body.get(member);
        if (item == null || !item.isJsonObject() || body.size() != 1) {
            throw NeutronException.badRequest("Resource body required: {\"" + member + "\": {...}}");
        }
        return item.getAsJsonObject();
    }

    /** An item matches when, for every filtered attribute, its value is one of the wanted values. */
    static boolean matches(JsonObject item, Map<String, String[]> filters) {
        for (Map.Entry<String, String[]> f : filters.entrySet()) {
            if (!item.has(f.getKey())) {
                continue;
            }
            JsonElement value = item.get(f.getKey());
            boolean any = false;
            for (String wanted : f.getValue()) {
                any |= valueMatches(value, wanted);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueMatches(JsonElement value, String wanted) {
        if (value == null || value.isJsonNull()) {
            return wanted.isEmpty() || wanted.equalsIgnoreCase("none") || wanted.equalsIgnoreCase("null");
        }
        if (value.isJsonArray()) {
            for (JsonElement e : value.getAsJsonArray()) {
                if (e.isJsonPrimitive() && e.getAsString().equals(wanted)
                        || e.isJsonObject() && memberMatches(e.getAsJsonObject(), wanted)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
            return wanted.equalsIgnoreCase(value.getAsString());
        }
        return value.isJsonPrimitive() && value.getAsString().equals(wanted);
    }

    /**
     * A list of objects is filtered by {@code key=value} of a member, as {@code fixed_ips=ip_address=10.0.0.5}, or
     * by part of a member's value with {@code key_substr=part}, as {@code fixed_ips=ip_address_substr=10.0.}.
     */
    private static boolean memberMatches(JsonObject member, String wanted) {
        int eq = wanted.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        String key = wanted.substring(0, eq);
        String value = wanted.substring(eq + 1);
        boolean part = key.endsWith(SUBSTRING) && !member.has(key);
        JsonElement v = member.get(part ? key.substring(0, key.length() - SUBSTRING.length()) : key);
        if (v == null || !v.isJsonPrimitive()) {
            return false;
        }
        return part ? v.getAsString().contains(value) : v.getAsString().equals(value);
    }

    /** The item with only the asked fields (all when none is asked). */
    static JsonObject select(JsonObject item, String[] fields) {
        if (fields == null || fields.length == 0) {
            return item;
        }
        JsonObject out = new JsonObject();
        for (String field : fields) {
            for (String f : field.split(",")) {
                if (item.has(f)) {
                    out.add(f, item.get(f));
                }
            }
        }
        return out;
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw notAllowed();
        }
    }

    private static NeutronException notAllowed() {
        return new NeutronException(405, "HTTPMethodNotAllowed", "The method is not allowed for this resource.");
    }

    private static void error(HttpServletResponse response, int status, String type, String message)
            throws IOException {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.addProperty("message", message);
        error.addProperty("detail", "");
        JsonObject body = new JsonObject();
        body.add("NeutronError", error);
        Http.write(response, status, body);
    }
}
