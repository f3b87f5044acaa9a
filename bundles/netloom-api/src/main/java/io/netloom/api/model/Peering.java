package io.netloom.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A one-to-one, non-transitive link between two networks.
 *
 * <p>Both sides see the whole object: the requesting side's tenant and address space from the start (that is what
 * the peer side decides on), the peer side's tenant and address space once it has accepted. The address spaces are
 * those recorded at the last sync (acceptance, or {@code POST /peerings/{id}/sync}): routes over the peering cover
 * exactly them, so a prefix a network adds later is routed only once the peering is synced.
 *
 * @param id server-generated id
 * @param name the user's name for it
 * @param tenant the tenant of the requesting side
 * @param peerTenant the tenant of the peer side; {@code null} until that side has accepted
 * @param network the id of the requesting network
 * @param peerNetwork the id of the peer network
 * @param networkCidrs the requesting network's address space as of the last sync (or the request)
 * @param peerCidrs the peer network's address space as of the last sync; empty until accepted
 * @param allowVirtualNetworkAccess whether the peering carries traffic at all; when off, it stays active but adds
 *     no routes ({@code null} as read from a store that predates the flag, which means on)
 * @param allowForwardedTraffic whether traffic that did not originate in the peer network may cross
 * @param autoSync whether a change of either address space is synced at once, in the same write
 * @param state where it is in its life
 * @param stateDetail a sentence explaining the state, empty when there is nothing to add
 * @param createdAt when it was requested
 * @param updatedAt when its state, flags or recorded address spaces last changed
 * @param status how far its routes (or, once it is no longer active, their removal) are realised on the data planes
 *     of both networks; {@code PENDING} as stored, the reconciler reports the current one
 * @param statusDetail a sentence explaining the status, empty when there is nothing to add
 * @param syncState for an active peering, whether the recorded address spaces are the current ones, from the
 *     reader's side; {@code null} as stored and for a peering that is not active
 */
public record Peering(String id, String name, String tenant, String peerTenant, String network, String peerNetwork,
        List<String> networkCidrs, List<String> peerCidrs, Boolean allowVirtualNetworkAccess,
        boolean allowForwardedTraffic, boolean autoSync, PeeringState state, String stateDetail, Instant createdAt,
        Instant updatedAt, RealisationStatus status, String statusDetail, PeeringSyncState syncState) {

    /**
     * Checks that no component is missing; a peering stored without a status is {@code PENDING}, one stored
     * without recorded address spaces has empty ones, one stored without {@code allowVirtualNetworkAccess} has it
     * on.
     */
    public Peering {
        status = status == null ? RealisationStatus.PENDING : status;
        statusDetail = statusDetail == null ? "" : statusDetail;
        networkCidrs = networkCidrs == null ? List.of() : List.copyOf(networkCidrs);
        peerCidrs = peerCidrs == null ? List.of() : List.copyOf(peerCidrs);
        allowVirtualNetworkAccess = allowVirtualNetworkAccess == null || allowVirtualNetworkAccess;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(peerNetwork, "peerNetwork");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateDetail, "stateDetail");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * A peering with the status it is stored with ({@code PENDING}), nothing recorded, virtual network access on and
     * no auto-sync.
     */
    public Peering(String id, String name, String tenant, String network, String peerNetwork,
            boolean allowForwardedTraffic, PeeringState state, String stateDetail, Instant createdAt,
            Instant updatedAt) {
        this(id, name, tenant, network, peerNetwork, allowForwardedTraffic, state, stateDetail, createdAt, updatedAt,
                RealisationStatus.PENDING, "");
    }

    /**
     * A peering with nothing recorded, virtual network access on and no auto-sync.
     */
    public Peering(String id, String name, String tenant, String network, String peerNetwork,
            boolean allowForwardedTraffic, PeeringState state, String stateDetail, Instant createdAt,
            Instant updatedAt, RealisationStatus status, String statusDetail) {
        this(id, name, tenant, null, network, peerNetwork, List.of(), List.of(), true, allowForwardedTraffic, false,
                state, stateDetail, createdAt, updatedAt, status, statusDetail, null);
    }

    /**
     * @param realised the status the reconciler reports
     * @param detail its explanation
     * @return this peering with that status
     */
    public Peering withStatus(RealisationStatus realised, String detail) {
        return new Peering(id, name, tenant, peerTenant, network, peerNetwork, networkCidrs, peerCidrs,
                allowVirtualNetworkAccess, allowForwardedTraffic, autoSync, state, stateDetail, createdAt, updatedAt,
                realised, detail, syncState);
    }

    /**
     * @param newState the state
     * @param detail its explanation
     * @param at when it changed
     * @return this peering in that state
     */
    public Peering withState(PeeringState newState, String detail, Instant at) {
        return new Peering(id, name, tenant, peerTenant, network, peerNetwork, networkCidrs, peerCidrs,
                allowVirtualNetworkAccess, allowForwardedTraffic, autoSync, newState, detail, createdAt, at,
                status, statusDetail, null);
    }

    /**
     * @param owner the peer side's tenant
     * @param requesting the requesting network's address space now
     * @param peer the peer network's address space now
     * @param at when they were recorded
     * @return this peering with these address spaces recorded (synced)
     */
    public Peering withRecorded(String owner, List<String> requesting, List<String> peer, Instant at) {
        return new Peering(id, name, tenant, owner, network, peerNetwork, requesting, peer,
                allowVirtualNetworkAccess, allowForwardedTraffic, autoSync, state, stateDetail, createdAt, at,
                status, statusDetail, null);
    }

    /**
     * @param newName the name
     * @param access {@code allowVirtualNetworkAccess}
     * @param forwarded {@code allowForwardedTraffic}
     * @param sync {@code autoSync}
     * @param at when they changed
     * @return this peering with that name and those flags
     */
    public Peering withSettings(String newName, boolean access, boolean forwarded, boolean sync, Instant at) {
        return new Peering(id, newName, tenant, peerTenant, network, peerNetwork, networkCidrs, peerCidrs, access,
                forwarded, sync, state, stateDetail, createdAt, at, status, statusDetail, null);
    }

    /**
     * @param sync the sync state as its reader sees it
     * @return this peering as shown to that reader
     */
    public Peering withSyncState(PeeringSyncState sync) {
        return new Peering(id, name, tenant, peerTenant, network, peerNetwork, networkCidrs, peerCidrs,
                allowVirtualNetworkAccess, allowForwardedTraffic, autoSync, state, stateDetail, createdAt, updatedAt,
                status, statusDetail, sync);
    }

    /**
     * @param networkId one of the two networks
     * @return that side's address space as recorded at the last sync (empty when nothing was recorded)
     * @throws IllegalArgumentException when the network is not a side of this peering
     */
    public List<String> recordedCidrs(String networkId) {
        if (network.equals(networkId)) {
            return networkCidrs;
        }
        if (peerNetwork.equals(networkId)) {
            return peerCidrs;
        }
        throw new IllegalArgumentException("Network " + networkId + " is not a side of peering " + id);
    }

    /**
     * The address space of one side that the peering routes: as recorded at its last sync, or, for a peering stored
     * before address spaces were recorded, the network's current one.
     *
     * @param side one of the two networks, as it is now
     * @return the prefixes routed to that side over the peering
     */
    public List<String> routedCidrs(Network side) {
        List<String> recorded = recordedCidrs(side.id());
        return recorded.isEmpty() ? side.cidrs() : recorded;
    }

    /**
     * @param side one of the two networks, as it is now
     * @return whether the peering routes exactly that side's current address space
     */
    public boolean isInSyncWith(Network side) {
        return Set.copyOf(routedCidrs(side)).equals(Set.copyOf(side.cidrs()));
    }

    /**
     * @param networkId one of the two networks
     * @return the id of the other one
     */
    public String otherSide(String networkId) {
        return network.equals(networkId) ? peerNetwork : network;
    }

    /**
     * @return whether the peering still binds its pair of networks (pending or active)
     */
    public boolean isLive() {
        return state == PeeringState.PENDING_ACCEPTANCE || state == PeeringState.ACTIVE;
    }

    /**
     * @param networkId a network id
     * @return whether that network is one of the two sides
     */
    public boolean involves(String networkId) {
        return network.equals(networkId) || peerNetwork.equals(networkId);
    }
}
