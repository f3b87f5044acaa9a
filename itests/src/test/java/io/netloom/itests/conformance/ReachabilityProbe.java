package io.netloom.itests.conformance;

import java.util.Optional;
import java.util.OptionalLong;

import io.netloom.api.model.Protocol;

/**
 * Measures what a data plane really does with traffic between the ports of a {@link ConformanceScenario}: the one
 * driver-specific part of the conformance suite. The sim driver's implementation sends synthetic packets through
 * the {@code PacketSimulator} ({@link SimReachabilityProbe}); a real driver's pings and opens TCP connections
 * between network namespaces bound to the ports.
 */
public interface ReachabilityProbe {

    /**
     * Says how the scenario binds a port, so the probe can reach it; called before the port is created.
     *
     * @param portName the scenario's name of the port
     * @return the network namespace to bind the port to, or empty to leave it unbound (the simulator needs none)
     */
    default Optional<String> namespaceFor(String portName) {
        return Optional.empty();
    }

    /**
     * Makes a port's end an appliance that forwards what it receives (a router: {@code ip_forward=1} in its
     * namespace). The simulator needs nothing: it models every next-hop port as forwarding.
     *
     * @param appliance the port
     */
    default void makeForwarder(ScenarioPort appliance) {
    }

    /**
     * @param appliance a port made a forwarder
     * @return how many packets it has forwarded so far (a namespace's IP {@code ForwDatagrams}, the simulator's
     *     deliveries through it)
     */
    OptionalLong forwarded(ScenarioPort appliance);

    /**
     * Forgets every established flow (conntrack), so that the next packet of any flow is decided as new.
     */
    void forgetFlows();

    /**
     * Sends the first packet of a new flow and says whether it arrived. A delivered flow is established: its
     * reply then passes (see {@link #reply}).
     *
     * @param from the sending port
     * @param to the receiving port
     * @param protocol TCP, UDP or ICMP
     * @param port the destination port for TCP and UDP, 0 for ICMP
     * @return whether it arrived, and the probe's account of why
     */
    Outcome newFlow(ScenarioPort from, ScenarioPort to, Protocol protocol, int port);

    /**
     * Sends, from {@code to} back to {@code from}, the packet that answers the flow {@code from -> to} of that
     * protocol and destination port (for TCP, what the server side sends on the established connection). It must
     * pass while that flow is established, whatever the rules say, and is an unsolicited packet, subject to the
     * rules like any other, while it is not.
     *
     * @param from the port that opened the flow
     * @param to the port that answers
     * @param protocol the flow's protocol
     * @param port the flow's destination port, 0 for ICMP
     * @return whether the reply arrived at {@code from}, and why
     */
    Outcome reply(ScenarioPort from, ScenarioPort to, Protocol protocol, int port);

    /**
     * What a probe measured.
     *
     * @param delivered whether the packet arrived
     * @param detail the probe's account: where it stopped, or how it went
     */
    record Outcome(boolean delivered, String detail) {
    }
}
