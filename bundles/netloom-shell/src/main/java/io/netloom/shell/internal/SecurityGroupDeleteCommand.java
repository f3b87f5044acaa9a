package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.shell.internal.completers.SecurityGroupCompleter;

/**
 * {@code vnet:sg-delete GROUP}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-delete",
        description = "Deletes a security group; refused while ports or rules use it")
public class SecurityGroupDeleteCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "group", description = "Security group id or name", required = true)
    @Completion(SecurityGroupCompleter.class)
    String group;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    SecurityGroupAdminService groups;

    @Override
    void doExecute() {
        groups.deleteGroup(caller(), group);
        out().println("Deleted security group " + group);
    }
}
