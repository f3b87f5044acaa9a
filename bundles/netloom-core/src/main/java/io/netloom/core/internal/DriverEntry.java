package io.netloom.core.internal;

import io.netloom.api.driver.NetworkDriver;

/**
 * One registered driver service with the properties the registry orders and reports by.
 */
record DriverEntry(long serviceId, String type, int ranking, String bundle, long bundleId, String version,
        NetworkDriver driver) {

    /** Higher ranking first; on equal ranking the service registered first (lower id) wins, as in OSGi. */
    boolean outranks(DriverEntry other) {
        if (ranking != other.ranking) {
            return ranking > other.ranking;
        }
        return serviceId < other.serviceId;
    }
}
