package io.netloom.api.topology;

import java.util.List;

import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.Port;

/**
 * Everything needed to draw the virtual network: data-plane nodes, networks, ports, peerings and the links
 * between them.
 *
 * @param nodes data-plane nodes (one per driver type in use)
 * @param networks the networks
 * @param ports the ports
 * @param peerings the peerings
 * @param links edges: {@code port → network} ({@code attachment}), {@code network ↔ network} ({@code peering}),
 *     {@code network → node} ({@code realisation})
 */
public record Topology(List<TopologyNode> nodes, List<Network> networks, List<Port> ports, List<Peering> peerings,
        List<Link> links) {

    /**
     * Freezes the lists.
     */
    public Topology {
        nodes = List.copyOf(nodes);
        networks = List.copyOf(networks);
        ports = List.copyOf(ports);
        peerings = List.copyOf(peerings);
        links = List.copyOf(links);
    }
}
