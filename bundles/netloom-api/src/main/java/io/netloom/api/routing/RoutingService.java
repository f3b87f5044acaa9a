package io.netloom.api.routing;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Caller;

/**
 * Effective route tables, recomputed from the model (networks and active peerings) whenever it changes. Routes of
 * a network: one {@code local} route per prefix of its address space, and one route per prefix of each actively
 * peered network's address space; nothing else (peering is not transitive).
 */
@ProviderType
public interface RoutingService {

    /**
     * @param caller who asks
     * @param networkIdOrName the network
     * @return its effective routes, longest prefix first
     * @throws io.netloom.api.NotFoundException when the caller sees no such network
     */
    List<Route> routes(Caller caller, String networkIdOrName);

    /**
     * Longest-prefix match in a network's table.
     *
     * @param networkId the network's id
     * @param address an IPv4 or IPv6 address
     * @return the most specific route covering the address, or empty when none does (no route) or the address
     *     is not one address in standard notation
     * @throws io.netloom.api.NotFoundException when there is no such network
     */
    Optional<Route> lookup(String networkId, String address);
}
