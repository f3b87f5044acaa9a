package io.netloom.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

import io.netloom.shell.internal.completers.SecurityGroupCompleter;

/**
 * A command on a security group, named by its first argument (with completion); options may also follow it.
 */
abstract class SecurityGroupCommand extends OneArgumentCommand {

    @Argument(index = 0, name = "group", description = "Security group id or name", required = true)
    @Completion(SecurityGroupCompleter.class)
    String group;
}
