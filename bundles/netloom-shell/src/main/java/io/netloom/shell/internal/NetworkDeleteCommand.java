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
 * {@code vnet:network-delete NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-delete",
        description = "Deletes a network (and its subnets); refused while ports or peerings use it")
public class NetworkDeleteCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        networks.deleteNetwork(caller(), network);
        out().println("Deleted network " + network);
    }
}
