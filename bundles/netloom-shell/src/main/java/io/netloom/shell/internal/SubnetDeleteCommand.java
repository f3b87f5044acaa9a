package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;

/**
 * {@code vnet:subnet-delete SUBNET}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-delete",
        description = "Deletes a subnet; refused while ports use it")
public class SubnetDeleteCommand extends SubnetCommand {

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        networks.deleteSubnet(caller(), subnet);
        out().println("Deleted subnet " + subnet);
    }
}
