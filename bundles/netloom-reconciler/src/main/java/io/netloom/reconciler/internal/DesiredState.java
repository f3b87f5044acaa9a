package io.netloom.reconciler.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.Port;
import io.netloom.api.model.Subnet;
import io.netloom.api.routing.Route;

/**
 * What a node should hold, computed from the model, the route tables and the compiled filter rules.
 */
final class DesiredState {

    private DesiredState() {
    }

    /** Everything one node's configuration is made of. */
    record Inputs(List<Network> networks, Map<String, List<Subnet>> subnets, List<Port> ports,
            Map<String, List<Route>> routes, Map<String, Peering> peerings, Map<String, List<FilterRule>> filters) {
    }

    static NodeConfig compute(String node, Inputs in) {
        List<ConfigEntry> entries = new ArrayList<>();
        Map<String, Subnet> subnetById = new HashMap<>();
        for (Network network : in.networks()) {
            for (Subnet s : in.subnets().getOrDefault(network.id(), List.of())) {
                subnetById.put(s.id(), s);
                entries.add(new SegmentEntry(network.id(), s.id(), s.cidr(), s.gateway()));
            }
            for (Route r : in.routes().getOrDefault(network.id(), List.of())) {
                String peer = null;
                boolean forwarded = false;
                if (r.target().startsWith("peering:")) {
                    Peering p = in.peerings().get(r.target().substring("peering:".length()));
                    if (p == null) {
                        continue;
                    }
                    peer = p.network().equals(network.id()) ? p.peerNetwork() : p.network();
                    forwarded = p.allowForwardedTraffic();
                }
                entries.add(new RouteEntry(network.id(), r.destination(), r.target(), peer, forwarded));
            }
        }
        for (Port port : in.ports()) {
            Subnet subnet = subnetById.get(port.subnet());
            if (subnet == null) {
                continue;
            }
            entries.add(new PortEntry(port.id(), port.network(), port.subnet(), port.ip(), port.mac(),
                    subnet.gateway(), port.bindingIfAny().map(b -> b.type()).orElse(null),
                    port.bindingIfAny().map(b -> b.target()).orElse(null)));
            for (FilterRule rule : in.filters().getOrDefault(port.id(), List.of())) {
                entries.add(new FilterEntry(rule));
            }
        }
        return NodeConfig.of(node, entries);
    }
}
