package io.netloom.api.driver;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tracks every {@link NetworkDriver} service as it comes and goes, and picks one driver per type.
 */
@ProviderType
public interface DriverRegistry {

    /**
     * @return every driver registered now, ordered by type and then by descending ranking; empty when none is
     */
    List<DriverDescriptor> drivers();

    /**
     * Selects the driver in use for a type: the highest ranked, and on equal ranking the one registered first.
     *
     * @param type a driver type such as {@code sim}
     * @return the driver for that type, or empty when no driver of that type is registered now
     */
    Optional<NetworkDriver> driver(String type);

    /**
     * @return the driver type used when a request names none (configuration {@code default.driver}, overridden by
     *     the environment variable {@code NETLOOM_DEFAULT_DRIVER})
     */
    String defaultType();
}
