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
     * Adds an interface to the bridge (idempotent) and waits for its OpenFlow port number.
     *
     * @param portId the Netloom port id
     * @param device the host device
     * @return the OpenFlow port number
     * @throws io.netloom.api.driver.DriverException when it cannot
     */
    int addPort(String portId, String device);

    /**
     * Removes a port from the bridge; nothing when it is not there.
     *
     * @param portId the Netloom port id
     */
    void removePort(String portId);
}
