package io.netloom.api.realisation;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

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
     * Runs a reconciliation pass now and waits for it.
     *
     * @return how many plan steps were applied, over all nodes
     */
    int reconcileNow();
}
