package io.netloom.driver.ovs.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.DriverException;

/**
 * Which {@link Pipeline#SLOTS slot} of an address each address set holds, for the IPv4 set members the
 * {@link OvsEngine} applied: an address in several sets needs a different slot per set, and every member of one set
 * holding that address shares one slot (and one set of flows). Follows the engine's journal: a slot is taken when the
 * first member of a set with an address is recorded, and given back when the last one is forgotten.
 *
 * <p>Also counts the rules that reference each set: only members of a referenced set need a slot (the firewall
 * makes a port a member of each of its groups, whether a rule names the group or not).
 *
 * <p>Also checks that no two sets in use share a {@link Pipeline#setId(String) 32-bit id}, which would make the
 * members of one match the rules of the other.
 */
final class SetSlots {

    /** Address → the set holding each slot (null: free). */
    private final Map<String, String[]> slots = new HashMap<>();
    /** (set, address) → the keys of the members holding it. */
    private final Map<String, Set<String>> holders = new HashMap<>();
    /** Set id → the set, for the sets in use, and how many members and rules use each. */
    private final Map<Long, String> ids = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    /** Set → how many rules reference it. */
    private final Map<String, Integer> rules = new HashMap<>();

    /**
     * @param set a set
     * @param address an address
     * @return the slot the set holds at the address, if a member holds it
     */
    Optional<Integer> slot(String set, String address) {
        String[] taken = slots.get(address);
        if (taken != null) {
            for (int j = 0; j < taken.length; j++) {
                if (set.equals(taken[j])) {
                    return Optional.of(j);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Chooses the slot of a member about to be applied; it is {@link #hold held} once the change is applied.
     *
     * @param member an IPv4 member
     * @param leaving keys of members leaving in the same change: their slots count as free when they are the last
     *     holders
     * @param pending slots chosen for the members of the same change so far, address → set → slot; the chosen
     *     slot is added
     * @return the slot
     * @throws DriverException when every slot of the address holds another set
     */
    int choose(AddressSetEntry member, Set<String> leaving, Map<String, Map<String, Integer>> pending) {
        Map<String, Integer> atAddress = pending.computeIfAbsent(member.address(), a -> new HashMap<>());
        Integer chosen = atAddress.get(member.set());
        if (chosen != null) {
            return chosen;
        }
        boolean[] busy = new boolean[Pipeline.SLOTS];
        String[] taken = slots.get(member.address());
        if (taken != null) {
            for (int j = 0; j < taken.length; j++) {
                busy[j] = taken[j] != null && !taken[j].equals(member.set())
                        && staying(taken[j], member.address(), leaving);
            }
        }
        atAddress.values().forEach(j -> busy[j] = true);
        // A set keeps its slot while it can: its flows then stay the same.
        Optional<Integer> held = slot(member.set(), member.address());
        if (held.isPresent() && !busy[held.get()]) {
            atAddress.put(member.set(), held.get());
            return held.get();
        }
        for (int j = 0; j < busy.length; j++) {
            if (!busy[j]) {
                atAddress.put(member.set(), j);
                return j;
            }
        }
        throw new DriverException("Address " + member.address() + " is already in " + Pipeline.SLOTS
                + " address sets, the most the ovs pipeline matches per address", null);
    }

    /**
     * @return whether a member not in {@code leaving} holds the set at the address
     */
    boolean staying(String set, String address, Set<String> leaving) {
        Set<String> keys = holders.get(pairName(set, address));
        return keys != null && keys.stream().anyMatch(k -> !leaving.contains(k));
    }

    /**
     * Checks that a set's id is not the id of another set in use.
     *
     * @param set a set a member or rule is about to use
     * @throws DriverException when it is
     */
    void checkId(String set) {
        String holder = ids.get(Pipeline.setId(set));
        if (holder != null && !holder.equals(set)) {
            throw new DriverException("Address set " + set + " hashes to the id of address set " + holder
                    + "; rename one of them", null);
        }
    }

    /**
     * Records that a member holds its slot.
     *
     * @param member the member
     * @param slot its slot; empty for an IPv6 member or a member of a set no rule references (they hold none)
     */
    void hold(AddressSetEntry member, Optional<Integer> slot) {
        use(member.set());
        if (slot.isEmpty()) {
            return;
        }
        String[] taken = slots.computeIfAbsent(member.address(), a -> new String[Pipeline.SLOTS]);
        taken[slot.get()] = member.set();
        holders.computeIfAbsent(pairName(member.set(), member.address()), p -> new HashSet<>()).add(member.key());
    }

    /**
     * Records that a member left.
     *
     * @param member the member as it was recorded
     */
    void release(AddressSetEntry member) {
        unuse(member.set());
        String pair = pairName(member.set(), member.address());
        Set<String> keys = holders.get(pair);
        if (keys == null || !keys.remove(member.key()) || !keys.isEmpty()) {
            return;
        }
        holders.remove(pair);
        String[] taken = slots.get(member.address());
        boolean empty = true;
        for (int j = 0; j < taken.length; j++) {
            if (member.set().equals(taken[j])) {
                taken[j] = null;
            }
            empty &= taken[j] == null;
        }
        if (empty) {
            slots.remove(member.address());
        }
    }

    /** Records that a rule references a set. */
    void reference(String set) {
        use(set);
        rules.merge(set, 1, Integer::sum);
    }

    /** Records that a rule no longer references a set. */
    void unreference(String set) {
        unuse(set);
        if (rules.merge(set, -1, Integer::sum) <= 0) {
            rules.remove(set);
        }
    }

    /**
     * @param set a set
     * @return whether a rule recorded references it
     */
    boolean referenced(String set) {
        return rules.containsKey(set);
    }

    private void use(String set) {
        ids.put(Pipeline.setId(set), set);
        uses.merge(set, 1, Integer::sum);
    }

    private void unuse(String set) {
        if (uses.merge(set, -1, Integer::sum) <= 0) {
            uses.remove(set);
            ids.remove(Pipeline.setId(set), set);
        }
    }

    private static String pairName(String set, String address) {
        return set + "/" + address;
    }
}
