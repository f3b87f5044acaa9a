package io.netloom.api.driver;

/**
 * The registry's view of one registered driver.
 */
public enum DriverStatus {
    /** The highest ranked driver of its type, healthy: new work for that type goes to it. */
    ACTIVE,
    /** Outranked by another driver of the same type; ready to take over if that one leaves. */
    STANDBY,
    /** The selected driver of its type, but reporting itself degraded. */
    DEGRADED,
    /** The selected driver of its type, but unable to program its data plane. */
    DOWN
}
