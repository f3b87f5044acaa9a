package io.netloom.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:network-show NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-show", description = "Shows a network with its subnets")
public class NetworkShowCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NetworkService networks;

    @Override
    void doExecute() {
        Network n = withStatus(networks.network(caller(), network));
        print(n, () -> {
            NetworkListCommand.table(this, List.of(n));
            SubnetListCommand.table(this, networks.subnets(caller(), n.id()));
        });
    }
}
