package io.netloom.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registers, drains and removes nodes, and takes their heartbeats. Only administrators ({@code netloom-admin})
 * change nodes; every change is validated first, durable when the method returns and audited.
 */
@ProviderType
public interface NodeAdminService extends NodeService {

    /**
     * Registers a host as a node. It is {@code DOWN} until its first heartbeat.
     *
     * @param caller who asks
     * @param spec the request
     * @return the node
     * @throws io.netloom.api.ValidationException for a bad name, driver type or address
     * @throws io.netloom.api.ConflictException {@code NODE_EXISTS} when a node has that name or underlay address
     * @throws io.netloom.api.ForbiddenException unless the caller is an administrator
     */
    Node register(Caller caller, NodeSpec spec);

    /**
     * Drains a node ({@code DRAINING}: its ports stay, new ports are refused there), or takes it back
     * ({@code drain == false}). Doing what is already so changes nothing.
     *
     * @param caller who asks
     * @param idOrName the node
     * @param drain whether to drain it
     * @return the node
     * @throws io.netloom.api.NotFoundException when there is none
     * @throws io.netloom.api.ForbiddenException unless the caller is an administrator
     */
    Node setDraining(Caller caller, String idOrName, boolean drain);

    /**
     * Removes a registered node.
     *
     * @param caller who asks
     * @param idOrName the node
     * @throws io.netloom.api.NotFoundException when there is none
     * @throws io.netloom.api.ConflictException {@code IN_USE} while ports are placed on it; {@code LOCAL_NODE} for
     *     one of the controller's own nodes, which exist as long as their driver type does
     * @throws io.netloom.api.ForbiddenException unless the caller is an administrator
     */
    void remove(Caller caller, String idOrName);

    /**
     * Takes a node's heartbeat: the node is alive, has realised a revision and runs an agent of a version. Kept in
     * memory only (a heartbeat is no model change); a node not heard of within the heartbeat timeout is
     * {@code DOWN}.
     *
     * @param caller who reports (an administrator, until nodes have credentials of their own)
     * @param idOrName the node
     * @param heartbeat what it reports
     * @return the node
     * @throws io.netloom.api.NotFoundException when there is none
     * @throws io.netloom.api.ValidationException for a negative revision or a bad version
     * @throws io.netloom.api.ConflictException {@code LOCAL_NODE} for one of the controller's own nodes
     * @throws io.netloom.api.ForbiddenException unless the caller is an administrator
     */
    Node heartbeat(Caller caller, String idOrName, NodeHeartbeat heartbeat);
}
