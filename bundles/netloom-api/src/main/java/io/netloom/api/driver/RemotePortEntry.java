package io.netloom.api.driver;

import java.util.Objects;

/**
 * A port of a network this node holds that is placed on another node of the same driver type: what the node needs
 * to reach it over the overlay without learning or flooding (a static forwarding entry for its MAC towards the
 * remote node's underlay address, and a permanent neighbour for its address). The node routes to it as to a local
 * port (routing stays at the source); its security groups are enforced on its own node.
 *
 * @param port the remote port's id
 * @param network its network id
 * @param subnet its subnet (segment) id
 * @param ip its address
 * @param mac its MAC address
 * @param vni the VXLAN network identifier of its segment (the {@link TunnelEntry#vni()} of that segment)
 * @param node the id of the node it is placed on
 * @param remoteAddress that node's underlay address (the tunnel's far end)
 */
public record RemotePortEntry(String port, String network, String subnet, String ip, String mac, int vni,
        String node, String remoteAddress) implements ConfigEntry {

    /**
     * Checks that no component is missing.
     */
    public RemotePortEntry {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    @Override
    public String key() {
        return keyOf(port);
    }

    /**
     * @param portId a port id
     * @return the {@link #key()} of that port's entry on the nodes it is remote to
     */
    public static String keyOf(String portId) {
        return "remote:" + portId;
    }

    @Override
    public String owner() {
        return port;
    }
}
