package io.netloom.api.model;

/**
 * Whether an active peering routes the address spaces its two networks have now, told from the side of whoever
 * reads it: the peering records both address spaces when it is accepted and at each sync, and routes only those.
 */
public enum PeeringSyncState {
    /** Both networks have the address spaces recorded at the last sync. */
    IN_SYNC,
    /** The reader's own network changed its address space since the last sync. */
    LOCAL_NOT_IN_SYNC,
    /** The other network changed its address space since the last sync. */
    REMOTE_NOT_IN_SYNC,
    /** Both networks changed their address spaces since the last sync. */
    LOCAL_AND_REMOTE_NOT_IN_SYNC
}
