package io.netloom.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An isolated virtual network: an address space in which subnets and ports live.
 *
 * @param id server-generated id
 * @param name the user's name for it ({@link Names#PATTERN})
 * @param tenant the tenant it belongs to
 * @param description what it is for, in the user's words; empty when none was given
 * @param cidrs the address space: one or more IPv4 or IPv6 prefixes in canonical form, not overlapping
 * @param driver the driver type that realises it
 * @param createdAt when it was created
 * @param status how far it is realised
 * @param statusDetail a sentence explaining the status, empty when there is nothing to add
 */
public record Network(String id, String name, String tenant, String description, List<String> cidrs, String driver,
        Instant createdAt, RealisationStatus status, String statusDetail) {

    /**
     * Checks that no component is missing and freezes the list; a network stored without a description has an empty
     * one.
     */
    public Network {
        description = description == null ? "" : description;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        cidrs = List.copyOf(cidrs);
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusDetail, "statusDetail");
    }

    /**
     * A network without a description.
     */
    public Network(String id, String name, String tenant, List<String> cidrs, String driver, Instant createdAt,
            RealisationStatus status, String statusDetail) {
        this(id, name, tenant, "", cidrs, driver, createdAt, status, statusDetail);
    }

    /**
     * @param status the status the reconciler reports
     * @param detail its explanation
     * @return this network with that status
     */
    public Network withStatus(RealisationStatus status, String detail) {
        return new Network(id, name, tenant, description, cidrs, driver, createdAt, status, detail);
    }

    /**
     * @param newName the name
     * @param newDescription the description
     * @param newCidrs the address space, canonical
     * @return this network with them
     */
    public Network with(String newName, String newDescription, List<String> newCidrs) {
        return new Network(id, newName, tenant, newDescription, newCidrs, driver, createdAt, status, statusDetail);
    }
}
