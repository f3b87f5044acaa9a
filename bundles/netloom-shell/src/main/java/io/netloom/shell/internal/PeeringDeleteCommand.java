package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.PeeringAdminService;

/**
 * {@code vnet:peering-delete PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-delete", description = "Deletes a peering (either side)")
public class PeeringDeleteCommand extends PeeringCommand {

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        peerings.deletePeering(caller(), peering);
        out().println("Deleted peering " + peering);
    }
}
