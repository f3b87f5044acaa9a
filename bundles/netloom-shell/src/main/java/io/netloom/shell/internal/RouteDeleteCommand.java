package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:route-delete NETWORK ROUTE}: removes a static route.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "route-delete", description = "Removes a static route")
public class RouteDeleteCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Argument(index = 1, name = "route", description = "Static route id", required = true)
    String route;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        networks.removeStaticRoute(caller(), network, route);
        out().println("Removed static route " + route + " from " + network);
    }
}
