package io.netloom.rest.internal;

import io.netloom.api.driver.DriverRegistry;

/**
 * {@code /drivers}: what the driver registry holds now.
 */
final class DriversResource {

    private final DriverRegistry registry;

    DriversResource(DriverRegistry registry) {
        this.registry = registry;
    }

    void register(Router router) {
        router.add("GET", "/drivers", request -> ApiResponse.ok(registry.drivers()));
    }
}
