package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Port;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;

/**
 * Turns the security-group rules that apply to a port into driver-neutral filter rules: a remote group becomes one
 * rule referencing the group's address set (so a port's rules do not depend on who the group's members are), "any
 * remote" becomes one rule per IP version, and the result is sorted in evaluation order
 * ({@link Matching#EVALUATION_ORDER}).
 */
final class RuleCompiler {

    /** Every IPv4 address. */
    static final String ANY_IPV4 = "0.0.0.0/0";
    /** Every IPv6 address. */
    static final String ANY_IPV6 = "::/0";
    /** The rule id, in a quarantined port's compiled rules, of the quarantine. */
    static final String QUARANTINE = "quarantine";

    private RuleCompiler() {
    }

    /**
     * @param model the snapshot to read groups and memberships from
     * @param port a port of that snapshot
     * @return its compiled rules, in evaluation order
     */
    static List<FilterRule> compile(GroupLookup model, Port port) {
        if (port.isolated()) {
            // Quarantined or administratively down: nothing passes in or out.
            return quarantine(port);
        }
        // A set: two groups of a port may hold the same rule; it is evaluated once.
        Set<FilterRule> compiled = new LinkedHashSet<>();
        for (String groupId : model.effectiveGroups(port)) {
            Optional<SecurityGroup> group = model.group(groupId);
            if (group.isEmpty()) {
                // The model refuses to delete a group that has members; tolerate the moment between two events.
                continue;
            }
            for (Rule rule : group.get().rules()) {
                // Every member of the group carries this rule: one cookie string for all of them, not one each.
                String cookie = (groupId + "/" + rule.id()).intern();
                if (rule.remoteGroup() != null) {
                    compiled.add(new FilterRule(cookie, port.id(), rule.direction(),
                            rule.protocol(), rule.portMin(), rule.portMin() == null ? null : rangeEnd(rule), null,
                            rule.action(), rule.priority(), rule.remoteGroup()));
                    continue;
                }
                for (String remote : remotes(rule)) {
                    compiled.add(new FilterRule(cookie, port.id(), rule.direction(),
                            rule.protocol(), rule.portMin(), rule.portMin() == null ? null : rangeEnd(rule), remote,
                            rule.action(), rule.priority()));
                }
            }
        }
        List<FilterRule> sorted = new ArrayList<>(compiled);
        sorted.sort(Matching.EVALUATION_ORDER);
        return List.copyOf(sorted);
    }

    /**
     * A quarantined port's rules: everything in and out denied, ahead of any rule (priority 0), whatever its groups
     * say. Explain names the deciding rule {@code quarantine/PORT}.
     */
    private static List<FilterRule> quarantine(Port port) {
        String cookie = (QUARANTINE + "/" + port.id()).intern();
        List<FilterRule> rules = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            for (String remote : List.of(ANY_IPV4, ANY_IPV6)) {
                rules.add(new FilterRule(cookie, port.id(), direction, Protocol.ANY, null, null, remote,
                        RuleAction.DENY, 0));
            }
        }
        rules.sort(Matching.EVALUATION_ORDER);
        return List.copyOf(rules);
    }

    private static Integer rangeEnd(Rule rule) {
        return rule.portMax() != null ? rule.portMax() : rule.portMin();
    }

    private static List<String> remotes(Rule rule) {
        if (rule.remoteCidr() != null) {
            return List.of(rule.remoteCidr());
        }
        return List.of(ANY_IPV4, ANY_IPV6);
    }
}
