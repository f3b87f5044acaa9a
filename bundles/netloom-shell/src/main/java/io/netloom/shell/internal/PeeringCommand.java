package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

import io.netloom.shell.internal.completers.PeeringCompleter;

/**
 * A command on a peering, named by its first argument (with completion); options may also follow it.
 */
abstract class PeeringCommand extends OneArgumentCommand {

    @Argument(index = 0, name = "peering", description = "Peering id or name", required = true)
    @Completion(PeeringCompleter.class)
    String peering;
}
