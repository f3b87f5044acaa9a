package io.netloom.hostnet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link CommandRunner} that runs nothing: it records every argument list and answers from a function, so tests
 * check the exact commands a class would run.
 */
final class FakeRunner implements CommandRunner {

    final List<List<String>> commands = new ArrayList<>();
    private final Function<List<String>, CommandResult> answers;

    FakeRunner(Function<List<String>, CommandResult> answers) {
        this.answers = answers;
    }

    @Override
    public CommandResult execute(List<String> command, String stdin) {
        commands.add(List.copyOf(command));
        return answers.apply(command);
    }

    static CommandResult ok(List<String> command, String stdout) {
        return new CommandResult(command, 0, stdout, "");
    }

    static CommandResult missingDevice(List<String> command) {
        return new CommandResult(command, 1, "", "Device \"x\" does not exist.\n");
    }

    /** The commands that change something: everything but reads. */
    List<List<String>> changes() {
        return commands.stream().filter(c -> !c.contains("show") && !c.contains("-k")).toList();
    }
}
