package io.netloom.api.model;

import java.util.List;

/**
 * A request to create a network, as the user wrote it; the service validates every field.
 *
 * @param name the name
 * @param cidrs the address space
 * @param driver the driver type, or {@code null} for the default driver
 * @param pendingDriver whether a driver type that no registered driver provides is accepted, the network waiting for
 *     its driver ({@code DRIVER_MISSING}); only an administrator may ask for it
 * @param description what it is for, or {@code null} for none
 * @param growsWithSubnets whether the address space may start empty, to be grown later with
 *     {@link NetworkAdminService#updateNetwork} as subnets are added (the Neutron model, where a network has no
 *     address space of its own); when {@code false} at least one CIDR is required
 */
public record NetworkSpec(String name, List<String> cidrs, String driver, boolean pendingDriver, String description,
        boolean growsWithSubnets) {

    /**
     * A network whose address space is given now.
     *
     * @param name the name
     * @param cidrs the address space
     * @param driver the driver type, or {@code null} for the default driver
     * @param pendingDriver whether a driver type that is not registered is accepted
     * @param description what it is for, or {@code null} for none
     */
    public NetworkSpec(String name, List<String> cidrs, String driver, boolean pendingDriver, String description) {
        this(name, cidrs, driver, pendingDriver, description, false);
    }

    /**
     * A network without a description.
     *
     * @param name the name
     * @param cidrs the address space
     * @param driver the driver type, or {@code null} for the default driver
     * @param pendingDriver whether a driver type that is not registered is accepted
     */
    public NetworkSpec(String name, List<String> cidrs, String driver, boolean pendingDriver) {
        this(name, cidrs, driver, pendingDriver, null);
    }

    /**
     * A network of a driver type that must be registered now.
     *
     * @param name the name
     * @param cidrs the address space
     * @param driver the driver type, or {@code null} for the default driver
     */
    public NetworkSpec(String name, List<String> cidrs, String driver) {
        this(name, cidrs, driver, false);
    }
}
