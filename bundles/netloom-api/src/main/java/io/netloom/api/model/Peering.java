package io.netloom.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A one-to-one, non-transitive link between two networks.
 *
 * @param id server-generated id
 * @param name the user's name for it
 * @param tenant the tenant of the requesting side
 * @param network the id of the requesting network
 * @param peerNetwork the id of the peer network
 * @param allowForwardedTraffic whether traffic that did not originate in the peer network may cross
 * @param state where it is in its life
 * @param stateDetail a sentence explaining the state, empty when there is nothing to add
 * @param createdAt when it was requested
 * @param updatedAt when its state last changed
 * @param status how far its routes (or, once it is no longer active, their removal) are realised on the data planes
 *     of both networks; {@code PENDING} as stored, the reconciler reports the current one
 * @param statusDetail a sentence explaining the status, empty when there is nothing to add
 */
public record Peering(String id, String name, String tenant, String network, String peerNetwork,
        boolean allowForwardedTraffic, PeeringState state, String stateDetail, Instant createdAt,
        Instant updatedAt, RealisationStatus status, String statusDetail) {

    /**
     * Checks that no component is missing; a peering stored without a status is {@code PENDING}.
     */
    public Peering {
        status = status == null ? RealisationStatus.PENDING : status;
        statusDetail = statusDetail == null ? "" : statusDetail;
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
     * A peering with the status it is stored with ({@code PENDING}).
     */
    public Peering(String id, String name, String tenant, String network, String peerNetwork,
            boolean allowForwardedTraffic, PeeringState state, String stateDetail, Instant createdAt,
            Instant updatedAt) {
        this(id, name, tenant, network, peerNetwork, allowForwardedTraffic, state, stateDetail, createdAt, updatedAt,
                RealisationStatus.PENDING, "");
    }

    /**
     * @param realised the status the reconciler reports
     * @param detail its explanation
     * @return this peering with that status
     */
    public Peering withStatus(RealisationStatus realised, String detail) {
        return new Peering(id, name, tenant, network, peerNetwork, allowForwardedTraffic, state, stateDetail,
                createdAt, updatedAt, realised, detail);
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
