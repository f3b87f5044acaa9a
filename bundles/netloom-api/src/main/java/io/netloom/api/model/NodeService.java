package io.netloom.api.model;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The data-plane nodes: the controller's own (one per local driver type, always there) and the hosts registered
 * with it. Nodes are infrastructure, not tenant objects: callers who read every tenant (administrators, viewers)
 * read them; anyone else is refused.
 */
@ProviderType
public interface NodeService {

    /**
     * @param caller who asks
     * @return every node, local ones first, then by creation
     * @throws io.netloom.api.ForbiddenException unless the caller reads every tenant
     */
    List<Node> nodes(Caller caller);

    /**
     * @param caller who asks
     * @param idOrName a node id or its name
     * @return the node, with its live status, revision, port count and heartbeat
     * @throws io.netloom.api.NotFoundException when there is none
     * @throws io.netloom.api.ForbiddenException unless the caller reads every tenant
     */
    Node node(Caller caller, String idOrName);

    /**
     * For the components that realise the model (no access check): a node by id, with its live status, detail,
     * heartbeat and agent version, but without the figures that need a walk over the model ({@code portCount} and,
     * for a local node, {@code realisedRevision} are 0), so that it costs the same however large the model is.
     *
     * @param id a node id; {@code node-TYPE} stands for the local node of any driver type
     * @return the node, when it exists
     */
    Optional<Node> find(String id);
}
