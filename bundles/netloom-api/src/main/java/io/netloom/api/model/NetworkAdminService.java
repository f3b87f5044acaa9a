package io.netloom.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates and deletes networks and subnets. Every write is validated first, is durable when the method returns,
 * and is recorded in the audit log; a failed call changes nothing.
 */
@ProviderType
public interface NetworkAdminService extends NetworkService {

    /**
     * Creates a network in the caller's tenant, with its default security group.
     *
     * @param caller who asks
     * @param spec the request
     * @return the network, {@code PENDING} until realised
     * @throws io.netloom.api.ValidationException for a bad name, CIDR, overlapping CIDRs or unknown driver type
     */
    Network createNetwork(Caller caller, NetworkSpec spec);

    /**
     * Deletes a network with its subnets, static routes and default security group.
     *
     * @param caller who asks
     * @param idOrName the network
     * @throws io.netloom.api.ConflictException {@code IN_USE} while ports or live peerings refer to it
     */
    void deleteNetwork(Caller caller, String idOrName);

    /**
     * @param caller who asks
     * @param networkIdOrName the network
     * @param spec the request
     * @return the subnet
     * @throws io.netloom.api.ValidationException for a bad CIDR, a CIDR outside the network, a bad gateway
     * @throws io.netloom.api.ConflictException {@code OVERLAPPING_CIDRS} when it overlaps another subnet
     */
    Subnet createSubnet(Caller caller, String networkIdOrName, SubnetSpec spec);

    /**
     * @param caller who asks
     * @param idOrName the subnet
     * @throws io.netloom.api.ConflictException {@code IN_USE} while ports are in it or a static route's next hop is
     */
    void deleteSubnet(Caller caller, String idOrName);

    /**
     * @param caller who asks
     * @param networkIdOrName the network
     * @param spec the route
     * @return the route as stored
     * @throws io.netloom.api.ValidationException for a bad destination, or a next hop outside the network's
     *     subnets or equal to a subnet gateway
     * @throws io.netloom.api.ConflictException {@code DUPLICATE_ROUTE} when the network has a static route to the
     *     same destination
     */
    StaticRoute addStaticRoute(Caller caller, String networkIdOrName, StaticRouteSpec spec);

    /**
     * @param caller who asks
     * @param networkIdOrName the network
     * @param routeId the static route
     */
    void removeStaticRoute(Caller caller, String networkIdOrName, String routeId);
}
