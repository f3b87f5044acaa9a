package io.netloom.rest.internal;

import com.google.gson.JsonElement;

import io.netloom.api.model.Binding;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.PortSpec;

/**
 * {@code /ports}.
 */
final class PortsResource {

    private final PortAdminService ports;

    PortsResource(PortAdminService ports) {
        this.ports = ports;
    }

    void register(Router router) {
        router.add("GET", "/ports", r -> Paging.page(r, ports.ports(r.caller(), r.query("network")), Port::id));
        router.add("POST", "/ports", this::create);
        router.add("GET", "/ports/{id}", r -> ApiResponse.ok(ports.port(r.caller(), r.pathParam("id"))));
        router.add("DELETE", "/ports/{id}", r -> {
            ports.deletePort(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
        router.add("PUT", "/ports/{id}/security-groups", r -> ApiResponse.ok(ports.setSecurityGroups(r.caller(),
                r.pathParam("id"), Fields.stringList(r.body(), ""))));
        router.add("POST", "/ports/{id}/quarantine", r -> ApiResponse.ok(ports.setQuarantine(r.caller(),
                r.pathParam("id"), true)));
        router.add("DELETE", "/ports/{id}/quarantine", r -> ApiResponse.ok(ports.setQuarantine(r.caller(),
                r.pathParam("id"), false)));
    }

    /** One port (a JSON object), or many at once, all or none (a JSON array of them: 201 with the array). */
    private ApiResponse create(ApiRequest r) {
        JsonElement body = r.body();
        if (body.isJsonArray()) {
            return ApiResponse.created("/netloom/api/v1/ports", ports.createPorts(r.caller(),
                    Fields.items(body.getAsJsonArray(), PortsResource::spec)));
        }
        Port p = ports.createPort(r.caller(), spec(Fields.of(body)));
        return ApiResponse.created("/netloom/api/v1/ports/" + p.id(), p);
    }

    private static PortSpec spec(Fields f) {
        f.only("name", "network", "subnet", "ip", "mac", "securityGroups", "binding", "host");
        Binding binding = null;
        Fields b = f.object("binding");
        if (b != null) {
            b.only("type", "target");
            binding = new Binding(b.requiredString("type"), b.requiredString("target"));
        }
        return new PortSpec(f.requiredString("name"), f.requiredString("network"), f.string("subnet"),
                f.string("ip"), f.string("mac"), f.strings("securityGroups"), binding, f.string("host"));
    }
}
