package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NodeAdminService;

/**
 * {@code vnet:node-remove NODE}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-remove", description = "Removes a registered node without "
        + "ports; administrators only")
public class NodeRemoveCommand extends NodeCommand {

    @Reference
    NodeAdminService nodes;

    @Override
    void doExecute() {
        nodes.remove(caller(), node);
        out().println("Node " + node + " removed");
    }
}
