package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:subnet-create --network NETWORK --cidr C [--gateway G] NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-create", description = "Creates a subnet in a network")
public class SubnetCreateCommand extends OneArgumentCommand {

    @Option(name = "--network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Option(name = "--cidr", description = "The subnet's prefix, inside the network's address space", required = true)
    String cidr;

    @Option(name = "--gateway", description = "The gateway address (default: the first host)")
    String gateway;

    @Argument(index = 0, name = "name", description = "The subnet's name", required = true)
    String name;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        Subnet s = networks.createSubnet(caller(), network, new SubnetSpec(name, cidr, gateway));
        print(s, () -> SubnetListCommand.table(this, List.of(s)));
    }
}
