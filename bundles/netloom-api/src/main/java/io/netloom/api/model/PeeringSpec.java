package io.netloom.api.model;

/**
 * A request to peer two networks.
 *
 * @param name the name
 * @param network the requesting network, id or name
 * @param peerNetwork the peer network, id or name
 * @param allowForwardedTraffic whether traffic not originating in the peer may cross
 * @param autoAccept whether to accept at once (the caller must see both networks)
 * @param allowVirtualNetworkAccess whether the peering carries traffic at all once active
 * @param autoSync whether address-space changes are synced at once
 */
public record PeeringSpec(String name, String network, String peerNetwork, boolean allowForwardedTraffic,
        boolean autoAccept, boolean allowVirtualNetworkAccess, boolean autoSync) {

    /**
     * A request with virtual network access and without auto-sync.
     *
     * @param name the name
     * @param network the requesting network, id or name
     * @param peerNetwork the peer network, id or name
     * @param allowForwardedTraffic whether traffic not originating in the peer may cross
     * @param autoAccept whether to accept at once
     */
    public PeeringSpec(String name, String network, String peerNetwork, boolean allowForwardedTraffic,
            boolean autoAccept) {
        this(name, network, peerNetwork, allowForwardedTraffic, autoAccept, true, false);
    }
}
