package io.netloom.api.driver;

import java.util.Objects;

/**
 * One registered driver as the registry reports it.
 *
 * @param type the driver type ({@value NetworkDriver#TYPE_PROPERTY})
 * @param name the implementation's human-readable name
 * @param version the version of the bundle that registered it
 * @param bundle the symbolic name of the bundle that registered it
 * @param bundleId the id of that bundle in the framework
 * @param ranking the service ranking (0 when none was given)
 * @param status whether this driver is the one in use for its type
 * @param detail the driver's own health detail, empty when there is none
 */
public record DriverDescriptor(String type, String name, String version, String bundle, long bundleId, int ranking,
        DriverStatus status, String detail) {

    /**
     * Checks that no component is missing.
     */
    public DriverDescriptor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
