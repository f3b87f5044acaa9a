package io.netloom.hostnet;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs an external tool as an argument list, never through a shell. {@link HostCommand} runs real processes; tests
 * implement this interface to check the argument lists a class produces without touching the host.
 */
@ConsumerType
public interface CommandRunner {

    /**
     * Runs a command and reports how it ended, whatever its exit code.
     *
     * @param command the program and its arguments, one element each; never a shell string
     * @param stdin what to write to the command's standard input, or {@code null} for nothing
     * @return the exit code and what the command printed
     * @throws HostCommandException when the command cannot be started or does not end in time
     */
    CommandResult execute(List<String> command, String stdin);

    /**
     * Runs a command that must succeed.
     *
     * @param command the program and its arguments
     * @return what the command printed
     * @throws HostCommandException when the command cannot be started, does not end in time or exits non-zero
     */
    default CommandResult run(List<String> command) {
        return run(command, null);
    }

    /**
     * Runs a command that must succeed, with input.
     *
     * @param command the program and its arguments
     * @param stdin what to write to its standard input, or {@code null}
     * @return what the command printed
     * @throws HostCommandException when the command cannot be started, does not end in time or exits non-zero
     */
    default CommandResult run(List<String> command, String stdin) {
        CommandResult result = execute(command, stdin);
        if (result.exitCode() != 0) {
            throw new HostCommandException(command, result.exitCode(), result.stderr());
        }
        return result;
    }
}
