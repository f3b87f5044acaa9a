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
 * {@code vnet:sg-rule-delete GROUP RULE}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-rule-delete",
        description = "Removes a rule from a security group")
public class SecurityGroupRuleDeleteCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "group", description = "Security group id or name", required = true)
    @Completion(SecurityGroupCompleter.class)
    String group;

    @Argument(index = 1, name = "rule", description = "Rule id", required = true)
    String rule;

    @Argument(index = 2, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    SecurityGroupAdminService groups;

    @Override
    void doExecute() {
        groups.removeRule(caller(), group, rule);
        out().println("Removed rule " + rule + " from " + group);
    }
}
