package io.netloom.api.model;

/**
 * A request to peer two networks.
 *
 * @param name the name
 * @param network the requesting network, id or name
 * @param peerNetwork the peer network, id or name
 * @param allowForwardedTraffic whether traffic not originating in the peer may cross
 * @param autoAccept whether to accept at once (the caller must see both networks)
 */
public record PeeringSpec(String name, String network, String peerNetwork, boolean allowForwardedTraffic,
        boolean autoAccept) {
}
