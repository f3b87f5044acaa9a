package io.netloom.openstack.internal;

import java.util.Collection;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The fixed documents of the Neutron subset: versions, resources and the extensions Netloom implements.
 */
final class Documents {

    /** An extension Netloom implements: alias, name, description. */
    record Extension(String alias, String name, String description) {
    }

    /** Exactly what Netloom implements; nothing is claimed that is not. */
    static final List<Extension> EXTENSIONS = List.of(
            new Extension("security-group", "security-group",
                    "The security groups extension (Netloom security groups; rules of action allow)."),
            new Extension("project-id", "project-id",
                    "Extension that indicates that project_id is enabled."),
            new Extension("allowed-address-pairs", "Allowed Address Pairs",
                    "Netloom's allowed address pairs of a port: extra source prefixes port security lets through."),
            new Extension("ip-substring-filtering", "IP address substring filtering",
                    "Ports are filtered by part of an address: fixed_ips=ip_address_substr=10.1."),
            new Extension("netloom-peering", "Netloom peerings",
                    "Netloom's network peerings at /v2.0/netloom/peerings (vendor extension)."));

    private Documents() {
    }

    static JsonObject versions(String root) {
        JsonObject v = new JsonObject();
        v.addProperty("id", "v2.0");
        v.addProperty("status", "CURRENT");
        v.add("links", links(root + "/v2.0/"));
        JsonArray versions = new JsonArray();
        versions.add(v);
        JsonObject body = new JsonObject();
        body.add("versions", versions);
        return body;
    }

    static JsonObject resources(String base, Collection<String> collections) {
        JsonArray resources = new JsonArray();
        for (String collection : collections) {
            JsonObject r = new JsonObject();
            r.addProperty("name", collection.endsWith("ies") ? collection : collection.replaceAll("s$", "")
                    .replace('-', '_'));
            r.addProperty("collection", collection);
            r.add("links", links(base + "/" + collection));
            resources.add(r);
        }
        JsonObject body = new JsonObject();
        body.add("resources", resources);
        return body;
    }

    static JsonObject extensions() {
        JsonArray list = new JsonArray();
        EXTENSIONS.forEach(e -> list.add(render(e)));
        JsonObject body = new JsonObject();
        body.add("extensions", list);
        return body;
    }

    static JsonObject extension(String alias) {
        Extension e = EXTENSIONS.stream().filter(x -> x.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new NeutronException(404, "HTTPNotFound", "Extension with alias " + alias
                        + " does not exist"));
        JsonObject body = new JsonObject();
        body.add("extension", render(e));
        return body;
    }

    private static JsonObject render(Extension e) {
        JsonObject o = new JsonObject();
        o.addProperty("alias", e.alias());
        o.addProperty("name", e.name());
        o.addProperty("description", e.description());
        o.addProperty("updated", "2026-12-01T00:00:00-00:00");
        o.add("links", new JsonArray());
        return o;
    }

    private static JsonArray links(String href) {
        JsonObject self = new JsonObject();
        self.addProperty("rel", "self");
        self.addProperty("href", href);
        JsonArray links = new JsonArray();
        links.add(self);
        return links;
    }
}
