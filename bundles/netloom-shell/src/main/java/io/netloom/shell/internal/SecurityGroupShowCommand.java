package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupService;
import io.netloom.shell.internal.completers.SecurityGroupCompleter;

/**
 * {@code vnet:sg-show GROUP}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-show",
        description = "Shows a security group and its rules in evaluation order")
public class SecurityGroupShowCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "group", description = "Security group id or name", required = true)
    @Completion(SecurityGroupCompleter.class)
    String group;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

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
