package io.netloom.api.model;

import java.util.List;

/**
 * A request to create a port, as the user wrote it.
 *
 * @param name the name
 * @param network the network id or name
 * @param subnet the subnet id or name, or {@code null} for the network's first subnet with a free address
 * @param ip the address, or {@code null} to allocate one
 * @param mac the MAC address, or {@code null} to generate one
 * @param securityGroups security group ids or names, or {@code null} for none (the network's default group)
 * @param binding where it is attached, or {@code null}
 * @param allowedAddressPairs extra source prefixes it may send from, or {@code null} for none
 * @param host the node (id or name) it is placed on, or {@code null} for the local node of its network's driver
 * @param noAddress whether the port has no address (L2 only; then {@code subnet} and {@code ip} must be
 *     {@code null} and it cannot be bound yet)
 * @param adminDown whether it starts administratively down (nothing passes in or out)
 */
public record PortSpec(String name, String network, String subnet, String ip, String mac,
        List<String> securityGroups, Binding binding, List<AddressPair> allowedAddressPairs, String host,
        boolean noAddress, boolean adminDown) {

    /**
     * A request for a port that starts administratively up.
     */
    public PortSpec(String name, String network, String subnet, String ip, String mac, List<String> securityGroups,
            Binding binding, List<AddressPair> allowedAddressPairs, String host, boolean noAddress) {
        this(name, network, subnet, ip, mac, securityGroups, binding, allowedAddressPairs, host, noAddress, false);
    }

    /**
     * A request for a port with an address.
     */
    public PortSpec(String name, String network, String subnet, String ip, String mac, List<String> securityGroups,
            Binding binding, List<AddressPair> allowedAddressPairs, String host) {
        this(name, network, subnet, ip, mac, securityGroups, binding, allowedAddressPairs, host, false, false);
    }

    /**
     * A request that names no host.
     */
    public PortSpec(String name, String network, String subnet, String ip, String mac, List<String> securityGroups,
            Binding binding, List<AddressPair> allowedAddressPairs) {
        this(name, network, subnet, ip, mac, securityGroups, binding, allowedAddressPairs, null);
    }

    /**
     * A request without allowed address pairs.
     */
    public PortSpec(String name, String network, String subnet, String ip, String mac, List<String> securityGroups,
            Binding binding, String host) {
        this(name, network, subnet, ip, mac, securityGroups, binding, null, host);
    }

    /**
     * A request without allowed address pairs that names no host.
     */
    public PortSpec(String name, String network, String subnet, String ip, String mac, List<String> securityGroups,
            Binding binding) {
        this(name, network, subnet, ip, mac, securityGroups, binding, null, null);
    }
}
