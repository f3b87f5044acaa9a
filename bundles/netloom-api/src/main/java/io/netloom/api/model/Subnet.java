package io.netloom.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A prefix of a network's address space, with its gateway on the distributed router (or none: a subnet without a
 * gateway carries no routed traffic, and is not realised on a data plane yet).
 *
 * @param id server-generated id
 * @param name the user's name for it
 * @param tenant the tenant it belongs to (that of its network)
 * @param network the id of its network
 * @param cidr the prefix, canonical, inside one of the network's cidrs and overlapping no other subnet
 * @param gateway the gateway address, inside the prefix, or {@code null} for a subnet without a gateway
 * @param createdAt when it was created
 * @param allocationPools the ranges IPAM allocates from, in order; empty for every host address but the gateway
 *     ({@code null} is read as empty, as in a subnet stored before pools existed)
 * @param dnsNameservers the DNS servers its workloads are told about, in order; empty for none
 * @param hostRoutes the routes its workloads are given besides the default route; empty for none
 */
public record Subnet(String id, String name, String tenant, String network, String cidr, String gateway,
        Instant createdAt, List<AddressRange> allocationPools, List<String> dnsNameservers,
        List<HostRoute> hostRoutes) {

    /**
     * Checks that no required component is missing and freezes the lists.
     */
    public Subnet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(createdAt, "createdAt");
        allocationPools = allocationPools == null ? List.of() : List.copyOf(allocationPools);
        dnsNameservers = dnsNameservers == null ? List.of() : List.copyOf(dnsNameservers);
        hostRoutes = hostRoutes == null ? List.of() : List.copyOf(hostRoutes);
    }

    /**
     * A subnet with a gateway, allocating from every host address, without DNS servers or host routes.
     */
    public Subnet(String id, String name, String tenant, String network, String cidr, String gateway,
            Instant createdAt) {
        this(id, name, tenant, network, cidr, gateway, createdAt, List.of(), List.of(), List.of());
    }

    /**
     * @return the gateway, when the subnet has one
     */
    public Optional<String> gatewayIfAny() {
        return Optional.ofNullable(gateway);
    }

    /**
     * @param newName the new name
     * @param servers the new DNS servers
     * @param routes the new host routes
     * @return this subnet with that name, those DNS servers and those host routes
     */
    public Subnet withSettings(String newName, List<String> servers, List<HostRoute> routes) {
        return new Subnet(id, newName, tenant, network, cidr, gateway, createdAt, allocationPools, servers, routes);
    }
}
