package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.SecurityGroupAdminService;

/**
 * {@code vnet:sg-delete GROUP}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-delete",
        description = "Deletes a security group; refused while ports or rules use it")
public class SecurityGroupDeleteCommand extends SecurityGroupCommand {

    @Reference
    SecurityGroupAdminService groups;

    @Override
    void doExecute() {
        groups.deleteGroup(caller(), group);
        out().println("Deleted security group " + group);
    }
}
