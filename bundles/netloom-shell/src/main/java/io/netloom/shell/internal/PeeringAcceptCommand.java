package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;

/**
 * {@code vnet:peering-accept PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-accept",
        description = "Accepts a pending peering (peer network side)")
public class PeeringAcceptCommand extends PeeringCommand {

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        Peering p = peerings.accept(caller(), peering);
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }
}
