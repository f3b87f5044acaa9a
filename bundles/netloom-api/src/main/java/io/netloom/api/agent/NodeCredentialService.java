package io.netloom.api.agent;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Caller;

/**
 * Per-node credentials: each registered host authenticates with a secret of its own, never an administrator's
 * password. Only a hash of each secret is stored; a secret is shown once, when it is issued.
 */
@ProviderType
public interface NodeCredentialService {

    /**
     * Issues a new credential for a node, replacing (revoking) any previous one.
     *
     * @param caller who asks (an administrator)
     * @param node a registered host's id or name
     * @return the secret, to hand to the node's agent; it is not kept and cannot be read again
     * @throws io.netloom.api.ForbiddenException unless the caller is an administrator
     * @throws io.netloom.api.NotFoundException when there is no such node
     * @throws io.netloom.api.ConflictException {@code LOCAL_NODE} for one of the controller's own nodes
     */
    String issue(Caller caller, String node);

    /**
     * @param secret a secret as a request presents it
     * @return the id of the node it belongs to, when it is a current credential
     */
    Optional<String> authenticate(String secret);

    /**
     * Revokes a node's credential (when the node is removed); nothing happens when it has none.
     *
     * @param node a node id
     */
    void revoke(String node);
}
