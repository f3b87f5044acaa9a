package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Node;
import io.netloom.api.model.NodeAdminService;
import io.netloom.api.model.NodeSpec;

/**
 * {@code vnet:node-register --driver TYPE --underlay ADDRESS NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-register", description = "Registers a host as a data-plane "
        + "node (DOWN until its first heartbeat); administrators only")
public class NodeRegisterCommand extends OneArgumentCommand {

    @Option(name = "--driver", description = "The driver type its data plane runs", required = true)
    String driver;

    @Option(name = "--underlay", description = "The address other nodes reach it at", required = true)
    String underlay;

    @Argument(index = 0, name = "name", description = "The node's name", required = true)
    String name;

    @Reference
    NodeAdminService nodes;

    @Override
    void doExecute() {
        Node n = nodes.register(caller(), new NodeSpec(name, driver, underlay));
        print(n, () -> NodeListCommand.table(this, List.of(n)));
    }
}
