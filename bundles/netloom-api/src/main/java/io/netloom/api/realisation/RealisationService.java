package io.netloom.api.realisation;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Network;
import io.netloom.api.model.Port;

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
     * @param object a network or a port, or anything else
     * @return a network or port with the status reported here (as it is when there is none); anything else as it is
     */
    @SuppressWarnings("unchecked")
    default <T> T withStatus(T object) {
        if (object instanceof Network n) {
            return (T) realisation(n.id()).map(r -> n.withStatus(r.status(), r.detail())).orElse(n);
        }
        if (object instanceof Port p) {
            return (T) realisation(p.id()).map(r -> p.withStatus(r.status(), r.detail())).orElse(p);
        }
        return object;
    }

    /**
     * Runs a reconciliation pass now and waits for it.
     *
     * @return how many plan steps were applied, over all nodes
     */
    int reconcileNow();
}
