package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.SecurityGroupSpec;

/**
 * {@code vnet:sg-create [--description D] NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-create",
        description = "Creates a security group (stateful; default deny ingress, allow egress)")
public class SecurityGroupCreateCommand extends OneArgumentCommand {

    @Option(name = "--description", description = "Free text")
    String description;

    @Argument(index = 0, name = "name", description = "The group's name", required = true)
    String name;

    @Reference
    SecurityGroupAdminService groups;

    @Override
    void doExecute() {
        SecurityGroup g = groups.createGroup(caller(), new SecurityGroupSpec(name, description));
        print(g, () -> SecurityGroupListCommand.table(this, List.of(g)));
    }
}
