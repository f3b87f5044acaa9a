package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;

/**
 * {@code vnet:port-show PORT}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-show", description = "Shows a port")
public class PortShowCommand extends PortCommand {

    @Reference
    PortService ports;

    @Override
    void doExecute() {
        Port p = withStatus(ports.port(caller(), port));
        print(p, () -> PortListCommand.table(this, List.of(p)));
    }
}
