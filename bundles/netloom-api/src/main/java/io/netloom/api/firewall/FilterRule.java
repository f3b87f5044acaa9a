package io.netloom.api.firewall;

import java.util.Objects;

import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * A security-group rule compiled for one port, driver-neutral. Its remote end is either a prefix
 * ({@code remoteCidr}) or an address set ({@code remoteSet}): a rule naming a remote security group references that
 * group's address set, whose members arrive as {@link io.netloom.api.driver.AddressSetEntry address-set entries} of
 * their own, so a group of N members costs one rule per port, not N. Exactly one of the two is set. A driver that
 * does not declare {@link io.netloom.api.driver.DriverCapability#ADDRESS_SETS} never sees a set: it is handed the
 * rule expanded into one rule per member address. The port's implicit defaults (deny other ingress, allow other
 * egress; return traffic of allowed flows) are not listed: every driver applies them.
 *
 * @param cookie identifies the rule that produced it, {@code groupId/ruleId}, so a driver can tell what it owns
 * @param portId the port it applies to
 * @param direction ingress or egress, seen from the port
 * @param protocol the protocol matched
 * @param portMin first transport port, or {@code null} for all
 * @param portMax last transport port, or {@code null}
 * @param remoteCidr the remote prefix matched ({@code 0.0.0.0/0} or {@code ::/0} for any), or {@code null} when
 *     {@code remoteSet} is set
 * @param action allow or deny
 * @param priority lower first
 * @param remoteSet the id of the address set matched (a security group's id: its members' addresses, IPv4 and
 *     IPv6), or {@code null} when {@code remoteCidr} is set
 */
public record FilterRule(String cookie, String portId, Direction direction, Protocol protocol, Integer portMin,
        Integer portMax, String remoteCidr, RuleAction action, int priority, String remoteSet) {

    /**
     * Checks that no required component is missing and that exactly one remote is named.
     */
    public FilterRule {
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(portId, "portId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(action, "action");
        if ((remoteCidr == null) == (remoteSet == null)) {
            throw new IllegalArgumentException("A filter rule names a remote prefix or a remote address set, not "
                    + (remoteCidr == null ? "neither" : "both"));
        }
    }

    /**
     * A rule whose remote end is a prefix.
     *
     * @param cookie identifies the rule that produced it
     * @param portId the port it applies to
     * @param direction ingress or egress
     * @param protocol the protocol matched
     * @param portMin first transport port, or {@code null}
     * @param portMax last transport port, or {@code null}
     * @param remoteCidr the remote prefix matched
     * @param action allow or deny
     * @param priority lower first
     */
    public FilterRule(String cookie, String portId, Direction direction, Protocol protocol, Integer portMin,
            Integer portMax, String remoteCidr, RuleAction action, int priority) {
        this(cookie, portId, direction, protocol, portMin, portMax, Objects.requireNonNull(remoteCidr, "remoteCidr"),
                action, priority, null);
    }

    /**
     * @return whether the remote end is an address set rather than a prefix
     */
    public boolean referencesSet() {
        return remoteSet != null;
    }

    /**
     * @param cidr a prefix
     * @return this rule with that prefix as its remote end instead of its address set (how a set is expanded for a
     *     driver that has none)
     */
    public FilterRule withRemoteCidr(String cidr) {
        return new FilterRule(cookie, portId, direction, protocol, portMin, portMax,
                Objects.requireNonNull(cidr, "cidr"), action, priority, null);
    }

    /**
     * @return how the remote end reads in messages: the prefix, or {@code @set}
     */
    public String remoteText() {
        return remoteSet != null ? "@" + remoteSet : remoteCidr;
    }
}
