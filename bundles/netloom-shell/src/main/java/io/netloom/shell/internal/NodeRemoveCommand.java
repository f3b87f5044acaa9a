package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NodeAdminService;
import io.netloom.shell.internal.completers.NodeCompleter;

/**
 * {@code vnet:node-remove NODE}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-remove", description = "Removes a registered node without "
        + "ports; administrators only")
public class NodeRemoveCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "node", description = "Node id or name", required = true)
    @Completion(NodeCompleter.class)
    String node;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NodeAdminService nodes;

    @Override
    void doExecute() {
        nodes.remove(caller(), node);
        out().println("Node " + node + " removed");
    }
}
