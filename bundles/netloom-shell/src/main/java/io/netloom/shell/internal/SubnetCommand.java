package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

import io.netloom.shell.internal.completers.SubnetCompleter;

/**
 * A command on a subnet, named by its first argument (with completion); options may also follow it.
 */
abstract class SubnetCommand extends OneArgumentCommand {

    @Argument(index = 0, name = "subnet", description = "Subnet id or name", required = true)
    @Completion(SubnetCompleter.class)
    String subnet;
}
