package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.Port;
import io.netloom.api.model.SecurityGroup;

/**
 * Everything the firewall derives from the model, kept current change by change: ports and groups, who is a member
 * of which group (the address sets), and every port's compiled rules. The cost of a change is what the change
 * touches, never the size of the model:
 * <ul>
 * <li>a port created, deleted or moved between groups recompiles that port and changes one element per group in
 * the address sets; no other port is recompiled, since rules reference a remote group's set, not its members;</li>
 * <li>a group whose rules change recompiles its members;</li>
 * <li>a group that becomes or stops being a network's default group moves that network's ports without groups.</li>
 * </ul>
 *
 * <p>One writer: {@link #apply} and {@link #load} run on the model's event thread (the firewall serialises them).
 * Readers on any thread use the concurrent maps: a port's compiled rules are replaced whole, and a set's membership
 * is read live.
 *
 * <p>Membership: a port is a member of the groups it lists or, when it lists none, of its network's default group
 * (the oldest group whose {@code network} is the port's network).
 */
final class FirewallIndex implements GroupLookup, SetMembership {

    private static final Comparator<SecurityGroup> GROUP_ORDER = Comparator.comparing(SecurityGroup::createdAt)
            .thenComparing(SecurityGroup::id);

    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private final Map<String, SecurityGroup> groups = new ConcurrentHashMap<>();
    /** Network id → id of its default group. */
    private final Map<String, String> defaultGroups = new ConcurrentHashMap<>();
    /** Network id → ids of its ports that list no group: the members of its default group, whichever that is. */
    private final Map<String, Set<String>> listingNone = new HashMap<>();
    /** Group id → member port id → the member's address. */
    private final Map<String, Map<String, String>> members = new ConcurrentHashMap<>();
    /** Group id → member address → how many members hold it (ports of unpeered networks may share one). */
    private final Map<String, Map<PacketAddress, Integer>> addresses = new ConcurrentHashMap<>();
    /** Port id → the groups it is a member of. */
    private final Map<String, List<String>> memberOf = new ConcurrentHashMap<>();
    private final Map<String, CompiledPort> compiled = new ConcurrentHashMap<>();
    /** How many ports the last change recompiled, for tests and logs. */
    private int lastRecompiled;

    /**
     * @param allPorts every port
     * @param allGroups every security group
     * @return an index of them
     */
    static FirewallIndex of(Collection<Port> allPorts, Collection<SecurityGroup> allGroups) {
        FirewallIndex index = new FirewallIndex();
        List<SecurityGroup> ordered = new ArrayList<>(allGroups);
        ordered.sort(GROUP_ORDER);
        for (SecurityGroup group : ordered) {
            index.groups.put(group.id(), group);
            if (group.network() != null) {
                index.defaultGroups.putIfAbsent(group.network(), group.id());
            }
        }
        for (Port port : allPorts) {
            index.addPort(port);
        }
        return index;
    }

    /**
     * Applies one model change. Networks, subnets and peerings change no compiled rule: a network's default group and
     * its deletion arrive as group events of their own.
     *
     * @param event a change announced by the model
     */
    void apply(ModelEvent event) {
        lastRecompiled = 0;
        boolean deleted = event.type() == ModelEvent.Type.DELETED;
        if (event.subject() instanceof Port port) {
            if (deleted) {
                removePort(port.id());
            } else {
                putPort(port);
            }
        } else if (event.subject() instanceof SecurityGroup group) {
            if (deleted) {
                removeGroup(group.id());
            } else {
                putGroup(group);
            }
        }
    }

    private void putPort(Port port) {
        Port before = ports.get(port.id());
        if (before != null && sameForFirewall(before, port)) {
            // Status and binding updates are frequent and change no rule.
            ports.put(port.id(), port);
            return;
        }
        if (before != null) {
            leave(before);
        }
        addPort(port);
    }

    private void addPort(Port port) {
        ports.put(port.id(), port);
        if (port.securityGroups().isEmpty()) {
            listingNone.computeIfAbsent(port.network(), n -> new LinkedHashSet<>()).add(port.id());
        }
        join(port);
        recompile(port);
    }

    private void removePort(String portId) {
        Port before = ports.remove(portId);
        if (before != null) {
            leave(before);
        }
        compiled.remove(portId);
    }

    /** Adds the port to the address sets of its groups. */
    private void join(Port port) {
        List<String> groupIds = effectiveGroups(port);
        memberOf.put(port.id(), groupIds);
        if (!port.hasAddress()) {
            // An L2-only port is in its groups but adds no address to their sets.
            return;
        }
        PacketAddress address = PacketAddress.parse(port.ip());
        for (String groupId : groupIds) {
            members.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).put(port.id(), port.ip());
            addresses.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).merge(address, 1, Integer::sum);
        }
    }

    /** Takes the port, as it was, out of its groups' address sets and of its network's default membership. */
    private void leave(Port port) {
        List<String> groupIds = memberOf.remove(port.id());
        if (groupIds != null && port.hasAddress()) {
            PacketAddress address = PacketAddress.parse(port.ip());
            for (String groupId : groupIds) {
                Map<String, String> set = members.get(groupId);
                if (set != null) {
                    set.remove(port.id());
                    if (set.isEmpty()) {
                        members.remove(groupId);
                    }
                }
                Map<PacketAddress, Integer> counts = addresses.get(groupId);
                if (counts != null) {
                    counts.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
                    if (counts.isEmpty()) {
                        addresses.remove(groupId);
                    }
                }
            }
        }
        Set<String> none = listingNone.get(port.network());
        if (none != null) {
            none.remove(port.id());
            if (none.isEmpty()) {
                listingNone.remove(port.network());
            }
        }
    }

    private void putGroup(SecurityGroup group) {
        SecurityGroup before = groups.put(group.id(), group);
        boolean networkChanged = before == null || !Objects.equals(before.network(), group.network());
        if (networkChanged) {
            if (before != null && before.network() != null) {
                refreshDefault(before.network());
            }
            if (group.network() != null) {
                refreshDefault(group.network());
            }
        }
        if (before == null || !before.rules().equals(group.rules()) || networkChanged) {
            recompileMembers(group.id());
        }
    }

    private void removeGroup(String groupId) {
        SecurityGroup before = groups.remove(groupId);
        if (before == null) {
            return;
        }
        if (before.network() != null) {
            refreshDefault(before.network());
        }
        // The model refuses to delete a group that has members; should one have some, their rules lose the group's.
        recompileMembers(groupId);
    }

    /**
     * Makes the oldest group claiming the network its default group and, when that changes which group it is, moves
     * the network's ports without groups into the new one's set.
     */
    private void refreshDefault(String networkId) {
        String now = groups.values().stream().filter(g -> networkId.equals(g.network())).min(GROUP_ORDER)
                .map(SecurityGroup::id).orElse(null);
        String was = defaultGroups.get(networkId);
        if (Objects.equals(was, now)) {
            return;
        }
        if (now == null) {
            defaultGroups.remove(networkId);
        } else {
            defaultGroups.put(networkId, now);
        }
        for (String portId : List.copyOf(listingNone.getOrDefault(networkId, Set.of()))) {
            Port port = ports.get(portId);
            // Leaving uses the groups the port joined (the old default), joining the current ones (the new).
            leave(port);
            addPort(port);
        }
    }

    private void recompileMembers(String groupId) {
        Map<String, String> set = members.get(groupId);
        if (set == null) {
            return;
        }
        for (String portId : List.copyOf(set.keySet())) {
            Port port = ports.get(portId);
            if (port != null) {
                recompile(port);
            }
        }
    }

    private void recompile(Port port) {
        List<FilterRule> rules = RuleCompiler.compile(this, port);
        CompiledPort old = compiled.get(port.id());
        // Keeping the old entry when nothing changed keeps its engine, which may already be built.
        if (old == null || !old.rules().equals(rules)) {
            compiled.put(port.id(), new CompiledPort(port.id(), rules, this));
            lastRecompiled++;
        }
    }

    private static boolean sameForFirewall(Port a, Port b) {
        return Objects.equals(a.ip(), b.ip()) && a.network().equals(b.network())
                && a.securityGroups().equals(b.securityGroups()) && a.isolated() == b.isolated();
    }

    @Override
    public List<String> effectiveGroups(Port port) {
        return GroupLookup.effectiveGroups(port, defaultGroups);
    }

    @Override
    public Optional<SecurityGroup> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    @Override
    public boolean contains(String set, PacketAddress address) {
        Map<PacketAddress, Integer> counts = addresses.get(set);
        return counts != null && counts.containsKey(address);
    }

    /**
     * @param portId a port id
     * @return its compiled rules and engine, when the port exists
     */
    Optional<CompiledPort> port(String portId) {
        return Optional.ofNullable(compiled.get(portId));
    }

    /**
     * @param portId a port id
     * @return the ids of the groups (address sets) it is a member of; empty when the port does not exist
     */
    List<String> memberships(String portId) {
        return memberOf.getOrDefault(portId, List.of());
    }

    /**
     * @param setId a group id
     * @return its members' addresses by port id, ordered by port id; empty when it has none
     */
    Map<String, String> addressSet(String setId) {
        Map<String, String> set = members.get(setId);
        return set == null ? Map.of() : new TreeMap<>(set);
    }

    /**
     * @return how many ports the firewall knows
     */
    int portCount() {
        return ports.size();
    }

    /**
     * @return how many security groups the firewall knows
     */
    int groupCount() {
        return groups.size();
    }

    /**
     * @return how many filter rules all ports have together (counted, for logs and tests)
     */
    long ruleCount() {
        return compiled.values().stream().mapToLong(c -> c.rules().size()).sum();
    }

    /**
     * @return how many ports the last {@link #apply} recompiled
     */
    int lastRecompiled() {
        return lastRecompiled;
    }
}
