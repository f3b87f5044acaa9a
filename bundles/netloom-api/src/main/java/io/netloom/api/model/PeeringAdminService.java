package io.netloom.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Requests, accepts, rejects and deletes peerings.
 */
@ProviderType
public interface PeeringAdminService extends PeeringService {

    /**
     * @param caller who asks; must see the requesting network
     * @param spec the request
     * @return the peering, {@code PENDING_ACCEPTANCE} or, with auto-accept, {@code ACTIVE}
     * @throws io.netloom.api.ConflictException {@code OVERLAPPING_CIDRS}, or {@code PEERING_EXISTS} when the pair
     *     already has a live peering
     */
    Peering createPeering(Caller caller, PeeringSpec spec);

    /**
     * @param caller who asks; must see the peer network
     * @param idOrName the peering
     * @return the peering, {@code ACTIVE}
     * @throws io.netloom.api.ConflictException {@code INVALID_STATE} unless pending, {@code OVERLAPPING_CIDRS}
     */
    Peering accept(Caller caller, String idOrName);

    /**
     * @param caller who asks; must see the peer network
     * @param idOrName the peering
     * @return the peering, {@code REJECTED}
     */
    Peering reject(Caller caller, String idOrName);

    /**
     * Marks a pending peering that was not accepted in time as {@code EXPIRED}; used by the peering policy.
     *
     * @param caller who asks (normally {@link Caller#system()})
     * @param idOrName the peering
     * @return the peering, {@code EXPIRED}
     * @throws io.netloom.api.ConflictException {@code INVALID_STATE} unless pending
     */
    Peering expire(Caller caller, String idOrName);

    /**
     * Deletes a peering from either side: it becomes {@code DELETED} (its routes go) and stays visible until its
     * retention passes ({@link #forget}).
     *
     * @param caller who asks
     * @param idOrName the peering
     * @throws io.netloom.api.NotFoundException when there is none, or it is {@code DELETED} already
     */
    void deletePeering(Caller caller, String idOrName);

    /**
     * Removes a peering that has ended ({@code REJECTED}, {@code EXPIRED}, {@code FAILED} or {@code DELETED}) for
     * good; used by the peering policy once the retention of ended peerings has passed.
     *
     * @param caller who asks (normally {@link Caller#system()})
     * @param idOrName the peering
     * @throws io.netloom.api.ConflictException {@code INVALID_STATE} while it is pending or active
     */
    void forget(Caller caller, String idOrName);

    /**
     * Changes a peering's name or flags, from either side, in any state but {@code DELETED}.
     *
     * @param caller who asks
     * @param idOrName the peering
     * @param update what changes
     * @return the peering as changed, as the caller sees it
     * @throws io.netloom.api.ValidationException for a bad name
     */
    Peering updatePeering(Caller caller, String idOrName, PeeringUpdate update);

    /**
     * Records both networks' current address spaces in an active peering, so that its routes cover them on both
     * sides; from either side. The address spaces are checked again as at acceptance; when they overlap (or would
     * make routes ambiguous) the peering is left as it was.
     *
     * @param caller who asks; must be able to write in the tenant of one side
     * @param idOrName the peering
     * @return the peering, {@code IN_SYNC}
     * @throws io.netloom.api.ConflictException {@code INVALID_STATE} unless active, {@code OVERLAPPING_CIDRS}
     */
    Peering sync(Caller caller, String idOrName);
}
