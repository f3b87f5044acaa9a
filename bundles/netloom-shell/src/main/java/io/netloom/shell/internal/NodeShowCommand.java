package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;

/**
 * {@code vnet:node-show NODE}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-show", description = "Shows one data-plane node")
public class NodeShowCommand extends NodeCommand {

    @Reference
    NodeService nodes;

    @Override
    void doExecute() {
        Node n = nodes.node(caller(), node);
        print(n, () -> {
            NodeListCommand.table(this, List.of(n));
            if (!n.statusDetail().isEmpty()) {
                out().println(n.statusDetail());
            }
        });
    }
}
