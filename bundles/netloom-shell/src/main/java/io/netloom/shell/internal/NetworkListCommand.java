package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;

/**
 * {@code vnet:network-list}: the networks the user sees.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-list", description = "Lists the networks")
public class NetworkListCommand extends ListCommandSupport {

    @Reference
    NetworkService networks;

    @Override
    void doExecute() {
        List<Network> page = withStatus(page(networks.networks(caller()), Network::id));
        print(page, () -> table(this, page));
    }

    static void table(VnetCommandSupport c, List<Network> networks) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("CIDRs");
        table.column("Driver");
        table.column("Status");
        table.column("Tenant");
        for (Network n : networks) {
            table.addRow().addContent(n.id(), n.name(), String.join(",", n.cidrs()), n.driver(), n.status(),
                    n.tenant());
        }
        c.print(table);
    }
}
