package io.netloom.itests.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs host tools for the tests: argument lists through {@link ProcessBuilder}, never a shell, with a timeout after
 * which only that process is killed. Programs are looked up on {@code PATH} and in the sbin directories, which a
 * service's environment often lacks.
 */
public final class HostProcesses {

    private static final List<String> DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private HostProcesses() {
    }

    /**
     * How a command ended.
     *
     * @param exitCode the exit code, -1 when it was killed for taking too long
     * @param stdout its standard output
     * @param stderr its standard error
     */
    public record Result(int exitCode, String stdout, String stderr) {

        /**
         * @return whether it exited with 0
         */
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * @param timeout how long it may run
     * @param command the program and its arguments
     * @return how it ended
     */
    public static Result execute(Duration timeout, List<String> command) {
        try {
            Process p = start(command);
            p.getOutputStream().close();
            Drain out = new Drain(p.getInputStream());
            Drain err = new Drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, out.text(), err.text() + " (killed after " + timeout + ")");
            }
            out.join(2000);
            err.join(2000);
            return new Result(p.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /**
     * Runs a command that must succeed.
     *
     * @param command the program and its arguments
     * @return its standard output
     * @throws IllegalStateException when it fails, naming the command and its standard error
     */
    public static String run(String... command) {
        Result r = execute(Duration.ofSeconds(30), List.of(command));
        if (!r.ok()) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' exited with " + r.exitCode() + ": "
                    + r.stderr().strip());
        }
        return r.stdout();
    }

    /**
     * Starts a long-running command; the caller owns the process and must end it.
     *
     * @param command the program and its arguments
     * @return the process
     * @throws IOException when it cannot be started
     */
    public static Process start(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(command);
        argv.set(0, locate(command.get(0)));
        return new ProcessBuilder(argv).start();
    }

    /**
     * @param program a program name
     * @return whether it is installed
     */
    public static boolean installed(String program) {
        return !locate(program).equals(program) || Files.isExecutable(Path.of(program));
    }

    /**
     * Builds a command run inside a network namespace, with the program's full path (ip netns exec searches only
     * its own PATH).
     *
     * @param namespace the namespace
     * @param command the program and its arguments
     * @return the argument list
     */
    public static List<String> inNamespace(String namespace, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(List.of(command));
        argv.set(4, locate(command[0]));
        return argv;
    }

    private static String locate(String program) {
        if (program.contains("/")) {
            return program;
        }
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(DIRECTORIES);
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program).toString();
            }
        }
        return program;
    }

    /** Reads a stream to its end on its own thread. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private volatile String text = "";

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try (InputStream s = in) {
                text = new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = e.toString();
            }
        }

        String text() {
            return text;
        }
    }
}
