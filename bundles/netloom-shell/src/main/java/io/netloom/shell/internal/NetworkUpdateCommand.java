package io.netloom.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.ValidationException;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkUpdate;

/**
 * {@code vnet:network-update [--name N] [--description D] [--add-cidr C]... [--remove-cidr C]... NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "network-update", description = "Changes a network's name, "
        + "description or address space (a removed prefix must be free of subnets and active peerings' routes)")
public class NetworkUpdateCommand extends NetworkCommand {

    @Option(name = "--name", description = "The new name")
    String name;

    @Option(name = "--description", description = "The new description (empty to remove it)")
    String description;

    @Option(name = "--add-cidr", description = "A prefix to add to the address space (repeat for more)",
            multiValued = true)
    List<String> add;

    @Option(name = "--remove-cidr", description = "A prefix to remove from the address space (repeat for more)",
            multiValued = true)
    List<String> remove;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        Optional<List<String>> cidrs = Optional.empty();
        if (add != null || remove != null) {
            List<String> space = new ArrayList<>(networks.network(caller(), network).cidrs());
            for (String prefix : remove == null ? List.<String>of() : remove) {
                if (!space.remove(prefix)) {
                    throw new ValidationException("UNKNOWN_CIDR", prefix + " is not a prefix of the network's "
                            + "address space " + space, "--remove-cidr");
                }
            }
            space.addAll(add == null ? List.of() : add);
            cidrs = Optional.of(space);
        }
        Network n = withStatus(networks.updateNetwork(caller(), network, new NetworkUpdate(Optional.ofNullable(name),
                Optional.ofNullable(description), cidrs)));
        print(n, () -> NetworkListCommand.table(this, List.of(n)));
    }
}
