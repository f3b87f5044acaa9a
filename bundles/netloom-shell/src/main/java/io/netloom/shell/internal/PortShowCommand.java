package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.shell.internal.completers.PortCompleter;

/**
 * {@code vnet:port-show PORT}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-show", description = "Shows a port")
public class PortShowCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "port", description = "Port id or name", required = true)
    @Completion(PortCompleter.class)
    String port;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    PortService ports;

    @Override
    void doExecute() {
        Port p = withStatus(ports.port(caller(), port));
        print(p, () -> PortListCommand.table(this, List.of(p)));
    }
}
