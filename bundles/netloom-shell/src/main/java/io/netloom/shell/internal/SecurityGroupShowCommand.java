package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupService;

/**
 * {@code vnet:sg-show GROUP}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-show",
        description = "Shows a security group and its rules in evaluation order")
public class SecurityGroupShowCommand extends SecurityGroupCommand {

    @Reference
    SecurityGroupService groups;

    @Override
    void doExecute() {
        SecurityGroup g = groups.group(caller(), group);
        print(g, () -> {
            SecurityGroupListCommand.table(this, List.of(g));
            SecurityGroupListCommand.rules(this, g.rules());
        });
    }
}
