package io.netloom.api.model;

/**
 * How far an object of the desired state has been realised on its data plane.
 */
public enum RealisationStatus {
    /** Stored, not yet programmed. */
    PENDING,
    /** Programmed and confirmed by the driver. */
    ACTIVE,
    /** The driver failed to program it; see the status detail. */
    ERROR,
    /** No driver of the object's type is registered; the data plane is left as it was. */
    DRIVER_MISSING,
    /** The node the object is placed on is {@code DOWN}: its data plane is as the node left it. */
    NODE_DOWN
}
