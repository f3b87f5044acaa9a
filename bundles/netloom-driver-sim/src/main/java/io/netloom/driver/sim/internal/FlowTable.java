package io.netloom.driver.sim.internal;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netloom.api.model.Protocol;

/**
 * The simulated data plane's connection tracking for one node: the flows it has delivered, so that their replies
 * pass whatever the filters say. Thread-safe.
 *
 * <p>Flows are keyed by port ids as well as addresses: isolated networks may reuse an address, and a reply must
 * only ride on a flow between the very ports it travels between.
 */
final class FlowTable {

    /**
     * One direction of a flow, as conntrack keys it. ICMP has no transport ports: both are zero.
     *
     * @param protocol TCP, UDP or ICMP
     * @param fromPort the id of the sending port
     * @param fromAddress the sender's address, canonical
     * @param fromTransport the source transport port
     * @param toPort the id of the receiving port
     * @param toAddress the receiver's address, canonical
     * @param toTransport the destination transport port
     */
    record Flow(Protocol protocol, String fromPort, String fromAddress, int fromTransport, String toPort,
            String toAddress, int toTransport) {

        /**
         * Checks that no component is missing.
         */
        Flow {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(fromPort, "fromPort");
            Objects.requireNonNull(fromAddress, "fromAddress");
            Objects.requireNonNull(toPort, "toPort");
            Objects.requireNonNull(toAddress, "toAddress");
        }

        /**
         * @return the same flow seen from the other end: what its replies look like
         */
        Flow reversed() {
            return new Flow(protocol, toPort, toAddress, toTransport, fromPort, fromAddress, fromTransport);
        }

        /**
         * @return a short description such as {@code tcp port-1 10.0.1.5:50123 -> port-2 10.0.2.7:80}
         */
        String describe() {
            return SimForwarder.lower(protocol) + " " + fromPort + " " + endpoint(fromAddress, fromTransport)
                    + " -> " + toPort + " " + endpoint(toAddress, toTransport);
        }

        private String endpoint(String address, int transport) {
            return protocol == Protocol.ICMP ? address : address + ":" + transport;
        }
    }

    private final Set<Flow> established = ConcurrentHashMap.newKeySet();

    /**
     * Remembers a delivered flow.
     *
     * @param flow the flow, in its original direction
     */
    void establish(Flow flow) {
        established.add(flow);
    }

    /**
     * @param flow a flow in its original direction
     * @return whether it was delivered and is remembered
     */
    boolean isEstablished(Flow flow) {
        return established.contains(flow);
    }

    /**
     * @return how many flows are remembered
     */
    int size() {
        return established.size();
    }

    /**
     * Forgets every flow, as a flushed conntrack table does.
     */
    void clear() {
        established.clear();
    }
}
