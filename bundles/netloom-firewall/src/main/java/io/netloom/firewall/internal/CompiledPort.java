package io.netloom.firewall.internal;

import java.util.List;

import io.netloom.api.firewall.FilterRule;

/**
 * One port's compiled rules and the decision engine over them. The engine is built on first use rather than with
 * the rules: a model change recompiles many ports, of which few may be asked for a decision before the next one.
 */
final class CompiledPort {

    private final String portId;
    private final List<FilterRule> rules;
    /*
     * Two threads may both build the engine on first use; the engine is immutable and built from the same rules,
     * so either result is right and a lock would only slow readers.
     */
    private volatile FilterEngine engine;
    private final SetMembership sets;

    CompiledPort(String portId, List<FilterRule> rules, SetMembership sets) {
        this.portId = portId;
        this.rules = List.copyOf(rules);
        this.sets = sets;
    }

    String portId() {
        return portId;
    }

    List<FilterRule> rules() {
        return rules;
    }

    FilterEngine engine() {
        FilterEngine built = engine;
        if (built == null) {
            built = FilterEngine.build(rules, sets);
            engine = built;
        }
        return built;
    }
}
