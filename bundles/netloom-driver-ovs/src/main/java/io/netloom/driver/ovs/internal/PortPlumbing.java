package io.netloom.driver.ovs.internal;

import java.util.Map;
import java.util.OptionalInt;

import io.netloom.api.driver.PortEntry;

/**
 * The host side of a port bound to a network namespace: a veth pair whose namespace end carries the port's MAC,
 * address and default route, and whose host end joins the bridge.
 */
interface PortPlumbing {

    /**
     * @param portId a Netloom port id
     * @return the host end's device name, generated from the id
     */
    String hostDevice(String portId);

    /**
     * Creates or corrects the veth pairs and namespace ends of many ports at once; idempotent. One port that
     * cannot be bound does not keep the others from being bound.
     *
     * @param prefixLengths the ports, each with the prefix length of its subnet
     * @param mtu the MTU of the veth pairs ({@link OvsEngine#OVERLAY_MTU} on a node holding a tunnel); empty: the
     *     kernel's default
     * @return why each port that could not be bound failed, by port id; empty when all were bound
     */
    Map<String, String> bind(Map<PortEntry, Integer> prefixLengths, OptionalInt mtu);

    /**
     * @param port the port
     * @param prefixLength the prefix length of its subnet
     * @return whether the namespace end exists and carries the port's MAC and address
     */
    boolean isBound(PortEntry port, int prefixLength);

    /**
     * Deletes the veth pair; nothing when it is gone.
     *
     * @param portId the Netloom port id
     */
    void unbind(String portId);
}
