package io.netloom.api.model;

import java.util.Objects;

/**
 * One resource's quota in one tenant.
 *
 * @param resource what is counted: {@code networks}, {@code ports}, {@code groups}, {@code rules} or
 *     {@code peerings}
 * @param limit how many the tenant may have; 0 means no limit
 * @param used how many it has now
 */
public record Quota(String resource, int limit, long used) {

    /**
     * Checks that no component is missing.
     */
    public Quota {
        Objects.requireNonNull(resource, "resource");
    }
}
