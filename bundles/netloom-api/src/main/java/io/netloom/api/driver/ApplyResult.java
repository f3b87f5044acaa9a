package io.netloom.api.driver;

import java.util.Map;

/**
 * What a driver did with a plan.
 *
 * @param failures the keys of the entries whose step failed, with the reason; empty when every step succeeded
 */
public record ApplyResult(Map<String, String> failures) {

    /**
     * Freezes the map.
     */
    public ApplyResult {
        failures = Map.copyOf(failures);
    }

    /**
     * @return a result with no failure
     */
    public static ApplyResult success() {
        return new ApplyResult(Map.of());
    }
}
