package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;

/**
 * Where the address sets of a target configuration go among the router namespaces, and which element changes a plan
 * makes in the namespaces whose tables it does not rewrite.
 *
 * <p>A member is recorded in its port's network; a member whose port is on another node (a node holds those of the
 * sets its rules reference, see the reconciler) is recorded in the first network of this node whose rules reference
 * its set. An address set's addresses are held by every network whose rules reference the set, each address once
 * while any member of the set holds it (two members may share one). So a member joining or leaving is one record and
 * at most one address per referencing network, whatever the size of the set.
 */
final class AddressSets {

    private final Map<String, PortEntry> ports;
    private final Map<String, List<AddressSetEntry>> membersByNetwork = new HashMap<>();
    private final Map<String, Set<String>> addresses = new HashMap<>();
    private final Map<String, Set<String>> referencedBy = new HashMap<>();

    /**
     * The element changes of one plan in one router namespace.
     *
     * @param change what to add and remove
     * @param entries the plan's entries the change realises, which fail with it
     */
    record Change(NftRuleset.ElementChange change, List<ConfigEntry> entries) {
    }

    /**
     * @param target the configuration to hold
     * @param ports its ports, by id
     */
    AddressSets(Iterable<ConfigEntry> target, Map<String, PortEntry> ports) {
        this.ports = ports;
        for (ConfigEntry e : target) {
            if (e instanceof FilterEntry f && f.rule().referencesSet() && ports.containsKey(f.rule().portId())) {
                referencedBy.computeIfAbsent(f.rule().remoteSet(), s -> new TreeSet<>())
                        .add(ports.get(f.rule().portId()).network());
            }
        }
        for (ConfigEntry e : target) {
            if (e instanceof AddressSetEntry m && problem(m).isEmpty()) {
                membersByNetwork.computeIfAbsent(home(m).orElseThrow(), n -> new ArrayList<>()).add(m);
                addresses.computeIfAbsent(m.set(), s -> new LinkedHashSet<>()).add(m.address());
            }
        }
    }

    /**
     * @param member a member to realise
     * @return why it cannot be, or empty
     */
    Optional<String> problem(AddressSetEntry member) {
        if (home(member).isEmpty()) {
            return Optional.of("Port " + member.port() + " is not on this node and no rule here references address "
                    + "set " + member.set() + ", so its membership has no network to be recorded in");
        }
        try {
            NftRuleset.memberComment(member);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * @param member a member
     * @return the network its record is kept in: its port's, or for a port on another node the first network here
     *     whose rules reference its set; empty when there is none
     */
    private Optional<String> home(AddressSetEntry member) {
        PortEntry port = ports.get(member.port());
        if (port != null) {
            return Optional.of(port.network());
        }
        Set<String> referencing = referencedBy.getOrDefault(member.set(), Set.of());
        return referencing.isEmpty() ? Optional.empty() : Optional.of(referencing.iterator().next());
    }

    /**
     * @param network a network
     * @return what a rewrite of its tables writes: its members, and the addresses of every set
     */
    NftRuleset.SetElements elements(String network) {
        return new NftRuleset.SetElements(membersByNetwork.getOrDefault(network, List.of()), addresses);
    }

    /**
     * The element changes of a plan in the namespaces whose tables are not rewritten.
     *
     * @param adds the plan's additions
     * @param removes the plan's removals
     * @param rewritten the networks whose tables are rewritten whole, with every element
     * @param formerPorts the ports as they were, for the network of a member whose port goes
     * @return the changes, by network
     */
    Map<String, Change> changes(List<ConfigEntry> adds, List<ConfigEntry> removes, Set<String> rewritten,
            Map<String, ConfigEntry> formerPorts) {
        Map<String, Builder> builders = new TreeMap<>();
        for (ConfigEntry e : removes) {
            if (e instanceof AddressSetEntry m) {
                Optional<String> home = home(m);
                if (home.isEmpty() && formerPorts.get(PortEntry.keyOf(m.port())) instanceof PortEntry former) {
                    home = Optional.of(former.network());
                }
                if (home.isPresent() && !rewritten.contains(home.get())) {
                    builders.computeIfAbsent(home.get(), n -> new Builder()).memberRemove(m);
                }
                // Another member may hold the same address: it stays.
                if (!addresses.getOrDefault(m.set(), Set.of()).contains(m.address())) {
                    for (String network : referencedBy.getOrDefault(m.set(), Set.of())) {
                        if (!rewritten.contains(network)) {
                            builders.computeIfAbsent(network, n -> new Builder()).address(m, false);
                        }
                    }
                }
            }
        }
        for (ConfigEntry e : adds) {
            if (e instanceof AddressSetEntry m && problem(m).isEmpty()) {
                String home = home(m).orElseThrow();
                if (!rewritten.contains(home)) {
                    builders.computeIfAbsent(home, n -> new Builder()).memberAdd(m);
                }
                for (String network : referencedBy.getOrDefault(m.set(), Set.of())) {
                    if (!rewritten.contains(network)) {
                        builders.computeIfAbsent(network, n -> new Builder()).address(m, true);
                    }
                }
            }
        }
        Map<String, Change> changes = new TreeMap<>();
        builders.forEach((network, b) -> changes.put(network, b.build()));
        return changes;
    }

    /**
     * @param network a network whose tables are rewritten
     * @param entries a plan's entries
     * @return the plan's members whose realisation depends on that network's tables: those recorded there, and
     *     those whose address its sets hold
     */
    List<ConfigEntry> dependingOn(String network, List<ConfigEntry> entries) {
        List<ConfigEntry> depending = new ArrayList<>();
        for (ConfigEntry e : entries) {
            if (e instanceof AddressSetEntry m
                    && (home(m).filter(network::equals).isPresent()
                            || referencedBy.getOrDefault(m.set(), Set.of()).contains(network))) {
                depending.add(e);
            }
        }
        return depending;
    }

    private static final class Builder {

        private final List<AddressSetEntry> memberRemoves = new ArrayList<>();
        private final List<AddressSetEntry> memberAdds = new ArrayList<>();
        private final Map<String, Set<String>> addressRemoves = new TreeMap<>();
        private final Map<String, Set<String>> addressAdds = new TreeMap<>();
        private final Set<ConfigEntry> entries = new LinkedHashSet<>();

        void memberRemove(AddressSetEntry m) {
            memberRemoves.add(m);
            entries.add(m);
        }

        void memberAdd(AddressSetEntry m) {
            memberAdds.add(m);
            entries.add(m);
        }

        void address(AddressSetEntry m, boolean add) {
            (add ? addressAdds : addressRemoves).computeIfAbsent(KernelNames.addressSet(m.set(), m.ipv6()),
                    s -> new TreeSet<>()).add(m.address());
            entries.add(m);
        }

        Change build() {
            return new Change(new NftRuleset.ElementChange(memberRemoves, memberAdds, addressRemoves, addressAdds),
                    List.copyOf(entries));
        }
    }
}
