package io.netloom.rest.internal;

import java.util.Set;

import com.google.gson.JsonElement;

import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Binding;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.PortUpdate;

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
        router.add("PATCH", "/ports/{id}", this::update);
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

    /**
     * A merge patch of the name, the security groups and the allowed address pairs (each a whole new list), the
     * administrative state and, for a port that is not bound, the address.
     */
    private ApiResponse update(ApiRequest r) {
        MergePatch patch = MergePatch.of(r.body(), Set.of("network", "mac", "binding", "host", "noAddress"), "name",
                "securityGroups", "allowedAddressPairs", "adminDown", "subnet", "ip");
        return ApiResponse.ok(ports.updatePort(r.caller(), r.pathParam("id"), new PortUpdate(patch.string("name"),
                patch.strings("securityGroups"), patch.objects("allowedAddressPairs", PortsResource::pair),
                patch.bool("adminDown"), patch.string("subnet"), patch.string("ip"))));
    }

    /** {@code {ipAddress, macAddress?}}: an address or prefix, and the MAC it is sent with (the port's if none). */
    private static AddressPair pair(Fields f) {
        f.only("ipAddress", "macAddress");
        return new AddressPair(f.requiredString("ipAddress"), f.string("macAddress"));
    }

    private static PortSpec spec(Fields f) {
        f.only("name", "network", "subnet", "ip", "mac", "securityGroups", "binding", "allowedAddressPairs", "host",
                "noAddress", "adminDown");
        Binding binding = null;
        Fields b = f.object("binding");
        if (b != null) {
            b.only("type", "target");
            binding = new Binding(b.requiredString("type"), b.requiredString("target"));
        }
        return new PortSpec(f.requiredString("name"), f.requiredString("network"), f.string("subnet"),
                f.string("ip"), f.string("mac"), f.strings("securityGroups"), binding,
                f.objects("allowedAddressPairs", PortsResource::pair), f.string("host"), f.bool("noAddress", false),
                f.bool("adminDown", false));
    }
}
