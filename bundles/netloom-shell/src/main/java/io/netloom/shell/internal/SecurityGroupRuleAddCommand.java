package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.shell.internal.completers.SecurityGroupCompleter;

/**
 * {@code vnet:sg-rule-add --direction ingress --protocol tcp --ports 22 --remote-cidr C [--action deny] [--priority N]
 * GROUP}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-rule-add", description = "Adds a rule to a security group")
public class SecurityGroupRuleAddCommand extends SecurityGroupCommand {

    @Option(name = "--direction", description = "ingress or egress", required = true)
    String direction;

    @Option(name = "--protocol", description = "tcp, udp, icmp or any", required = true)
    String protocol;

    @Option(name = "--ports", description = "A port (22) or a range (8000-8080), tcp and udp only")
    String ports;

    @Option(name = "--remote-cidr", description = "The remote prefix")
    String remoteCidr;

    @Option(name = "--remote-group", description = "The remote security group id or name")
    @Completion(SecurityGroupCompleter.class)
    String remoteGroup;

    @Option(name = "--action", description = "allow (default) or deny")
    String action;

    @Option(name = "--priority", description = "1-4096, lower first (default 1000)")
    Integer priority;

    @Reference
    SecurityGroupAdminService groups;

    @Override
    void doExecute() {
        Rule r = groups.addRule(caller(), group, new RuleSpec(direction, protocol, ports, remoteCidr, remoteGroup,
                action, priority));
        print(r, () -> SecurityGroupListCommand.rules(this, List.of(r)));
    }
}
