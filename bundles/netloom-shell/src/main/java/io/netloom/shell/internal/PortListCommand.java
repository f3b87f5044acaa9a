package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:port-list [--network NETWORK]}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-list", description = "Lists ports, optionally of one network")
public class PortListCommand extends ListCommandSupport {

    @Option(name = "--network", description = "Only the ports of this network")
    @Completion(NetworkCompleter.class)
    String network;

    @Reference
    PortService ports;

    @Override
    void doExecute() {
        List<Port> page = withStatus(page(ports.ports(caller(), Optional.ofNullable(network)), Port::id));
        print(page, () -> table(this, page));
    }

    static void table(VnetCommandSupport c, List<Port> ports) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Network");
        table.column("IP");
        table.column("MAC");
        table.column("Groups");
        table.column("Binding");
        table.column("Host");
        table.column("Status");
        for (Port p : ports) {
            table.addRow().addContent(p.id(), p.name(), p.network(), orDash(p.ip()), p.mac(),
                    orDash(String.join(",", p.securityGroups())),
                    p.bindingIfAny().map(b -> b.type() + ":" + b.target()).orElse("-"), orDash(p.host()),
                    p.quarantined() ? p.status() + " QUARANTINED" : p.adminDown() ? p.status() + " ADMIN_DOWN"
                            : p.status());
        }
        c.print(table);
    }
}
