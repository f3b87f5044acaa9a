package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkSpec;

/**
 * {@code vnet:network-create --cidr 10.1.0.0/16 [--driver ovs] NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-create",
        description = "Creates a network with its address space")
public class NetworkCreateCommand extends OneArgumentCommand {

    @Option(name = "--cidr", description = "A prefix of the address space (repeat for more)", required = true,
            multiValued = true)
    List<String> cidrs;

    @Option(name = "--driver", description = "The driver type (default: the configured default driver)")
    String driver;

    @Option(name = "--pending-driver", description = "Accept a driver type that is not registered yet; the network "
            + "waits for it (administrators only)")
    boolean pendingDriver;

    @Argument(index = 0, name = "name", description = "The network's name", required = true)
    String name;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        Network n = networks.createNetwork(caller(), new NetworkSpec(name, cidrs, driver, pendingDriver));
        print(n, () -> NetworkListCommand.table(this, List.of(n)));
    }
}
