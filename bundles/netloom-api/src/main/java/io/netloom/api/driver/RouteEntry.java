package io.netloom.api.driver;

import java.util.Objects;

/**
 * An L3 forwarding entry of a network's distributed router.
 *
 * @param network the network id
 * @param destination the destination prefix
 * @param target {@code local}, {@code peering:ID} or a next-hop address
 * @param peerNetwork for a peering route, the network the traffic enters; for a next-hop route whose next hop lies
 *     in a peered network (an appliance of a hub), that network; else {@code null}
 * @param allowForwarded for a peering route, whether the peering lets forwarded traffic cross: traffic whose source
 *     is outside the address space of the route's network (it did not originate there, an appliance forwarded it)
 *     enters the peer network only when this is set, and is dropped at the peering otherwise
 */
public record RouteEntry(String network, String destination, String target, String peerNetwork,
        boolean allowForwarded) implements ConfigEntry {

    /**
     * Checks that no required component is missing.
     */
    public RouteEntry {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(target, "target");
    }

    @Override
    public String key() {
        return "route:" + network + ":" + destination;
    }

    @Override
    public String owner() {
        return network;
    }
}
