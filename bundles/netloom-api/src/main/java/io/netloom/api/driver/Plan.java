package io.netloom.api.driver;

import java.util.List;
import java.util.Objects;

/**
 * The ordered changes that take a node from its actual configuration to its desired one. The order never opens
 * traffic before its filter rules are in place: filters are added first, then segments, ports and routes; then
 * routes, ports and segments are removed, and filters last. A driver applies the steps in order and, where its
 * data plane allows, atomically.
 *
 * @param node the node id
 * @param steps the steps, in order
 */
public record Plan(String node, List<PlanStep> steps) {

    /**
     * Checks the node and freezes the list.
     */
    public Plan {
        Objects.requireNonNull(node, "node");
        steps = List.copyOf(steps);
    }

    /**
     * @return whether there is nothing to do
     */
    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
