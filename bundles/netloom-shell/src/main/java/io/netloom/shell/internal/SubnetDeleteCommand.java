package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.NetworkAdminService;
import io.netloom.shell.internal.completers.SubnetCompleter;

/**
 * {@code vnet:subnet-delete SUBNET}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-delete",
        description = "Deletes a subnet; refused while ports use it")
public class SubnetDeleteCommand extends VnetCommandSupport {

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
        networks.deleteSubnet(caller(), subnet);
        out().println("Deleted subnet " + subnet);
    }
}
