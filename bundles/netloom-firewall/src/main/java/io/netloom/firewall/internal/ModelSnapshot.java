package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netloom.api.model.Port;
import io.netloom.api.model.Rule;
import io.netloom.api.model.SecurityGroup;

/**
 * The part of the desired state the firewall compiles from (ports and security groups), immutable, with the
 * indexes that compilation needs, all built from scratch: who is a member of which group, and which groups refer to
 * a group as their remote group. It is the reference that the firewall's incremental {@link FirewallIndex} is
 * tested against; nothing on the event path builds one.
 *
 * <p>Membership: a port is a member of the groups it lists or, when it lists none, of its network's default group
 * (the group whose {@code network} is the port's network).
 */
final class ModelSnapshot implements GroupLookup {

    /** Oldest first, then by id: a stable order for members, so compiled rules come out the same every time. */
    private static final Comparator<Port> PORT_ORDER = Comparator.comparing(Port::createdAt).thenComparing(Port::id);
    private static final Comparator<SecurityGroup> GROUP_ORDER = Comparator.comparing(SecurityGroup::createdAt)
            .thenComparing(SecurityGroup::id);

    private final Map<String, Port> ports;
    private final Map<String, SecurityGroup> groups;
    /** Network id → id of its default group. */
    private final Map<String, String> defaultGroups;
    /** Group id → its member ports in {@link #PORT_ORDER}. */
    private final Map<String, List<Port>> members;
    /** Group id → ids of the groups with a rule naming it as remote group. */
    private final Map<String, Set<String>> referrers;

    private ModelSnapshot(Map<String, Port> ports, Map<String, SecurityGroup> groups) {
        this.ports = ports;
        this.groups = groups;
        Map<String, String> defaults = new HashMap<>();
        Map<String, Set<String>> refs = new HashMap<>();
        List<SecurityGroup> ordered = new ArrayList<>(groups.values());
        ordered.sort(GROUP_ORDER);
        for (SecurityGroup group : ordered) {
            if (group.network() != null) {
                // The model keeps one default group per network; should two claim one, the oldest stays its.
                defaults.putIfAbsent(group.network(), group.id());
            }
            for (Rule rule : group.rules()) {
                if (rule.remoteGroup() != null) {
                    refs.computeIfAbsent(rule.remoteGroup(), g -> new LinkedHashSet<>()).add(group.id());
                }
            }
        }
        this.defaultGroups = defaults;
        this.referrers = refs;
        List<Port> orderedPorts = new ArrayList<>(ports.values());
        orderedPorts.sort(PORT_ORDER);
        Map<String, List<Port>> byGroup = new HashMap<>();
        for (Port port : orderedPorts) {
            for (String group : effectiveGroups(port)) {
                byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(port);
            }
        }
        this.members = byGroup;
    }

    /**
     * @param ports every port
     * @param groups every security group, default groups included
     * @return the snapshot
     */
    static ModelSnapshot of(Collection<Port> ports, Collection<SecurityGroup> groups) {
        Map<String, Port> portMap = new HashMap<>();
        ports.forEach(p -> portMap.put(p.id(), p));
        Map<String, SecurityGroup> groupMap = new HashMap<>();
        groups.forEach(g -> groupMap.put(g.id(), g));
        return new ModelSnapshot(portMap, groupMap);
    }

    /**
     * @param port a port as it is now
     * @return a snapshot with that port added or replaced
     */
    ModelSnapshot withPort(Port port) {
        Map<String, Port> next = new HashMap<>(ports);
        next.put(port.id(), port);
        return new ModelSnapshot(next, groups);
    }

    /**
     * @param portId a port id
     * @return a snapshot without that port
     */
    ModelSnapshot withoutPort(String portId) {
        Map<String, Port> next = new HashMap<>(ports);
        next.remove(portId);
        return new ModelSnapshot(next, groups);
    }

    /**
     * @param group a group as it is now
     * @return a snapshot with that group added or replaced
     */
    ModelSnapshot withGroup(SecurityGroup group) {
        Map<String, SecurityGroup> next = new HashMap<>(groups);
        next.put(group.id(), group);
        return new ModelSnapshot(ports, next);
    }

    /**
     * @param groupId a group id
     * @return a snapshot without that group
     */
    ModelSnapshot withoutGroup(String groupId) {
        Map<String, SecurityGroup> next = new HashMap<>(groups);
        next.remove(groupId);
        return new ModelSnapshot(ports, next);
    }

    Optional<Port> port(String id) {
        return Optional.ofNullable(ports.get(id));
    }

    @Override
    public Optional<SecurityGroup> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    Collection<Port> ports() {
        return ports.values();
    }

    int portCount() {
        return ports.size();
    }

    int groupCount() {
        return groups.size();
    }

    /**
     * @param port a port
     * @return the ids of the groups whose rules apply to it: those it lists, else its network's default group
     *     (none when that network has no default group)
     */
    @Override
    public List<String> effectiveGroups(Port port) {
        return GroupLookup.effectiveGroups(port, defaultGroups);
    }

    /**
     * The same membership rule as {@link #effectiveGroups}, for one group outside a snapshot (lint reads the model
     * live).
     *
     * @param port a port
     * @param group a group
     * @return whether the port is a member of the group
     */
    static boolean isMember(Port port, SecurityGroup group) {
        return port.securityGroups().isEmpty() ? port.network().equals(group.network())
                : port.securityGroups().contains(group.id());
    }

    /**
     * @param groupId a group id
     * @return its member ports, oldest first
     */
    List<Port> members(String groupId) {
        return members.getOrDefault(groupId, List.of());
    }

    /**
     * @param groupId a group id
     * @return the ids of the ports whose rules name that group as remote group
     */
    Set<String> portsReferencing(String groupId) {
        Set<String> result = new LinkedHashSet<>();
        for (String referrer : referrers.getOrDefault(groupId, Set.of())) {
            members(referrer).forEach(p -> result.add(p.id()));
        }
        return result;
    }
}
