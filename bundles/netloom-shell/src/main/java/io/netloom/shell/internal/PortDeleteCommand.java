package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.PortAdminService;

/**
 * {@code vnet:port-delete PORT}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-delete", description = "Deletes a port")
public class PortDeleteCommand extends PortCommand {

    @Reference
    PortAdminService ports;

    @Override
    void doExecute() {
        ports.deletePort(caller(), port);
        out().println("Deleted port " + port);
    }
}
