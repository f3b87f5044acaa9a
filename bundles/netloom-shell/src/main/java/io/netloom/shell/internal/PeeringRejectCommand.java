package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.shell.internal.completers.PeeringCompleter;

/**
 * {@code vnet:peering-reject PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-reject",
        description = "Rejects a pending peering (peer network side)")
public class PeeringRejectCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "peering", description = "Peering id or name", required = true)
    @Completion(PeeringCompleter.class)
    String peering;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        Peering p = peerings.reject(caller(), peering);
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }
}
