package io.netloom.shell.internal;

import java.util.List;

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

    @Argument(index = 2, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        networks.removeStaticRoute(caller(), network, route);
        out().println("Removed static route " + route + " from " + network);
    }
}
