package io.netloom.api.model;

import java.util.List;

/**
 * A request to create a subnet, as the user wrote it.
 *
 * @param name the name
 * @param cidr the prefix
 * @param gateway the gateway address, or {@code null} for the first host of the prefix (or none, with
 *     {@code noGateway})
 * @param noGateway whether the subnet has no gateway (then {@code gateway} must be {@code null})
 * @param allocationPools the ranges to allocate from, or {@code null} for every host address but the gateway
 * @param dnsNameservers DNS server addresses, or {@code null} for none
 * @param hostRoutes routes for its workloads, or {@code null} for none
 */
public record SubnetSpec(String name, String cidr, String gateway, boolean noGateway,
        List<AddressRange> allocationPools, List<String> dnsNameservers, List<HostRoute> hostRoutes) {

    /**
     * A request for a subnet with a gateway, allocating from every host address, without DNS servers or host
     * routes.
     */
    public SubnetSpec(String name, String cidr, String gateway) {
        this(name, cidr, gateway, false, null, null, null);
    }
}
