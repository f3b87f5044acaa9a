package io.netloom.api.firewall;

import java.util.Objects;
import java.util.Optional;

import io.netloom.api.model.RuleAction;

/**
 * What the firewall does with a packet at one port, and why.
 *
 * @param action allow or deny
 * @param rule the compiled rule that decided, or {@code null} when a default decided
 * @param reason a sentence for a person, naming the rule or the default
 */
public record Decision(RuleAction action, FilterRule rule, String reason) {

    /**
     * Checks that no required component is missing.
     */
    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * @return the deciding rule, when one decided
     */
    public Optional<FilterRule> ruleIfAny() {
        return Optional.ofNullable(rule);
    }
}
