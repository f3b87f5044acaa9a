package io.netloom.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

import io.netloom.api.model.Protocol;

/**
 * Forwards synthetic packets through what a driver has realised (drivers with
 * {@link DriverCapability#PACKET_SIMULATION}), so reachability can be measured without privileges. Register it as
 * an OSGi service beside the driver, with the same {@value NetworkDriver#TYPE_PROPERTY} property.
 */
@ConsumerType
public interface PacketSimulator {

    /**
     * Sends one packet of a new flow from a port and follows it through the realised configuration: the source
     * port's egress filters, the network's routes, the destination port's ingress filters. A delivered packet
     * establishes its flow, so the reverse packet of the same flow is a reply and passes statefully.
     *
     * @param node the node id
     * @param fromPort the source port id
     * @param toAddress the destination address
     * @param protocol {@code TCP}, {@code UDP} or {@code ICMP}
     * @param transportPort the destination port for TCP/UDP
     * @return what happened to the packet
     */
    Delivery send(String node, String fromPort, String toAddress, Protocol protocol, int transportPort);

    /**
     * Forgets every established flow.
     */
    void resetFlows();

    /**
     * What happened to a synthetic packet.
     *
     * @param delivered whether it reached a port
     * @param toPort the port that received it, or {@code null}
     * @param reason where and why it stopped, or how it went
     */
    record Delivery(boolean delivered, String toPort, String reason) {
    }
}
