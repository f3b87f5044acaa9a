package io.netloom.api.model;

/** What a matching security-group rule does. */
public enum RuleAction {
    /** Let the traffic (and, statefully, its replies) through. */
    ALLOW,
    /** Drop the traffic. */
    DENY
}
