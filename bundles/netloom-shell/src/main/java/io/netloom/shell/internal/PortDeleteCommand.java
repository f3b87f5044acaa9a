package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.PortAdminService;
import io.netloom.shell.internal.completers.PortCompleter;

/**
 * {@code vnet:port-delete PORT}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-delete", description = "Deletes a port")
public class PortDeleteCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "port", description = "Port id or name", required = true)
    @Completion(PortCompleter.class)
    String port;

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    PortAdminService ports;

    @Override
    void doExecute() {
        ports.deletePort(caller(), port);
        out().println("Deleted port " + port);
    }
}
