package io.netloom.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A data-plane node: a host whose data plane one driver type programs. The controller's own machine is a node per
 * local driver type ({@code node-TYPE}, {@link #localId}), there without any configuration; other hosts are
 * registered ({@code node-} and 12 hexadecimal digits) and report themselves by heartbeats.
 *
 * @param id {@code node-TYPE} for a local node, else a server-generated id
 * @param name a name unique among nodes ({@code node-TYPE} for a local node)
 * @param driver the driver type that programs its data plane
 * @param underlayAddress the address other nodes reach it at (tunnel endpoint); empty for a local node
 * @param local whether it is the controller's own machine
 * @param status {@code UP}, {@code DRAINING} or {@code DOWN}
 * @param statusDetail a sentence explaining the status, empty when there is nothing to add
 * @param agentVersion the version its agent reported; the controller's own version for a local node, empty before
 *     a first heartbeat
 * @param realisedRevision the highest model revision the node has realised (0 before any)
 * @param portCount how many ports are placed on it
 * @param lastHeartbeat when it was last heard of, or {@code null} never
 * @param createdAt when it was registered (for a local node, when it was first seen)
 */
public record Node(String id, String name, String driver, String underlayAddress, boolean local, NodeStatus status,
        String statusDetail, String agentVersion, long realisedRevision, int portCount, Instant lastHeartbeat,
        Instant createdAt) {

    /** Prefix of every node id. */
    public static final String ID_PREFIX = "node-";

    /**
     * Checks that no required component is missing.
     */
    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(underlayAddress, "underlayAddress");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusDetail, "statusDetail");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @param driverType a driver type, such as {@code ovs}
     * @return the id of the controller's own node for that type, such as {@code node-ovs}: where the ports of a
     *     network of that type are placed unless they name a host
     */
    public static String localId(String driverType) {
        return ID_PREFIX + driverType;
    }

    /**
     * @param value the status as stored or computed
     * @param detail its explanation
     * @return this node with that status
     */
    public Node withStatus(NodeStatus value, String detail) {
        return new Node(id, name, driver, underlayAddress, local, value, detail, agentVersion, realisedRevision,
                portCount, lastHeartbeat, createdAt);
    }

    /**
     * @param version the agent's version
     * @param revision the revision it has realised
     * @param ports how many ports are placed on it
     * @param heartbeat when it was last heard of, or {@code null}
     * @return this node with those live figures
     */
    public Node withLive(String version, long revision, int ports, Instant heartbeat) {
        return new Node(id, name, driver, underlayAddress, local, status, statusDetail, version, revision, ports,
                heartbeat, createdAt);
    }
}
