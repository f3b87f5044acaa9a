package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.StaticRouteSpec;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:route-add --destination C --next-hop A NETWORK}: a static route through a port of the network.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "route-add",
        description = "Adds a static route to a network: traffic to the destination goes to the next hop")
public class RouteAddCommand extends VnetCommandSupport {

    @Option(name = "--destination", description = "The destination prefix", required = true)
    String destination;

    @Option(name = "--next-hop", description = "The next-hop address, in one of the network's subnets",
            required = true)
    String nextHop;

    @Argument(index = 0, name = "network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        StaticRoute r = networks.addStaticRoute(caller(), network, new StaticRouteSpec(destination, nextHop));
        print(r, () -> out().println("Added static route " + r.id() + ": " + r.destination() + " via " + r.nextHop()));
    }
}
