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
public class PeeringListCommand extends ListCommandSupport {

    @Reference
    PeeringService peerings;

    @Override
    void doExecute() {
        List<Peering> page = withStatus(page(peerings.peerings(caller()), Peering::id));
        print(page, () -> table(this, page));
    }

    static void table(VnetCommandSupport c, List<Peering> peerings) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Network");
        table.column("Peer network");
        table.column("State");
        table.column("Sync");
        table.column("Network access");
        table.column("Forwarded traffic");
        table.column("Auto-sync");
        for (Peering p : peerings) {
            table.addRow().addContent(p.id(), p.name(), p.network(), p.peerNetwork(), p.state(),
                    p.syncState() == null ? "-" : p.syncState(), p.allowVirtualNetworkAccess() ? "allowed" : "blocked",
                    p.allowForwardedTraffic() ? "allowed" : "blocked", p.autoSync() ? "on" : "off");
        }
        c.print(table);
    }
}
