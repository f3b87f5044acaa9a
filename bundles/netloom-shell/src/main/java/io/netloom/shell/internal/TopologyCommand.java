package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.topology.Link;
import io.netloom.api.topology.Topology;
import io.netloom.api.topology.TopologyNode;
import io.netloom.api.topology.TopologyService;

/**
 * {@code vnet:topology}: nodes, networks, ports, peerings and the links between them.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "topology",
        description = "Shows the topology: data-plane nodes, networks, ports, peerings and their links")
public class TopologyCommand extends VnetCommandSupport {

    @Reference(optional = true)
    TopologyService topology;

    @Override
    void doExecute() {
        Topology t = policy(topology, "topology").topology(caller());
        print(t, () -> {
            ShellTable nodes = new ShellTable();
            nodes.column("Node");
            nodes.column("Driver");
            nodes.column("Status");
            for (TopologyNode n : t.nodes()) {
                nodes.addRow().addContent(n.id(), n.driver(), n.status());
            }
            print(nodes);
            NetworkListCommand.table(this, withStatus(t.networks()));
            ShellTable links = new ShellTable();
            links.column("From");
            links.column("To");
            links.column("Kind");
            links.column("State");
            for (Link l : t.links()) {
                links.addRow().addContent(l.from(), l.to(), l.kind(), orDash(l.state()));
            }
            print(links);
        });
    }
}
