package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an external program from an argument list (never through a shell), with a time limit, and returns its exit
 * code and combined output.
 */
final class Exec {

    /** The exit code and the standard output and error of a finished program, interleaved. */
    record Result(int exit, String output) {

        boolean ok() {
            return exit == 0;
        }
    }

    private Exec() {
    }

    /**
     * Runs a program and fails unless it exits with 0.
     *
     * @throws ExecException when it cannot start, times out or exits with another code
     */
    static Result check(Duration timeout, Map<String, String> env, List<String> command) {
        return check(timeout, env, command, null);
    }

    /**
     * Runs a program with {@code stdin} as its standard input and fails unless it exits with 0.
     *
     * @throws ExecException when it cannot start, times out or exits with another code
     */
    static Result check(Duration timeout, Map<String, String> env, List<String> command, String stdin) {
        Result result = run(timeout, env, command, stdin);
        if (!result.ok()) {
            throw new ExecException(command, "exited with " + result.exit() + ": " + abbreviate(result.output()));
        }
        return result;
    }

    /**
     * Runs a program whatever its exit code.
     *
     * @throws ExecException when it cannot start or times out (it is then killed)
     */
    static Result run(Duration timeout, Map<String, String> env, List<String> command, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ExecException(command, "cannot start: " + e.getMessage(), e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The program may exit before reading all of its input; its exit code tells what happened.
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new ExecException(command, "did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ExecException(command, "interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ExecException(command, "its output could not be read", e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    static String abbreviate(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 2000 ? trimmed : trimmed.substring(0, 1000) + "\n…\n"
                + trimmed.substring(trimmed.length() - 1000);
    }

    /** Thrown when an external program fails; the message names the program and what went wrong. */
    static final class ExecException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ExecException(List<String> command, String problem) {
            super(describe(command) + " " + problem);
        }

        ExecException(List<String> command, String problem, Throwable cause) {
            super(describe(command) + " " + problem, cause);
        }

        private static String describe(List<String> command) {
            String text = String.join(" ", command);
            return "'" + (text.length() > 300 ? text.substring(0, 300) + " …" : text) + "'";
        }
    }
}
