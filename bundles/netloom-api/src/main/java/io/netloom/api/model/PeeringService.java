package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads peerings. A caller sees a peering when it sees either of its networks.
 */
@ProviderType
public interface PeeringService {

    /**
     * @param caller who asks
     * @return the peerings the caller sees, oldest first
     */
    List<Peering> peerings(Caller caller);

    /**
     * @param caller who asks
     * @param idOrName a peering id or unique name
     * @return the peering
     * @throws io.netloom.api.NotFoundException when there is none the caller sees
     */
    Peering peering(Caller caller, String idOrName);
}
