package io.netloom.hostnet;

import java.util.List;
import java.util.Objects;

/**
 * How an external command ended.
 *
 * @param command the program and its arguments
 * @param exitCode the exit code
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /**
     * Freezes the command and checks that nothing is missing.
     */
    public CommandResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /**
     * @return whether the command exited with 0
     */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
