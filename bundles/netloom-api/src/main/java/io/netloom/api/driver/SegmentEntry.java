package io.netloom.api.driver;

import java.util.Objects;

/**
 * An L2 segment (one per subnet) with the gateway address the distributed router answers on it.
 *
 * @param network the network id
 * @param subnet the subnet id
 * @param cidr the subnet's prefix
 * @param gateway the gateway address
 */
public record SegmentEntry(String network, String subnet, String cidr, String gateway) implements ConfigEntry {

    /**
     * Checks that no component is missing.
     */
    public SegmentEntry {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(gateway, "gateway");
    }

    @Override
    public String key() {
        return "segment:" + subnet;
    }

    @Override
    public String owner() {
        return subnet;
    }
}
