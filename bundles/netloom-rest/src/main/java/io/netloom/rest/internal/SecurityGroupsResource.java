package io.netloom.rest.internal;

import java.util.Set;

import com.google.gson.JsonElement;

import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.SecurityGroupUpdate;

/**
 * {@code /security-groups} and their rules.
 */
final class SecurityGroupsResource {

    private final SecurityGroupAdminService groups;

    SecurityGroupsResource(SecurityGroupAdminService groups) {
        this.groups = groups;
    }

    void register(Router router) {
        router.add("GET", "/security-groups", r -> Paging.page(r, groups.groups(r.caller()), SecurityGroup::id));
        router.add("POST", "/security-groups", this::create);
        router.add("GET", "/security-groups/{id}", r -> ApiResponse.ok(groups.group(r.caller(), r.pathParam("id"))));
        router.add("PATCH", "/security-groups/{id}", r -> {
            MergePatch patch = MergePatch.of(r.body(), Set.of("network"), "name", "description");
            return ApiResponse.ok(groups.updateGroup(r.caller(), r.pathParam("id"), new SecurityGroupUpdate(
                    patch.string("name"), patch.removableString("description"))));
        });
        router.add("DELETE", "/security-groups/{id}", r -> {
            groups.deleteGroup(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
        router.add("GET", "/security-groups/{id}/rules", r -> Paging.page(r, groups.group(r.caller(),
                r.pathParam("id")).rules(), Rule::id));
        router.add("POST", "/security-groups/{id}/rules", this::addRule);
        router.add("DELETE", "/security-groups/{id}/rules/{ruleId}", r -> {
            groups.removeRule(r.caller(), r.pathParam("id"), r.pathParam("ruleId"));
            return ApiResponse.noContent();
        });
    }

    private ApiResponse create(ApiRequest r) {
        Fields f = r.fields().only("name", "description");
        SecurityGroup g = groups.createGroup(r.caller(), new SecurityGroupSpec(f.requiredString("name"),
                f.string("description")));
        return ApiResponse.created("/netloom/api/v1/security-groups/" + g.id(), g);
    }

    /** One rule (a JSON object), or many at once, all or none (a JSON array of them: 201 with the array). */
    private ApiResponse addRule(ApiRequest r) {
        JsonElement body = r.body();
        if (body.isJsonArray()) {
            return ApiResponse.created("/netloom/api/v1/security-groups/" + r.pathParam("id") + "/rules",
                    groups.addRules(r.caller(), r.pathParam("id"), Fields.items(body.getAsJsonArray(),
                            SecurityGroupsResource::spec)));
        }
        Rule rule = groups.addRule(r.caller(), r.pathParam("id"), spec(Fields.of(body)));
        return ApiResponse.created("/netloom/api/v1/security-groups/" + r.pathParam("id") + "/rules/" + rule.id(),
                rule);
    }

    private static RuleSpec spec(Fields f) {
        f.only("direction", "protocol", "ports", "remoteCidr", "remoteGroup", "action", "priority");
        return new RuleSpec(f.requiredString("direction"), f.requiredString("protocol"), f.string("ports"),
                f.string("remoteCidr"), f.string("remoteGroup"), f.string("action"), f.integer("priority"));
    }
}
