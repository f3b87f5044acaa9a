package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetUpdate;
import io.netloom.shell.internal.completers.SubnetCompleter;

/**
 * {@code vnet:subnet-update --name N SUBNET}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-update", description = "Renames a subnet")
public class SubnetUpdateCommand extends VnetCommandSupport {

    @Option(name = "--name", description = "The new name", required = true)
    String name;

    @Argument(index = 0, name = "subnet", description = "Subnet id or name", required = true)
    @Completion(SubnetCompleter.class)
    String subnet;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        Subnet s = networks.updateSubnet(caller(), subnet, new SubnetUpdate(Optional.of(name)));
        print(s, () -> SubnetListCommand.table(this, List.of(s)));
    }
}
