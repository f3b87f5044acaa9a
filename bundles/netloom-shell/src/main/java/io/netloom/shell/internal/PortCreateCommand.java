package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Binding;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.PortSpec;
import io.netloom.shell.internal.completers.NetworkCompleter;
import io.netloom.shell.internal.completers.NodeCompleter;
import io.netloom.shell.internal.completers.SecurityGroupCompleter;

/**
 * {@code vnet:port-create --network NETWORK [--subnet S] [--ip A] [--mac M] [--security-group G]... [--netns NS]
 * [--allowed-address-pair IP[,MAC]]... [--host NODE] [--no-address] [--admin-down] NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-create",
        description = "Creates a port; its IP and MAC are allocated unless given")
public class PortCreateCommand extends OneArgumentCommand {

    @Option(name = "--network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Option(name = "--subnet", description = "Subnet id or name (default: the first with a free address)")
    String subnet;

    @Option(name = "--ip", description = "The address (default: allocated)")
    String ip;

    @Option(name = "--mac", description = "The MAC address (default: generated)")
    String mac;

    @Option(name = "--security-group", description = "A security group id or name (repeat for more)",
            multiValued = true)
    @Completion(SecurityGroupCompleter.class)
    List<String> groups;

    @Option(name = "--netns", description = "Bind the port to this network namespace")
    String netns;

    @Option(name = "--allowed-address-pair", description = "An extra source address or prefix the port may send "
            + "from, optionally with its MAC: 10.200.16.0/20 or 10.200.0.9,fa:16:3e:00:00:01 (repeat for more)",
            multiValued = true)
    List<String> pairs;

    @Option(name = "--host", description = "The node (id or name) to place it on (default: the controller's own "
            + "node of the network's driver); administrators only")
    @Completion(NodeCompleter.class)
    String host;

    @Option(name = "--no-address", description = "A port without an address (L2 only; it cannot be bound yet)")
    boolean noAddress;

    @Option(name = "--admin-down", description = "Create it administratively down: nothing passes in or out")
    boolean adminDown;

    @Argument(index = 0, name = "name", description = "The port's name", required = true)
    String name;

    @Reference
    PortAdminService ports;

    @Override
    void doExecute() {
        Binding binding = netns == null ? null : new Binding(Binding.NETNS, netns);
        Port p = ports.createPort(caller(), new PortSpec(name, network, subnet, ip, mac, groups, binding,
                PortUpdateCommand.pairs(pairs), host, noAddress, adminDown));
        print(p, () -> PortListCommand.table(this, List.of(p)));
    }
}
