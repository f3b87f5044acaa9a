package io.netloom.api.model;

/**
 * Whether a node takes ports and keeps its data plane in step with the model.
 */
public enum NodeStatus {
    /** The node is alive (the controller's own nodes always are; another node has sent a recent heartbeat). */
    UP,
    /** An administrator drains it: its ports stay and are realised, new ports are refused there. */
    DRAINING,
    /** No heartbeat arrived in time: its ports report {@link RealisationStatus#NODE_DOWN}. */
    DOWN
}
