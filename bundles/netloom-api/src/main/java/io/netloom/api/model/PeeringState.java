package io.netloom.api.model;

/** The life of a peering, as in public clouds. */
public enum PeeringState {
    /** Requested, waiting for the peer network's side to accept. */
    PENDING_ACCEPTANCE,
    /** Accepted: each network routes to the other's address space. */
    ACTIVE,
    /** Refused by the peer side. */
    REJECTED,
    /** Not accepted in time. */
    EXPIRED,
    /** Could not be established (for example overlapping address spaces found at accept). */
    FAILED,
    /** Deleted from either side. */
    DELETED
}
