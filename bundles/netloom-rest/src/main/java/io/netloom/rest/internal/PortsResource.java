package io.netloom.rest.internal;

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
        router.add("GET", "/ports", r -> ApiResponse.ok(ports.ports(r.caller(), r.query("network"))));
        router.add("POST", "/ports", this::create);
        router.add("GET", "/ports/{id}", r -> ApiResponse.ok(ports.port(r.caller(), r.pathParam("id"))));
        router.add("DELETE", "/ports/{id}", r -> {
            ports.deletePort(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
        router.add("PUT", "/ports/{id}/security-groups", r -> ApiResponse.ok(ports.setSecurityGroups(r.caller(),
                r.pathParam("id"), Fields.stringList(r.body(), ""))));
    }

    private ApiResponse create(ApiRequest r) {
        Fields f = r.fields().only("name", "network", "subnet", "ip", "mac", "securityGroups", "binding");
        Binding binding = null;
        Fields b = f.object("binding");
        if (b != null) {
            b.only("type", "target");
            binding = new Binding(b.requiredString("type"), b.requiredString("target"));
        }
        Port p = ports.createPort(r.caller(), new PortSpec(f.requiredString("name"), f.requiredString("network"),
                f.string("subnet"), f.string("ip"), f.string("mac"), f.strings("securityGroups"), binding));
        return ApiResponse.created("/netloom/api/v1/ports/" + p.id(), p);
    }
}
