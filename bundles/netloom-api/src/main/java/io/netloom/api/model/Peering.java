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
 */
public record Peering(String id, String name, String tenant, String network, String peerNetwork,
        boolean allowForwardedTraffic, PeeringState state, String stateDetail, Instant createdAt,
        Instant updatedAt) {

    /**
     * Checks that no component is missing.
     */
    public Peering {
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
