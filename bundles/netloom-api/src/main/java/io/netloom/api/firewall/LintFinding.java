package io.netloom.api.firewall;

import java.util.Objects;

/**
 * A rule that cannot do what it seems to.
 *
 * @param kind {@code SHADOWED} (an earlier rule matches everything it matches), {@code CONFLICT} (equal priority,
 *     overlapping match, different actions), or {@code DEAD_BY_PEERING} (it only matches traffic a peering flag
 *     keeps away)
 * @param groupId the security group
 * @param ruleId the rule found
 * @param otherRuleId the rule it is compared with, or {@code null}
 * @param message a sentence for a person
 */
public record LintFinding(String kind, String groupId, String ruleId, String otherRuleId, String message) {

    /**
     * Checks that no required component is missing.
     */
    public LintFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(message, "message");
    }
}
