package io.netloom.driver.ovs.internal;

import java.util.Map;
import java.util.Optional;

/**
 * The OVSDB side of the driver as the {@link OvsEngine} needs it: the integration bridge and its ports.
 */
interface BridgeDb {

    /**
     * A port Netloom added to the bridge.
     *
     * @param portId the Netloom port id (Interface external_ids {@code netloom-port})
     * @param device the interface name (the host end of the port's veth)
     * @param ofport the OpenFlow port number, once the switch assigned one
     */
    record BridgePort(String portId, String device, Optional<Integer> ofport) {
    }

    /**
     * @return whether the OVSDB session is up
     */
    boolean connected();

    /**
     * @return the Netloom instance that owns the bridge, when it is another one than this: then the driver neither
     *     reads nor changes the bridge, its flows or its ports
     */
    default Optional<String> foreignOwner() {
        return Optional.empty();
    }

    /**
     * Creates the integration bridge if it is missing and makes its settings Netloom's (fail mode secure,
     * OpenFlow 1.3, datapath type, controller); idempotent.
     *
     * @throws io.netloom.api.driver.DriverException when it cannot
     */
    void ensureBridge();

    /**
     * @return Netloom's ports on the bridge, by Netloom port id
     */
    Map<String, BridgePort> ports();

    /**
     * What the switch made of new interfaces.
     *
     * @param ofports the OpenFlow port number of each port that has one
     * @param refused why ovs-vswitchd refused each port it could not add (its {@code Interface.error})
     */
    record Numbered(Map<String, Integer> ofports, Map<String, String> refused) {
    }

    /**
     * Adds interfaces to the bridge in one transaction (those already there are left alone) and waits until the
     * switch has numbered or refused each, or a while has passed.
     *
     * @param devices the host device of each Netloom port id
     * @return the ports numbered and refused so far; a port in neither is still waiting for the switch
     * @throws io.netloom.api.driver.DriverException when the transaction fails
     */
    Numbered addPorts(Map<String, String> devices);

    /**
     * Removes a port from the bridge; nothing when it is not there.
     *
     * @param portId the Netloom port id
     */
    void removePort(String portId);

    /**
     * Makes sure the bridge holds this instance's VXLAN tunnel port ({@code type=vxlan}, {@code
     * options:remote_ip=flow}, {@code options:key=flow}: the flows choose endpoint and VNI per packet) and waits
     * until the switch numbered it; idempotent.
     *
     * @return its OpenFlow port number
     * @throws io.netloom.api.driver.DriverException when it cannot be added or the switch refuses or does not number it
     */
    int ensureTunnel();

    /**
     * @return the OpenFlow port number of this instance's tunnel port, when it is on the bridge as
     *     {@link #ensureTunnel()} writes it and numbered
     */
    Optional<Integer> tunnelPort();
}
