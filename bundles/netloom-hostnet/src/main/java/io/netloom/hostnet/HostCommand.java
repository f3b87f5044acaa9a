package io.netloom.hostnet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs host tools ({@code ip}, {@code nft}, {@code ethtool}) as real processes: an argument list handed to
 * {@link ProcessBuilder}, never a shell, so no argument is ever parsed as shell syntax. Standard output and error
 * are captured; a command that does not end within the timeout is killed (only that process, by its handle).
 *
 * <p>A program named without a slash is looked up on {@code PATH} and then in {@code /usr/sbin}, {@code /sbin},
 * {@code /usr/bin} and {@code /bin}: a service started without a login shell often lacks the sbin directories where
 * iproute2 and nftables live.
 */
public final class HostCommand implements CommandRunner {

    /** How long a command may run unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> FALLBACK_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private final Duration timeout;

    /**
     * A runner with {@link #DEFAULT_TIMEOUT}.
     */
    public HostCommand() {
        this(DEFAULT_TIMEOUT);
    }

    /**
     * @param timeout how long one command may run before it is killed
     */
    public HostCommand(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A timeout is positive, not " + timeout);
        }
    }

    /**
     * Finds a program the way this class runs it.
     *
     * @param program a program name such as {@code ethtool}
     * @return its executable path, or empty when it is not installed
     */
    public static Optional<Path> locate(String program) {
        Objects.requireNonNull(program, "program");
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        Set<String> directories = new LinkedHashSet<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String d : pathVariable.split(":")) {
                if (!d.isEmpty()) {
                    directories.add(d);
                }
            }
        }
        directories.addAll(FALLBACK_DIRECTORIES);
        for (String d : directories) {
            Path candidate = Path.of(d, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public CommandResult execute(List<String> command, String stdin) {
        checkCommand(command);
        Path program = locate(command.get(0)).orElseThrow(() -> new HostCommandException(command,
                HostCommandException.NO_EXIT, command.get(0) + " is not installed (looked on PATH and in "
                        + FALLBACK_DIRECTORIES + ")"));
        List<String> argv = new ArrayList<>(command);
        argv.set(0, program.toString());
        Process process;
        try {
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new HostCommandException(command, HostCommandException.NO_EXIT, e.getMessage(), e);
        }
        // Both streams are drained on their own threads: a command that fills one pipe while we wait on the other
        // would otherwise block forever.
        StreamDrain out = new StreamDrain(process.getInputStream());
        StreamDrain err = new StreamDrain(process.getErrorStream());
        out.start();
        err.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The command closed its input early; its exit code and stderr tell why.
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new HostCommandException(command, HostCommandException.NO_EXIT, "no exit within " + timeout
                        + "; killed. " + err.text());
            }
            out.join(timeout.toMillis());
            err.join(timeout.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostCommandException(command, HostCommandException.NO_EXIT, "interrupted", e);
        }
        return new CommandResult(command, process.exitValue(), out.text(), err.text());
    }

    private static void checkCommand(List<String> command) {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("A command names a program");
        }
        for (String argument : command) {
            Objects.requireNonNull(argument, "an argument of " + command);
        }
    }

    /** Reads a process stream to its end. */
    private static final class StreamDrain extends Thread {

        private final InputStream stream;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        StreamDrain(InputStream stream) {
            super("netloom-hostcommand-drain");
            setDaemon(true);
            this.stream = stream;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (InputStream in = stream) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (bytes) {
                        bytes.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // The stream closes when the process is killed; what was read so far is kept.
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
