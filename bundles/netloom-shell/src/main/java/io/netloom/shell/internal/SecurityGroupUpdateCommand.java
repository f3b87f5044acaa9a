package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.SecurityGroupUpdate;

/**
 * {@code vnet:sg-update [--name N] [--description D] GROUP}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-update", description = "Changes a security group's name or "
        + "description")
public class SecurityGroupUpdateCommand extends SecurityGroupCommand {

    @Option(name = "--name", description = "The new name")
    String name;

    @Option(name = "--description", description = "The new description (empty to remove it)")
    String description;

    @Reference
    SecurityGroupAdminService groups;

    @Override
    void doExecute() {
        SecurityGroup g = groups.updateGroup(caller(), group, new SecurityGroupUpdate(Optional.ofNullable(name),
                Optional.ofNullable(description)));
        print(g, () -> SecurityGroupListCommand.table(this, List.of(g)));
    }
}
