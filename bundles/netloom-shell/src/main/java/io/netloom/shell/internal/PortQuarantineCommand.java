package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.shell.internal.completers.PortCompleter;

/**
 * {@code vnet:port-quarantine [--release] PORT}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-quarantine", description = "Isolates a port at once: nothing "
        + "in or out, established connections cut (--release lifts it); administrators only")
public class PortQuarantineCommand extends VnetCommandSupport {

    @Option(name = "--release", description = "Lift the quarantine")
    boolean release;

    @Argument(index = 0, name = "port", description = "Port id or name", required = true)
    @Completion(PortCompleter.class)
    String port;

    @Reference
    PortAdminService ports;

    @Override
    void doExecute() {
        Port p = ports.setQuarantine(caller(), port, !release);
        print(withStatus(p), () -> PortListCommand.table(this, List.of(withStatus(p))));
    }
}
