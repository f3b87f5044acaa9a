package io.netloom.api.firewall;

import java.util.Objects;

import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * A security-group rule compiled for one port, driver-neutral: remote groups are already expanded to their
 * members' addresses, so a data plane needs nothing but this. The port's implicit defaults (deny other ingress,
 * allow other egress; return traffic of allowed flows) are not listed: every driver applies them.
 *
 * @param cookie identifies the rule that produced it, {@code groupId/ruleId}, so a driver can tell what it owns
 * @param portId the port it applies to
 * @param direction ingress or egress, seen from the port
 * @param protocol the protocol matched
 * @param portMin first transport port, or {@code null} for all
 * @param portMax last transport port, or {@code null}
 * @param remoteCidr the remote prefix matched ({@code 0.0.0.0/0} or {@code ::/0} for any)
 * @param action allow or deny
 * @param priority lower first
 */
public record FilterRule(String cookie, String portId, Direction direction, Protocol protocol, Integer portMin,
        Integer portMax, String remoteCidr, RuleAction action, int priority) {

    /**
     * Checks that no required component is missing.
     */
    public FilterRule {
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(portId, "portId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(remoteCidr, "remoteCidr");
        Objects.requireNonNull(action, "action");
    }
}
