package io.netloom.firewall.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netloom.api.firewall.Decision;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Port;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * Connection tracking between ports, as a stateful data plane does it: a packet from port A to port B passes when
 * A's egress rules and then B's ingress rules allow it, and the flow is then remembered, so that B's replies to A
 * pass whatever the rules say. A packet from B that answers no remembered flow is a new flow and is decided by the
 * rules like any other.
 *
 * <p>Packets in the original direction of a remembered flow are decided again each time, so that revoking a rule
 * stops a flow's new packets; only replies ride on the remembered state. Thread-safe. The simulated data plane is
 * meant to reuse it.
 */
public final class StatefulPath {

    /** Decides a new flow at one port; {@code FirewallService::decide} is one. */
    @FunctionalInterface
    public interface Decider {
        /**
         * @param portId the port
         * @param direction seen from the port
         * @param protocol TCP, UDP or ICMP
         * @param remoteAddress the other end's address
         * @param transportPort the destination port (TCP and UDP)
         * @return the decision
         */
        Decision decide(String portId, Direction direction, Protocol protocol, String remoteAddress,
                int transportPort);
    }

    /**
     * One direction of a flow between two ports, as conntrack keys it. ICMP carries no ports: both are zero.
     *
     * @param protocol TCP, UDP or ICMP
     * @param sourcePort the id of the sending port
     * @param sourceTransport the source transport port
     * @param destinationPort the id of the receiving port
     * @param destinationTransport the destination transport port
     */
    public record Flow(Protocol protocol, String sourcePort, int sourceTransport, String destinationPort,
            int destinationTransport) {

        /**
         * @return the same flow seen from the other end, which is what its replies look like
         */
        public Flow reversed() {
            return new Flow(protocol, destinationPort, destinationTransport, sourcePort, sourceTransport);
        }
    }

    /**
     * What happened to a packet.
     *
     * @param passes whether it reached the destination port
     * @param reply whether it passed as a reply of a remembered flow, without consulting rules
     * @param atSource the egress decision at the sending port; empty for a reply
     * @param atDestination the ingress decision at the receiving port; empty for a reply, or when egress denied it
     */
    public record Transit(boolean passes, boolean reply, Optional<Decision> atSource,
            Optional<Decision> atDestination) {
    }

    private final Decider decider;
    private final Set<Flow> established = ConcurrentHashMap.newKeySet();

    /**
     * @param decider decides new flows at a port, usually the firewall service
     */
    public StatefulPath(Decider decider) {
        this.decider = Objects.requireNonNull(decider, "decider");
    }

    /**
     * Sends one packet from one port to another.
     *
     * @param from the sending port
     * @param to the receiving port
     * @param protocol TCP, UDP or ICMP
     * @param sourceTransport the source transport port (ignored for ICMP)
     * @param destinationTransport the destination transport port (ignored for ICMP)
     * @return whether it passed, and why
     */
    public Transit send(Port from, Port to, Protocol protocol, int sourceTransport, int destinationTransport) {
        boolean ported = protocol != Protocol.ICMP;
        Flow flow = new Flow(protocol, from.id(), ported ? sourceTransport : 0, to.id(),
                ported ? destinationTransport : 0);
        if (established.contains(flow.reversed())) {
            return new Transit(true, true, Optional.empty(), Optional.empty());
        }
        Decision egress = decider.decide(from.id(), Direction.EGRESS, protocol, to.ip(), destinationTransport);
        if (egress.action() != RuleAction.ALLOW) {
            return new Transit(false, false, Optional.of(egress), Optional.empty());
        }
        Decision ingress = decider.decide(to.id(), Direction.INGRESS, protocol, from.ip(), destinationTransport);
        boolean passes = ingress.action() == RuleAction.ALLOW;
        if (passes) {
            established.add(flow);
        }
        return new Transit(passes, false, Optional.of(egress), Optional.of(ingress));
    }

    /**
     * @return how many flows are remembered
     */
    public int establishedCount() {
        return established.size();
    }

    /**
     * Forgets every flow, as a restarted data plane would.
     */
    public void clear() {
        established.clear();
    }
}
