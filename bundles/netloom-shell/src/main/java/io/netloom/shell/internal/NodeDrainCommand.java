package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Node;
import io.netloom.api.model.NodeAdminService;

/**
 * {@code vnet:node-drain [--resume] NODE}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-drain", description = "Drains a node: its ports stay, new "
        + "ports are refused there (--resume takes it back); administrators only")
public class NodeDrainCommand extends NodeCommand {

    @Option(name = "--resume", description = "Take new ports again")
    boolean resume;

    @Reference
    NodeAdminService nodes;

    @Override
    void doExecute() {
        Node n = nodes.setDraining(caller(), node, !resume);
        print(n, () -> NodeListCommand.table(this, List.of(n)));
    }
}
