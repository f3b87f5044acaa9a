package io.netloom.firewall.internal;

import java.util.Comparator;
import java.util.Locale;

import io.netloom.api.driver.ConnectionPolicy;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * The few facts of rule matching and ordering that the compiler, the engine, the linear scan and the linter must
 * agree on, kept in one place so that they cannot drift apart; protocol and port matching is the api's
 * ({@link ConnectionPolicy}), which the drivers use to judge tracked connections.
 */
final class Matching {

    /**
     * The order in which a port's rules are evaluated: ascending priority value and, at equal priority, a deny
     * before an allow. Security groups are a union with no order among themselves, so two groups of a port may
     * carry rules of equal priority that disagree; letting the deny win that tie is the conservative choice (it is
     * what a reader of either group alone expects of a deny). Among rules that tie on both, the first generated
     * stays first (the sort is stable), which keeps compilations reproducible.
     */
    static final Comparator<FilterRule> EVALUATION_ORDER = Comparator.comparingInt(
            (FilterRule r) -> rank(r.priority(), r.action()));

    private Matching() {
    }

    /**
     * @param priority a priority value, lower first
     * @param action the rule's action
     * @return a number that sorts rules in evaluation order (see {@link #EVALUATION_ORDER})
     */
    static int rank(int priority, RuleAction action) {
        return priority * 2 + (action == RuleAction.DENY ? 0 : 1);
    }

    /**
     * A port range restricts a rule to TCP and UDP: ICMP has no ports, so a ranged rule never matches it, even
     * when its protocol is {@code ANY} (the model only allows ranges on TCP and UDP rules anyway).
     *
     * @param ruleProtocol the protocol a rule names
     * @param ranged whether the rule has a port range
     * @param packetProtocol a packet's protocol: TCP, UDP or ICMP
     * @return whether the rule's protocol matches the packet's
     */
    static boolean protocolMatches(Protocol ruleProtocol, boolean ranged, Protocol packetProtocol) {
        return ConnectionPolicy.protocolMatches(ruleProtocol, ranged, packetProtocol);
    }

    /**
     * @param rule a compiled rule
     * @param protocol a packet's protocol: TCP, UDP or ICMP
     * @param transportPort the packet's destination port (ignored for ICMP)
     * @return whether the rule's protocol and port range match the packet, as the drivers judge tracked connections
     */
    static boolean matchesTransport(FilterRule rule, Protocol protocol, int transportPort) {
        return ConnectionPolicy.matchesTransport(rule, protocol, transportPort);
    }

    /**
     * @param rule a compiled rule
     * @return the last port of its range: its {@code portMax}, or its {@code portMin} when only that is set
     */
    static int portMax(FilterRule rule) {
        return rule.portMax() != null ? rule.portMax() : rule.portMin();
    }

    /**
     * @param rule a compiled rule
     * @return a short description for messages, such as {@code allow ingress tcp 8000-8080 from 10.0.0.0/8}
     */
    static String describe(FilterRule rule) {
        return describe(rule.action(), rule.direction(), rule.protocol(), rule.portMin(), rule.portMax(),
                rule.remoteText());
    }

    /**
     * @param action allow or deny
     * @param direction ingress or egress
     * @param protocol the protocol matched
     * @param portMin first port, or {@code null} for every port
     * @param portMax last port, or {@code null} when it is {@code portMin}
     * @param remote how to name the remote end: a CIDR, a group, any address
     * @return a short description for messages, such as {@code allow ingress tcp 8000-8080 from 10.0.0.0/8}
     */
    static String describe(RuleAction action, Direction direction, Protocol protocol,
            Integer portMin, Integer portMax, String remote) {
        StringBuilder text = new StringBuilder();
        text.append(lower(action.name())).append(' ').append(lower(direction.name())).append(' ')
                .append(lower(protocol.name()));
        if (portMin != null) {
            int max = portMax != null ? portMax : portMin;
            text.append(' ').append(portMin == max ? String.valueOf(portMin) : portMin + "-" + max);
        }
        text.append(direction == Direction.INGRESS ? " from " : " to ").append(remote);
        return text.toString();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
