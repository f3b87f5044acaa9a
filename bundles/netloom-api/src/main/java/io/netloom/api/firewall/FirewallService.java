package io.netloom.api.firewall;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;

/**
 * Security groups compiled from the model, recomputed whenever it changes. Semantics: stateful (replies of an
 * allowed flow pass); rules by ascending priority, the first match decides; with no match, ingress is denied and
 * egress allowed. A port without groups is in its network's default group.
 */
@ProviderType
public interface FirewallService {

    /**
     * @param portId a port id
     * @return the port's compiled rules, by ascending priority; empty when the port does not exist
     */
    List<FilterRule> compiled(String portId);

    /**
     * @param portId a port id
     * @return whether the firewall has compiled the port's rules (it knows the port), so that the port may be realised
     */
    boolean knows(String portId);

    /**
     * @param portId a port id
     * @return the ids of the address sets (security groups) the port is a member of; empty when the port does not exist
     */
    List<String> memberships(String portId);

    /**
     * The members of an address set, which rules reference through {@link FilterRule#remoteSet()}.
     *
     * @param setId an address set's id (a security group's id)
     * @return its members' addresses by port id; empty when it has none or does not exist
     */
    Map<String, String> addressSet(String setId);

    /**
     * Decides a new flow at a port (not a reply: replies of allowed flows always pass).
     *
     * @param portId the port the traffic enters ({@code INGRESS}) or leaves ({@code EGRESS})
     * @param direction seen from the port
     * @param protocol the packet's protocol ({@code TCP}, {@code UDP} or {@code ICMP})
     * @param remoteAddress the other end's address
     * @param transportPort the destination port of TCP/UDP traffic (ignored for ICMP)
     * @return the decision, naming the rule or default that made it
     * @throws io.netloom.api.NotFoundException when the port does not exist
     */
    Decision decide(String portId, Direction direction, Protocol protocol, String remoteAddress, int transportPort);

    /**
     * @param caller who asks
     * @param groupIdOrName a security group
     * @return what is wrong with its rules; empty when nothing is
     */
    List<LintFinding> lint(Caller caller, String groupIdOrName);
}
