package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;

/**
 * {@code vnet:node-list}: the data-plane nodes.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-list",
        description = "Lists the data-plane nodes: the controller's own and the registered hosts")
public class NodeListCommand extends VnetCommandSupport {

    @Reference
    NodeService nodes;

    @Override
    void doExecute() {
        List<Node> all = nodes.nodes(caller());
        print(all, () -> table(this, all));
    }

    static void table(VnetCommandSupport c, List<Node> nodes) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Driver");
        table.column("Underlay");
        table.column("Agent");
        table.column("Status");
        table.column("Realised").alignRight();
        table.column("Ports").alignRight();
        table.column("Last heartbeat");
        for (Node n : nodes) {
            table.addRow().addContent(n.id(), n.name(), n.driver(),
                    n.local() ? "(local)" : n.underlayAddress(), orDash(n.agentVersion()), n.status(),
                    n.realisedRevision(), n.portCount(), n.lastHeartbeat() == null ? "-" : n.lastHeartbeat());
        }
        c.print(table);
    }
}
