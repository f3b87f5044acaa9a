package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.shell.internal.completers.PortCompleter;
import io.netloom.shell.internal.completers.SecurityGroupCompleter;

/**
 * {@code vnet:port-sg-set PORT [GROUP...]}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-sg-set",
        description = "Replaces the security groups of a port (none: the network default group)")
public class PortSecurityGroupsCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "port", description = "Port id or name", required = true)
    @Completion(PortCompleter.class)
    String port;

    @Argument(index = 1, name = "groups", description = "Security group ids or names", multiValued = true)
    @Completion(SecurityGroupCompleter.class)
    List<String> groups;

    @Reference
    PortAdminService ports;

    @Override
    void doExecute() {
        Port p = ports.setSecurityGroups(caller(), port, groups == null ? List.of() : groups);
        print(withStatus(p), () -> PortListCommand.table(this, List.of(withStatus(p))));
    }
}
