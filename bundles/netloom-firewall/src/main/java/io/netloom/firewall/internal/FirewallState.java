package io.netloom.firewall.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.Port;
import io.netloom.api.model.SecurityGroup;

/**
 * Everything the firewall derives from the model, as one immutable value: the model snapshot and every port's
 * compiled rules. A change yields a new state in which only the ports the change can affect are recompiled; readers
 * holding the old state keep a consistent view.
 */
final class FirewallState {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallState.class);

    private final ModelSnapshot model;
    private final Map<String, CompiledPort> compiled;

    private FirewallState(ModelSnapshot model, Map<String, CompiledPort> compiled) {
        this.model = model;
        this.compiled = compiled;
    }

    /**
     * @param model the model
     * @return the state with every port compiled
     */
    static FirewallState of(ModelSnapshot model) {
        Map<String, CompiledPort> compiled = new HashMap<>();
        for (Port port : model.ports()) {
            compiled.put(port.id(), new CompiledPort(port.id(), RuleCompiler.compile(model, port)));
        }
        return new FirewallState(model, Collections.unmodifiableMap(compiled));
    }

    ModelSnapshot model() {
        return model;
    }

    /**
     * @param portId a port id
     * @return its compiled rules and engine, when the port exists
     */
    Optional<CompiledPort> port(String portId) {
        return Optional.ofNullable(compiled.get(portId));
    }

    /**
     * @return how many filter rules all ports have together
     */
    long ruleCount() {
        return compiled.values().stream().mapToLong(c -> c.rules().size()).sum();
    }

    /**
     * Applies one model change. Ports and security groups change compiled rules; other objects (networks, subnets,
     * peerings) do not: a network's default group and its deletion arrive as group events of their own.
     *
     * @param event a change announced by the model
     * @return the state after it
     */
    FirewallState apply(ModelEvent event) {
        boolean deleted = event.type() == ModelEvent.Type.DELETED;
        if (event.subject() instanceof Port port) {
            Optional<Port> before = model.port(port.id());
            if (!deleted && before.isPresent() && sameForFirewall(before.get(), port)) {
                // Status and binding updates are frequent and change no rule.
                return new FirewallState(model.withPort(port), compiled);
            }
            ModelSnapshot after = deleted ? model.withoutPort(port.id()) : model.withPort(port);
            return update(after, Set.of(port.id()), Set.of());
        }
        if (event.subject() instanceof SecurityGroup group) {
            Optional<SecurityGroup> before = model.group(group.id());
            if (!deleted && before.isPresent() && sameForFirewall(before.get(), group)) {
                return new FirewallState(model.withGroup(group), compiled);
            }
            ModelSnapshot after = deleted ? model.withoutGroup(group.id()) : model.withGroup(group);
            return update(after, Set.of(), Set.of(group.id()));
        }
        return this;
    }

    private static boolean sameForFirewall(Port a, Port b) {
        return a.ip().equals(b.ip()) && a.network().equals(b.network())
                && a.securityGroups().equals(b.securityGroups());
    }

    private static boolean sameForFirewall(SecurityGroup a, SecurityGroup b) {
        return a.rules().equals(b.rules()) && Objects.equals(a.network(), b.network());
    }

    /**
     * Recompiles what a change of some ports and groups can affect:
     * <ul>
     * <li>the changed ports themselves;</li>
     * <li>the members of a changed group, before and after (its rules, or which ports it applies to, changed);</li>
     * <li>every port whose rules name, as remote group, a group whose member addresses may have changed: the groups
     * of a changed port (it joined, left, was created or deleted, or changed address), and a group that appeared,
     * disappeared or became another network's default group.</li>
     * </ul>
     */
    private FirewallState update(ModelSnapshot after, Set<String> changedPorts, Set<String> changedGroups) {
        Set<String> membershipChanged = new HashSet<>();
        Set<String> affected = new HashSet<>(changedPorts);
        for (String portId : changedPorts) {
            model.port(portId).ifPresent(p -> membershipChanged.addAll(model.effectiveGroups(p)));
            after.port(portId).ifPresent(p -> membershipChanged.addAll(after.effectiveGroups(p)));
        }
        for (String groupId : changedGroups) {
            Optional<SecurityGroup> was = model.group(groupId);
            Optional<SecurityGroup> is = after.group(groupId);
            if (was.isEmpty() || is.isEmpty() || !Objects.equals(was.get().network(), is.get().network())) {
                membershipChanged.add(groupId);
            }
            model.members(groupId).forEach(p -> affected.add(p.id()));
            after.members(groupId).forEach(p -> affected.add(p.id()));
        }
        for (String groupId : membershipChanged) {
            affected.addAll(after.portsReferencing(groupId));
        }
        Map<String, CompiledPort> next = new HashMap<>(compiled);
        int recompiled = 0;
        for (String portId : affected) {
            Optional<Port> port = after.port(portId);
            if (port.isEmpty()) {
                next.remove(portId);
                continue;
            }
            List<FilterRule> rules = RuleCompiler.compile(after, port.get());
            CompiledPort old = compiled.get(portId);
            // Keeping the old entry when nothing changed keeps its engine, which may already be built.
            if (old == null || !old.rules().equals(rules)) {
                next.put(portId, new CompiledPort(portId, rules));
                recompiled++;
            }
        }
        LOG.debug("Model change touched {} port(s); {} got new rules", affected.size(), recompiled);
        return new FirewallState(after, Collections.unmodifiableMap(next));
    }
}
