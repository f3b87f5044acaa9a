package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;

/**
 * {@code vnet:network-show NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-show", description = "Shows a network with its subnets")
public class NetworkShowCommand extends NetworkCommand {

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
