package io.netloom.api.driver;

import java.util.List;
import java.util.Objects;

import io.netloom.api.model.AddressPair;

/**
 * A port on a segment, with its L2 (MAC) and L3 (IP) identity and where it is bound on the host.
 *
 * @param port the port id
 * @param network the network id
 * @param subnet the subnet (segment) id
 * @param ip the port's address
 * @param mac the port's MAC address
 * @param gateway the gateway of its subnet, for the port's default route
 * @param bindingType the binding type ({@code netns}), or {@code null} when unbound
 * @param bindingTarget what the binding names (a namespace), or {@code null}
 * @param allowedAddressPairs extra source prefixes (each with the MAC it comes from, the port's when the pair names
 *     none) that port security lets the port send from, besides its own address; empty for none
 */
public record PortEntry(String port, String network, String subnet, String ip, String mac, String gateway,
        String bindingType, String bindingTarget, List<AddressPair> allowedAddressPairs) implements ConfigEntry {

    /**
     * A port without allowed address pairs.
     */
    public PortEntry(String port, String network, String subnet, String ip, String mac, String gateway,
            String bindingType, String bindingTarget) {
        this(port, network, subnet, ip, mac, gateway, bindingType, bindingTarget, List.of());
    }

    /**
     * Checks that no required component is missing and freezes the list.
     */
    public PortEntry {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(gateway, "gateway");
        allowedAddressPairs = allowedAddressPairs == null ? List.of() : List.copyOf(allowedAddressPairs);
    }

    @Override
    public String key() {
        return keyOf(port);
    }

    /**
     * @param portId a port id
     * @return the {@link #key()} of that port's entry
     */
    public static String keyOf(String portId) {
        return "port:" + portId;
    }

    @Override
    public String owner() {
        return port;
    }
}
