package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;

/**
 * {@code vnet:peering-list}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-list", description = "Lists the peerings")
public class PeeringListCommand extends VnetCommandSupport {

    @Reference
    PeeringService peerings;

    @Override
    void doExecute() {
        List<Peering> all = peerings.peerings(caller());
        if (json) {
            printJson(all);
            return;
        }
        table(this, all);
    }

    static void table(VnetCommandSupport c, List<Peering> peerings) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Network");
        table.column("Peer network");
        table.column("State");
        table.column("Forwarded traffic");
        for (Peering p : peerings) {
            table.addRow().addContent(p.id(), p.name(), p.network(), p.peerNetwork(), p.state(),
                    p.allowForwardedTraffic() ? "allowed" : "blocked");
        }
        c.print(table);
    }
}
