package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetUpdate;

/**
 * {@code vnet:subnet-update --name N SUBNET}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-update", description = "Renames a subnet")
public class SubnetUpdateCommand extends SubnetCommand {

    @Option(name = "--name", description = "The new name", required = true)
    String name;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        Subnet s = networks.updateSubnet(caller(), subnet, new SubnetUpdate(Optional.of(name)));
        print(s, () -> SubnetListCommand.table(this, List.of(s)));
    }
}
