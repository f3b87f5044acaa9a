package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads networks and subnets. Every method sees only what its caller may see: another tenant's object is
 * reported as not found.
 */
@ProviderType
public interface NetworkService {

    /**
     * @param caller who asks
     * @return the networks the caller sees, oldest first
     */
    List<Network> networks(Caller caller);

    /**
     * @param caller who asks
     * @param idOrName an id, or a name unique among what the caller sees
     * @return the network
     * @throws io.netloom.api.NotFoundException when there is none the caller sees
     * @throws io.netloom.api.ConflictException {@code AMBIGUOUS_NAME} when several share the name
     */
    Network network(Caller caller, String idOrName);

    /**
     * @param caller who asks
     * @param networkIdOrName the network
     * @return its subnets, oldest first
     * @throws io.netloom.api.NotFoundException when the network is not found
     */
    List<Subnet> subnets(Caller caller, String networkIdOrName);

    /**
     * @param caller who asks
     * @param idOrName a subnet id or unique name
     * @return the subnet
     * @throws io.netloom.api.NotFoundException when there is none the caller sees
     */
    Subnet subnet(Caller caller, String idOrName);

    /**
     * @param caller who asks
     * @param networkIdOrName the network
     * @return its static routes, oldest first
     * @throws io.netloom.api.NotFoundException when the network is not found
     */
    List<StaticRoute> staticRoutes(Caller caller, String networkIdOrName);
}
