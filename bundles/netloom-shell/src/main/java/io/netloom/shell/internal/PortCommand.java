package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

import io.netloom.shell.internal.completers.PortCompleter;

/**
 * A command on a port, named by its first argument (with completion); options may also follow it.
 */
abstract class PortCommand extends OneArgumentCommand {

    @Argument(index = 0, name = "port", description = "Port id or name", required = true)
    @Completion(PortCompleter.class)
    String port;
}
