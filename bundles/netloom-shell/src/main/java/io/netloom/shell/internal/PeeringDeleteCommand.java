package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.PeeringAdminService;
import io.netloom.shell.internal.completers.PeeringCompleter;

/**
 * {@code vnet:peering-delete PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-delete", description = "Deletes a peering (either side)")
public class PeeringDeleteCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "peering", description = "Peering id or name", required = true)
    @Completion(PeeringCompleter.class)
    String peering;

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        peerings.deletePeering(caller(), peering);
        out().println("Deleted peering " + peering);
    }
}
