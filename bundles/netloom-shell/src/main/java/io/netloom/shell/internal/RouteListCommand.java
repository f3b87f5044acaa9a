package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;

/**
 * {@code vnet:route-list NETWORK}: the network's effective route table, longest prefix first.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "route-list",
        description = "Lists a network's effective routes: local, and over active peerings")
public class RouteListCommand extends NetworkCommand {

    @Reference(optional = true)
    RoutingService routing;

    @Override
    void doExecute() {
        List<Route> routes = policy(routing, "routing").routes(caller(), network);
        print(routes, () -> {
            ShellTable table = new ShellTable();
            table.column("Destination");
            table.column("Target");
            table.column("Origin");
            for (Route r : routes) {
                table.addRow().addContent(r.destination(), r.target(), r.origin());
            }
            print(table);
        });
    }
}
