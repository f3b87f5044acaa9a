package io.netloom.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A prefix of a network's address space, with its gateway on the distributed router.
 *
 * @param id server-generated id
 * @param name the user's name for it
 * @param tenant the tenant it belongs to (that of its network)
 * @param network the id of its network
 * @param cidr the prefix, canonical, inside one of the network's cidrs and overlapping no other subnet
 * @param gateway the gateway address, inside the prefix
 * @param createdAt when it was created
 */
public record Subnet(String id, String name, String tenant, String network, String cidr, String gateway,
        Instant createdAt) {

    /**
     * Checks that no component is missing.
     */
    public Subnet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
