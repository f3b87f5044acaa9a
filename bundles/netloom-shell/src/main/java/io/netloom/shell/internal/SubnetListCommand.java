package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Subnet;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:subnet-list NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-list", description = "Lists the subnets of a network")
public class SubnetListCommand extends ListCommandSupport {

    @Argument(index = 0, name = "network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NetworkService networks;

    @Override
    void doExecute() {
        List<Subnet> page = page(networks.subnets(caller(), network), Subnet::id);
        print(page, () -> table(this, page));
    }

    static void table(VnetCommandSupport c, List<Subnet> subnets) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Network");
        table.column("CIDR");
        table.column("Gateway");
        for (Subnet s : subnets) {
            table.addRow().addContent(s.id(), s.name(), s.network(), s.cidr(), s.gatewayIfAny().orElse("-"));
        }
        c.print(table);
    }
}
