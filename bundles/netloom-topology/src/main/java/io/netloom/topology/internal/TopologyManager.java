package io.netloom.topology.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.topology.Link;
import io.netloom.api.topology.Topology;
import io.netloom.api.topology.TopologyNode;
import io.netloom.api.topology.TopologyService;

/**
 * Builds the graph of what a caller sees from the model services and the driver registry, on every request. Nothing
 * is cached: the graph is cheap to derive and a cache would need the model's events to stay right.
 */
@Component(service = TopologyService.class)
public class TopologyManager implements TopologyService {

    /** Status of a node whose driver type has no registered driver. */
    static final String DRIVER_MISSING = "DRIVER_MISSING";
    static final String NODE_PREFIX = "node-";
    static final String ATTACHMENT = "attachment";
    static final String PEERING = "peering";
    static final String REALISATION = "realisation";

    private static final Logger LOG = LoggerFactory.getLogger(TopologyManager.class);

    @Reference
    private NetworkService networks;

    @Reference
    private PortService ports;

    @Reference
    private PeeringService peerings;

    @Reference
    private DriverRegistry drivers;

    /** Used by the component runtime. */
    public TopologyManager() {
    }

    /**
     * For tests.
     *
     * @param networks reads networks
     * @param ports reads ports
     * @param peerings reads peerings
     * @param drivers the registered drivers
     */
    TopologyManager(NetworkService networks, PortService ports, PeeringService peerings, DriverRegistry drivers) {
        this.networks = networks;
        this.ports = ports;
        this.peerings = peerings;
        this.drivers = drivers;
    }

    @Override
    public Topology topology(Caller caller) {
        List<Network> visibleNetworks = networks.networks(caller);
        Set<String> networkIds = new HashSet<>();
        visibleNetworks.forEach(n -> networkIds.add(n.id()));
        // The three reads are not one transaction: a port created after the network list was read would point at
        // a network missing from the graph, so only ports of the networks read are kept.
        List<Port> visiblePorts = ports.ports(caller, Optional.empty()).stream()
                .filter(p -> networkIds.contains(p.network()))
                .toList();
        // The peering service returns every peering with at least one visible side; the other side may be another
        // tenant's network, which the link names by id only.
        List<Peering> visiblePeerings = peerings.peerings(caller);

        List<TopologyNode> nodes = nodes(visibleNetworks);
        List<Link> links = new ArrayList<>();
        for (Network network : visibleNetworks) {
            links.add(new Link(network.id(), nodeId(network.driver()), REALISATION, null));
        }
        for (Port port : visiblePorts) {
            links.add(new Link(port.id(), port.network(), ATTACHMENT, null));
        }
        for (Peering peering : visiblePeerings) {
            links.add(new Link(peering.network(), peering.peerNetwork(), PEERING, peering.state().name()));
        }
        LOG.debug("Topology for {}: {} nodes, {} networks, {} ports, {} peerings", caller.user(), nodes.size(),
                visibleNetworks.size(), visiblePorts.size(), visiblePeerings.size());
        return new Topology(nodes, visibleNetworks, visiblePorts, visiblePeerings, links);
    }

    private List<TopologyNode> nodes(List<Network> visibleNetworks) {
        Set<String> types = new TreeSet<>();
        visibleNetworks.forEach(n -> types.add(n.driver()));
        if (types.isEmpty()) {
            return List.of();
        }
        List<DriverDescriptor> registered = drivers.drivers();
        List<TopologyNode> nodes = new ArrayList<>(types.size());
        for (String type : types) {
            nodes.add(new TopologyNode(nodeId(type), type, statusOf(type, registered)));
        }
        return nodes;
    }

    /**
     * The selected driver of a type is the one the registry does not report as standing by; a type whose drivers
     * all stand by cannot occur in a consistent registry, and is reported as missing rather than guessed at.
     */
    private static String statusOf(String type, List<DriverDescriptor> registered) {
        return registered.stream()
                .filter(d -> d.type().equals(type) && d.status() != DriverStatus.STANDBY)
                .findFirst()
                .map(d -> d.status().name())
                .orElse(DRIVER_MISSING);
    }

    static String nodeId(String driverType) {
        return NODE_PREFIX + driverType;
    }
}
