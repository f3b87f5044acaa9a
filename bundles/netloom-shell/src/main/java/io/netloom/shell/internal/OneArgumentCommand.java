package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;

/**
 * A command of one argument, which options may also follow ({@code vnet:route-list NET --json}): Karaf reads options
 * only before the first argument, so what follows it is collected here and applied by {@link TrailingOptions}.
 * Subclasses declare the argument at index 0.
 */
abstract class OneArgumentCommand extends VnetCommandSupport {

    @Argument(index = 1, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;
}
