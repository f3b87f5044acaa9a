package io.netloom.hostnet;

import java.util.List;

/**
 * An external command could not be started, did not end in time, or failed. It names the command, its exit code
 * (-1 when it never ended) and what it printed on standard error, so an operator can run it again by hand.
 */
public class HostCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code reported when the command did not exit on its own. */
    public static final int NO_EXIT = -1;

    private final List<String> command;
    private final int exitCode;
    private final String stderr;

    /**
     * @param command the program and its arguments
     * @param exitCode its exit code, or {@link #NO_EXIT}
     * @param stderr what it printed on standard error, empty for nothing
     */
    public HostCommandException(List<String> command, int exitCode, String stderr) {
        this(command, exitCode, stderr, null);
    }

    /**
     * @param command the program and its arguments
     * @param exitCode its exit code, or {@link #NO_EXIT}
     * @param stderr what it printed on standard error, or why it could not run
     * @param cause the underlying failure, or {@code null}
     */
    public HostCommandException(List<String> command, int exitCode, String stderr, Throwable cause) {
        super("'" + String.join(" ", command) + "' " + (exitCode == NO_EXIT ? "failed" : "exited with " + exitCode)
                + (stderr == null || stderr.isBlank() ? "" : ": " + stderr.strip()), cause);
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
    }

    /**
     * @return the program and its arguments
     */
    public List<String> command() {
        return command;
    }

    /**
     * @return the exit code, or {@link #NO_EXIT} when the command did not exit on its own
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * @return what the command printed on standard error
     */
    public String stderr() {
        return stderr;
    }
}
