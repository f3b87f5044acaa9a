package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

import io.netloom.shell.internal.completers.NodeCompleter;

/**
 * A command on a node, named by its first argument (with completion); options may also follow it.
 */
abstract class NodeCommand extends OneArgumentCommand {

    @Argument(index = 0, name = "node", description = "Node id or name", required = true)
    @Completion(NodeCompleter.class)
    String node;
}
