package io.netloom.api.model;

import java.util.List;

/**
 * A request to create a network, as the user wrote it; the service validates every field.
 *
 * @param name the name
 * @param cidrs the address space
 * @param driver the driver type, or {@code null} for the default driver
 */
public record NetworkSpec(String name, List<String> cidrs, String driver) {
}
