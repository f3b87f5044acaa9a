package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;

/**
 * {@code vnet:network-delete NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-delete",
        description = "Deletes a network (and its subnets); refused while ports or peerings use it")
public class NetworkDeleteCommand extends NetworkCommand {

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        networks.deleteNetwork(caller(), network);
        out().println("Deleted network " + network);
    }
}
