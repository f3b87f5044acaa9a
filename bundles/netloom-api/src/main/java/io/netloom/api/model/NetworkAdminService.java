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

    /**
     * Changes a network's name, description or address space in one write. Added prefixes follow the rules of
     * creation and may not overlap the address space of a network it is actively peered with; a prefix may be
     * removed only when no subnet lies in it and no active peering routes it (as recorded at the peering's last
     * sync). Active peerings with {@code autoSync} record the new address space in the same write; the others show
     * that they are not in sync until they are synced.
     *
     * @param caller who asks
     * @param idOrName the network
     * @param update what changes
     * @return the network as changed
     * @throws io.netloom.api.ValidationException for a bad name, CIDR, reserved or overlapping prefix
     * @throws io.netloom.api.ConflictException {@code CIDR_IN_USE} for a removed prefix a subnet or an active
     *     peering uses, {@code OVERLAPPING_CIDRS} for an added prefix that overlaps an active peer's address space
     */
    Network updateNetwork(Caller caller, String idOrName, NetworkUpdate update);

    /**
     * Renames a subnet.
     *
     * @param caller who asks
     * @param idOrName the subnet
     * @param update what changes
     * @return the subnet as changed
     * @throws io.netloom.api.ValidationException for a bad name
     */
    Subnet updateSubnet(Caller caller, String idOrName, SubnetUpdate update);
}
