package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;

/**
 * {@code vnet:peering-show PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-show", description = "Shows a peering")
public class PeeringShowCommand extends PeeringCommand {

    @Reference
    PeeringService peerings;

    @Override
    void doExecute() {
        Peering p = peerings.peering(caller(), peering);
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }
}
