package io.netloom.api.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;


/**
 * The difference between a node's actual and desired configuration, as the shortest plan that closes it, ordered
 * so that no traffic is opened before its filter rules are in place: address-set members and filters are added
 * first, then segments, ports and routes; then routes, ports and segments are removed, and filters and set members
 * last. An entry whose content changed is
 * added again under its key (the driver replaces it in place: make-before-break), never removed and re-added.
 *
 * <p>The one planner of Netloom: the controller's reconciler and the node agent both plan with it, so a node
 * converges the same way wherever its configuration is applied. A new entry type is placed in both orders here.
 */
public final class Plans {

    /** Whatever an entry needs comes first: a tunnel needs its segment, a remote port its segment's tunnel. */
    static final List<Class<? extends ConfigEntry>> ADD_ORDER = List.of(AddressSetEntry.class,
            FilterEntry.class, SegmentEntry.class, TunnelEntry.class, PortEntry.class, RemotePortEntry.class,
            RouteEntry.class);
    /** The reverse: what uses an entry goes before it. */
    static final List<Class<? extends ConfigEntry>> REMOVE_ORDER = List.of(RouteEntry.class,
            RemotePortEntry.class, PortEntry.class, TunnelEntry.class, SegmentEntry.class, FilterEntry.class,
            AddressSetEntry.class);

    private Plans() {
    }

    /**
     * @param desired what the node should hold
     * @param actual what the driver reports it holds
     * @return the plan; empty when they are equal
     */
    public static Plan plan(NodeConfig desired, NodeConfig actual) {
        List<Keyed> adds = new ArrayList<>();
        List<Keyed> removes = new ArrayList<>();
        for (Map.Entry<String, ConfigEntry> e : desired.entries().entrySet()) {
            ConfigEntry have = actual.entries().get(e.getKey());
            if (!e.getValue().equals(have)) {
                adds.add(new Keyed(e.getKey(), e.getValue()));
            }
        }
        for (Map.Entry<String, ConfigEntry> e : actual.entries().entrySet()) {
            if (!desired.entries().containsKey(e.getKey())) {
                removes.add(new Keyed(e.getKey(), e.getValue()));
            }
        }
        return ordered(desired.node(), adds, removes);
    }

    /**
     * The plan for some keys only: those a change touched. Entries under other keys are neither added nor removed.
     *
     * @param node the node id
     * @param keys the keys to compare
     * @param desired what the node should hold (at least under those keys)
     * @param actual what the driver reports it holds
     * @return the plan; empty when the node holds what it should under those keys
     */
    public static Plan plan(String node, Collection<String> keys, Map<String, ConfigEntry> desired,
            Map<String, ConfigEntry> actual) {
        List<Keyed> adds = new ArrayList<>();
        List<Keyed> removes = new ArrayList<>();
        for (String key : keys) {
            ConfigEntry want = desired.get(key);
            ConfigEntry have = actual.get(key);
            if (want != null && !want.equals(have)) {
                adds.add(new Keyed(key, want));
            } else if (want == null && have != null) {
                removes.add(new Keyed(key, have));
            }
        }
        return ordered(node, adds, removes);
    }

    /** An entry with the key it is held under, so that sorting compares keys without building them again. */
    private record Keyed(String key, ConfigEntry entry) {
    }

    private static final Comparator<Keyed> BY_KEY = Comparator.comparing(Keyed::key);

    private static Plan ordered(String node, List<Keyed> adds, List<Keyed> removes) {
        adds.sort(BY_KEY);
        removes.sort(BY_KEY);
        List<PlanStep> steps = new ArrayList<>(adds.size() + removes.size());
        for (Class<? extends ConfigEntry> type : ADD_ORDER) {
            for (Keyed k : adds) {
                if (type.isInstance(k.entry())) {
                    steps.add(new PlanStep(PlanStep.Op.ADD, k.entry()));
                }
            }
        }
        for (Class<? extends ConfigEntry> type : REMOVE_ORDER) {
            for (Keyed k : removes) {
                if (type.isInstance(k.entry())) {
                    steps.add(new PlanStep(PlanStep.Op.REMOVE, k.entry()));
                }
            }
        }
        return new Plan(node, steps);
    }
}