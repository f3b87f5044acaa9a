package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;

/**
 * {@code vnet:peering-reject PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-reject",
        description = "Rejects a pending peering (peer network side)")
public class PeeringRejectCommand extends PeeringCommand {

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        Peering p = peerings.reject(caller(), peering);
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }
}
