package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * A command on a network, named by its first argument (with completion); options may also follow it.
 */
abstract class NetworkCommand extends OneArgumentCommand {

    @Argument(index = 0, name = "network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;
}
