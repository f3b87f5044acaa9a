package io.netloom.api.driver;

import java.util.Objects;

/**
 * The node's own end of the overlay for one segment of a network that spans several nodes of one driver type: a
 * VXLAN tunnel endpoint carrying the segment's traffic to the other nodes under its network identifier. Nodes hold
 * it only while the driver type has several nodes with an underlay address (a single-node install has none).
 *
 * <p>The identifier is the segment's: a kernel VXLAN device belongs to one bridge, and a Linux bridge data plane
 * has one bridge per subnet, so each segment of a network has its own identifier (see {@link #vni()}).
 *
 * @param network the network id
 * @param subnet the segment's subnet id
 * @param vni the VXLAN network identifier, 1 to 16777215, the same on every node
 * @param localAddress this node's underlay address (its tunnel endpoint); empty: the driver's configured one
 */
public record TunnelEntry(String network, String subnet, int vni, String localAddress) implements ConfigEntry {

    /** The largest VXLAN network identifier (24 bits). */
    public static final int MAX_VNI = 0xFFFFFF;

    /**
     * Checks the components.
     */
    public TunnelEntry {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(localAddress, "localAddress");
        if (vni < 1 || vni > MAX_VNI) {
            throw new IllegalArgumentException("vni must be 1.." + MAX_VNI + ": " + vni);
        }
    }

    @Override
    public String key() {
        return "tunnel:" + subnet;
    }

    @Override
    public String owner() {
        return subnet;
    }
}
