package io.netloom.routing.internal;

import java.util.Objects;

import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;

/**
 * A peering of the network whose table is built, together with the network on its other side.
 *
 * @param peering the peering, in whatever state; only an {@code ACTIVE} one contributes routes
 * @param peer the network on the other side of the peering
 */
public record PeeredNetwork(Peering peering, Network peer) {

    /**
     * Checks that no component is missing and that {@code peer} is a side of {@code peering}.
     */
    public PeeredNetwork {
        Objects.requireNonNull(peering, "peering");
        Objects.requireNonNull(peer, "peer");
        if (!peering.involves(peer.id())) {
            throw new IllegalArgumentException("Network " + peer.id() + " is not a side of peering " + peering.id());
        }
    }
}
