package io.netloom.firewall.internal;

import java.util.List;

import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * The compiled rules of one port and a way to find the first that matches a packet. Implementations differ only in
 * speed: each answers exactly what a first-match scan of {@link #rules()} in order answers.
 */
public interface PortFilter {

    /** Reason of the decision when no rule matches an incoming packet. */
    String DEFAULT_DENY_INGRESS = "default deny ingress";
    /** Reason of the decision when no rule matches an outgoing packet. */
    String DEFAULT_ALLOW_EGRESS = "default allow egress";

    /**
     * @return the rules, in evaluation order
     */
    List<FilterRule> rules();

    /**
     * @param direction seen from the port
     * @param protocol the packet's protocol: TCP, UDP or ICMP
     * @param remote the other end's address
     * @param transportPort the destination port of TCP or UDP traffic; ignored for ICMP
     * @return the position in {@link #rules()} of the first rule that matches, or {@code -1} when none does
     */
    int firstMatch(Direction direction, Protocol protocol, PacketAddress remote, int transportPort);

    /**
     * Decides a new flow: the first matching rule, else the default of the direction.
     *
     * @param direction seen from the port
     * @param protocol the packet's protocol: TCP, UDP or ICMP
     * @param remote the other end's address
     * @param transportPort the destination port of TCP or UDP traffic; ignored for ICMP
     * @return the decision, naming the rule or the default that made it
     */
    default Decision decide(Direction direction, Protocol protocol, PacketAddress remote, int transportPort) {
        int index = firstMatch(direction, protocol, remote, transportPort);
        return index < 0 ? byDefault(direction) : byRule(rules().get(index));
    }

    /**
     * @param direction seen from the port
     * @return the decision when no rule matches: deny ingress, allow egress
     */
    static Decision byDefault(Direction direction) {
        return direction == Direction.INGRESS ? new Decision(RuleAction.DENY, null, DEFAULT_DENY_INGRESS)
                : new Decision(RuleAction.ALLOW, null, DEFAULT_ALLOW_EGRESS);
    }

    /**
     * @param rule the first rule that matched
     * @return its decision, with a reason naming it
     */
    static Decision byRule(FilterRule rule) {
        String verb = rule.action() == RuleAction.ALLOW ? "allowed" : "denied";
        return new Decision(rule.action(), rule, verb + " by rule " + rule.cookie() + " (priority " + rule.priority()
                + ": " + Matching.describe(rule) + ")");
    }
}
