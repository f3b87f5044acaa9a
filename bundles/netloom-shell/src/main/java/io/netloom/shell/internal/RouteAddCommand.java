package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.StaticRouteSpec;

/**
 * {@code vnet:route-add --destination C --next-hop A NETWORK}: a static route through a port of the network.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "route-add",
        description = "Adds a static route to a network: traffic to the destination goes to the next hop")
public class RouteAddCommand extends NetworkCommand {

    @Option(name = "--destination", description = "The destination prefix", required = true)
    String destination;

    @Option(name = "--next-hop", description = "The next-hop address, in one of the network's subnets",
            required = true)
    String nextHop;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        StaticRoute r = networks.addStaticRoute(caller(), network, new StaticRouteSpec(destination, nextHop));
        print(r, () -> out().println("Added static route " + r.id() + ": " + r.destination() + " via " + r.nextHop()));
    }
}
