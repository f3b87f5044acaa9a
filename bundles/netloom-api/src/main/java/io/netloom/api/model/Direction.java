package io.netloom.api.model;

/** The direction of traffic a security-group rule applies to, seen from the port. */
public enum Direction {
    /** Traffic arriving at the port. */
    INGRESS,
    /** Traffic leaving the port. */
    EGRESS
}
