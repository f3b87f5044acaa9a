package io.netloom.api.driver;

import java.util.Objects;

import io.netloom.api.firewall.FilterRule;

/**
 * A compiled filter rule to install at a port; its cookie names the security-group rule that owns it.
 *
 * @param rule the compiled rule
 */
public record FilterEntry(FilterRule rule) implements ConfigEntry {

    /**
     * Checks that the rule is given.
     */
    public FilterEntry {
        Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String key() {
        return "filter:" + rule.portId() + ":" + rule.cookie() + ":" + rule.direction() + ":" + rule.remoteText()
                + ":" + rule.protocol() + ":" + rule.portMin() + "-" + rule.portMax() + ":" + rule.action() + ":"
                + rule.priority();
    }

    @Override
    public String owner() {
        return rule.portId();
    }
}
