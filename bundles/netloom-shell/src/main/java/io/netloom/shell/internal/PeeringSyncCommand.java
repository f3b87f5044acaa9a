package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;

/**
 * {@code vnet:peering-sync PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-sync", description = "Syncs an active peering with both "
        + "networks' current address spaces, so that its routes cover them (either side)")
public class PeeringSyncCommand extends PeeringCommand {

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        Peering p = withStatus(peerings.sync(caller(), peering));
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }
}
