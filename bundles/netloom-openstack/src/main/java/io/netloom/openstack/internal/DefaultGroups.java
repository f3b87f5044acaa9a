package io.netloom.openstack.internal;

import java.util.List;
import java.util.Optional;

import io.netloom.api.model.Caller;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.SecurityGroupSpec;

/**
 * Each project's Neutron {@code default} security group: a Netloom group named {@code default} that belongs to no
 * network, made on the project's first use of security groups or ports, with Neutron's rules (ingress from its own
 * members, egress to anywhere over IPv4 and IPv6). Netloom's per-network default groups are not shown to Neutron:
 * they serve ports made through Netloom's own API.
 */
final class DefaultGroups {

    static final String NAME = "default";
    static final String DESCRIPTION = "Default security group";

    private final SecurityGroupAdminService groups;

    DefaultGroups(SecurityGroupAdminService groups) {
        this.groups = groups;
    }

    /** @return whether Neutron sees a group (it does not see Netloom's per-network default groups) */
    static boolean shown(SecurityGroup g) {
        return g.network() == null;
    }

    /** @return whether a group is a project's Neutron default group */
    static boolean isDefault(SecurityGroup g) {
        return g.network() == null && NAME.equals(g.name());
    }

    /**
     * @return the project's default group, made now when it has none and the caller may write there; empty when it
     *     has none and the caller may not make it
     */
    synchronized Optional<SecurityGroup> ensure(Token token) {
        Caller caller = token.caller();
        Optional<SecurityGroup> existing = groups.groups(caller).stream()
                .filter(g -> isDefault(g) && g.tenant().equals(token.project())).findFirst();
        if (existing.isPresent() || !caller.canWrite(token.project())) {
            return existing;
        }
        SecurityGroup made = groups.createGroup(caller, new SecurityGroupSpec(NAME, DESCRIPTION));
        groups.addRules(caller, made.id(), List.of(
                new RuleSpec("ingress", "any", null, null, made.id(), "allow", null),
                new RuleSpec("egress", "any", null, null, null, "allow", null),
                new RuleSpec("egress", "any", null, "::/0", null, "allow", null)));
        return Optional.of(groups.group(caller, made.id()));
    }
}
