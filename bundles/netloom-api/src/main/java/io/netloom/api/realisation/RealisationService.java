package io.netloom.api.realisation;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.Port;
import io.netloom.api.model.RealisationStatus;

/**
 * What the reconciler knows of each object's realisation. The model services report an object's status from here
 * when this service is present; without it, objects show the status they were stored with.
 */
@ProviderType
public interface RealisationService {

    /**
     * @param objectId a network, subnet or port id
     * @return its realisation, when the reconciler has considered it
     */
    Optional<Realisation> realisation(String objectId);

    /**
     * @param object a network, a port or a peering, or anything else
     * @return a network or port with the status reported here (as it is when there is none); a peering with the
     *     status of the two networks its routes are realised with (the less advanced of the two); anything else as
     *     it is
     */
    @SuppressWarnings("unchecked")
    default <T> T withStatus(T object) {
        if (object instanceof Network n) {
            return (T) realisation(n.id()).map(r -> n.withStatus(r.status(), r.detail())).orElse(n);
        }
        if (object instanceof Port p) {
            return (T) realisation(p.id()).map(r -> p.withStatus(r.status(), r.detail())).orElse(p);
        }
        if (object instanceof Peering p) {
            Optional<Realisation> one = realisation(p.network());
            Optional<Realisation> other = realisation(p.peerNetwork());
            if (one.isEmpty() || other.isEmpty()) {
                return object;
            }
            Realisation behind = behind(one.get().status()) >= behind(other.get().status()) ? one.get() : other.get();
            return (T) p.withStatus(behind.status(), behind.detail());
        }
        return object;
    }

    /**
     * Whether a write is live: every node whose desired configuration the write of {@code revision} changed has
     * realised that revision (applied it and read it back). A write that changed no data plane is realised as soon
     * as the reconciler has taken it in.
     *
     * @param revision a model revision
     * @return whether it is realised
     */
    boolean realised(long revision);

    /**
     * @param revision a model revision
     * @return completes when {@link #realised} becomes true for {@code revision}; never fails, may never complete
     *     (a node without its driver realises nothing). Cancelling it drops the waiter.
     */
    CompletableFuture<Void> whenRealised(long revision);

    /**
     * @param revision a model revision
     * @return the nodes that have not yet realised {@code revision} although it changed them; empty when it is
     *     realised or unknown to the reconciler
     */
    List<NodeRealisation> pending(long revision);

    /**
     * @return each node the reconciler knows, with the revision it has realised
     */
    List<NodeRealisation> nodes();

    /** How far behind a status is: 0 for realised, more the further from it. */
    private static int behind(RealisationStatus status) {
        return switch (status) {
            case ACTIVE -> 0;
            case PENDING -> 1;
            case ERROR -> 2;
            case DRIVER_MISSING -> 3;
            case NODE_DOWN -> 4;
        };
    }

    /**
     * Runs a reconciliation pass now and waits for it.
     *
     * @return how many plan steps were applied, over all nodes
     */
    int reconcileNow();

    /**
     * The VXLAN network identifier of a segment in the overlay between nodes, as the reconciler derived it at its
     * last full pass.
     *
     * @param subnetId a subnet id
     * @return its VNI; empty when no overlay carries the segment (a single node of its driver type)
     */
    default OptionalInt overlayVni(String subnetId) {
        return OptionalInt.empty();
    }
}
