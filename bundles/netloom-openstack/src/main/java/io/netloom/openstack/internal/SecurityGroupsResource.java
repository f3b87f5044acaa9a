package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.SecurityGroupUpdate;

/**
 * Neutron security groups are Netloom security groups that belong to no network. Their rules are shown as Neutron
 * rules; rules of action {@code deny} (which Neutron cannot express) are left out of the Neutron view.
 */
final class SecurityGroupsResource implements Resource {

    private static final Set<String> CREATE = Set.of("name", "description", "tenant_id", "project_id");
    private static final Set<String> UPDATE = Set.of("name", "description");

    private final SecurityGroupAdminService groups;
    private final DefaultGroups defaults;

    SecurityGroupsResource(SecurityGroupAdminService groups, DefaultGroups defaults) {
        this.groups = groups;
        this.defaults = defaults;
    }

    @Override
    public String collection() {
        return "security-groups";
    }

    @Override
    public String member() {
        return "security_group";
    }

    /** @return the groups the caller sees through Neutron, after making the project's default group if missing */
    List<SecurityGroup> shown(Token token) {
        defaults.ensure(token);
        return groups.groups(token.caller()).stream().filter(DefaultGroups::shown).toList();
    }

    SecurityGroup find(Token token, String uuid) {
        return Ids.find(shown(token), SecurityGroup::id, uuid)
                .orElseThrow(() -> NeutronException.notFound("SecurityGroupNotFound", "Security group", uuid));
    }

    @Override
    public List<JsonObject> list(Token token) {
        return shown(token).stream().map(SecurityGroupsResource::render).toList();
    }

    @Override
    public JsonObject show(Token token, String uuid) {
        return render(find(token, uuid));
    }

    @Override
    public List<JsonObject> create(Token token, List<JsonObject> items) {
        List<SecurityGroupSpec> specs = new ArrayList<>();
        for (JsonObject item : items) {
            Input in = Input.of(item, CREATE);
            in.project(token);
            String name = Naming.toNetloom(in.string("name"));
            if (DefaultGroups.NAME.equals(name)) {
                throw NeutronException.conflict("SecurityGroupDefaultAlreadyExists",
                        "Default security group already exists.");
            }
            specs.add(new SecurityGroupSpec(name, in.string("description")));
        }
        defaults.ensure(token);
        List<SecurityGroup> created = Bulk.allOrNothing(specs, spec -> groups.createGroup(token.caller(), spec),
                g -> groups.deleteGroup(token.caller(), g.id()));
        return created.stream().map(SecurityGroupsResource::render).toList();
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        SecurityGroup g = find(token, uuid);
        Input in = Input.of(changes, UPDATE);
        Optional<String> name = in.has("name") ? Optional.of(Naming.toNetloom(in.string("name"))) : Optional.empty();
        if (DefaultGroups.isDefault(g) && name.isPresent() && !name.get().equals(g.name())) {
            throw NeutronException.conflict("SecurityGroupCannotUpdateDefault",
                    "Updating default security group not allowed.");
        }
        if (!DefaultGroups.isDefault(g) && name.filter(DefaultGroups.NAME::equals).isPresent()) {
            throw NeutronException.conflict("SecurityGroupDefaultAlreadyExists",
                    "Default security group already exists.");
        }
        Optional<String> description = in.has("description")
                ? Optional.of(Optional.ofNullable(in.string("description")).orElse("")) : Optional.empty();
        return render(groups.updateGroup(token.caller(), g.id(), new SecurityGroupUpdate(name, description)));
    }

    @Override
    public void delete(Token token, String uuid) {
        SecurityGroup g = find(token, uuid);
        if (DefaultGroups.isDefault(g) && !token.admin()) {
            throw NeutronException.conflict("SecurityGroupCannotRemoveDefault",
                    "Insufficient rights for removing default security group.");
        }
        NeutronException.deleting(() -> groups.deleteGroup(token.caller(), g.id()), "SecurityGroupInUse",
                "Security Group " + uuid + " in use.");
    }

    static JsonObject render(SecurityGroup g) {
        JsonObject o = new JsonObject();
        o.addProperty("id", Ids.uuidOf(g.id()));
        o.addProperty("name", Naming.toNeutron(g.name()));
        NetworksResource.project(o, g.tenant());
        o.addProperty("description", g.description());
        JsonArray rules = new JsonArray();
        for (Rule r : g.rules()) {
            if (r.action() == RuleAction.ALLOW) {
                rules.add(renderRule(g, r));
            }
        }
        o.add("security_group_rules", rules);
        NetworksResource.times(o, g.createdAt());
        return o;
    }

    static JsonObject renderRule(SecurityGroup g, Rule r) {
        JsonObject o = new JsonObject();
        o.addProperty("id", Ids.uuidOf(r.id()));
        o.addProperty("security_group_id", Ids.uuidOf(g.id()));
        NetworksResource.project(o, g.tenant());
        o.addProperty("direction", r.direction().name().toLowerCase(Locale.ROOT));
        boolean v6 = r.remoteCidr() != null && r.remoteCidr().contains(":");
        o.addProperty("ethertype", v6 ? "IPv6" : "IPv4");
        o.addProperty("protocol", switch (r.protocol()) {
            case ANY -> null;
            default -> r.protocol().name().toLowerCase(Locale.ROOT);
        });
        o.addProperty("port_range_min", r.portMin());
        o.addProperty("port_range_max", r.portMax());
        o.addProperty("remote_ip_prefix", "::/0".equals(r.remoteCidr()) ? null : r.remoteCidr());
        o.addProperty("remote_group_id", r.remoteGroup() == null ? null : Ids.uuidOf(r.remoteGroup()));
        o.addProperty("description", "");
        NetworksResource.times(o, g.createdAt());
        return o;
    }
}
