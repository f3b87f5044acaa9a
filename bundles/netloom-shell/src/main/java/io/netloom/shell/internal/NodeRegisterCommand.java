package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.google.gson.JsonObject;

import io.netloom.api.agent.NodeCredentialService;
import io.netloom.api.codec.JsonCodec;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeAdminService;
import io.netloom.api.model.NodeSpec;

/**
 * {@code vnet:node-register --driver TYPE --underlay ADDRESS NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "node-register", description = "Registers a host as a data-plane "
        + "node (DOWN until its first heartbeat) and prints its agent's credential, once; administrators only")
public class NodeRegisterCommand extends OneArgumentCommand {

    @Option(name = "--driver", description = "The driver type its data plane runs", required = true)
    String driver;

    @Option(name = "--underlay", description = "The address other nodes reach it at", required = true)
    String underlay;

    @Argument(index = 0, name = "name", description = "The node's name", required = true)
    String name;

    @Reference
    NodeAdminService nodes;

    @Reference
    NodeCredentialService credentials;

    @Override
    void doExecute() {
        Node n = nodes.register(caller(), new NodeSpec(name, driver, underlay));
        String secret = credentials.issue(caller(), n.id());
        // As POST /nodes answers: the node with its credential, shown this once.
        JsonObject answer = JsonCodec.gson().toJsonTree(n).getAsJsonObject();
        answer.addProperty("credential", secret);
        print(answer, () -> {
            NodeListCommand.table(this, List.of(n));
            out().println("Credential of node " + n.id() + " (shown once; put it in the node's "
                    + "etc/netloom-node.credential):");
            out().println(secret);
        });
    }
}
