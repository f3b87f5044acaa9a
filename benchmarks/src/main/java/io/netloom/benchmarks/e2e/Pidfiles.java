package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Stops daemons the harness started, by the pid in their pid file, and only when that process's command line names
 * the harness's own directory: a stale pid file never makes it signal a process someone else started.
 */
final class Pidfiles {

    private static final Duration TERM_GRACE = Duration.ofSeconds(20);
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private Pidfiles() {
    }

    /**
     * @param pidfile the pid file a daemon wrote
     * @param marker a path that the daemon's command line must contain
     * @return the live process of that pid file, when its command line contains the marker
     */
    static Optional<ProcessHandle> process(Path pidfile, Path marker) {
        if (!Files.isRegularFile(pidfile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidfile, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p.pid()).contains(marker.toString()));
    }

    /**
     * @return the command line of a process with its arguments separated by spaces, or "" when it is gone
     */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Sends SIGTERM to the daemon of a pid file, then SIGKILL when it has not gone within the grace time, and
     * waits until it is gone. Does nothing when the pid file names no live process of ours.
     *
     * @return whether a process was stopped
     */
    static boolean stop(Path pidfile, Path marker) {
        Optional<ProcessHandle> process = process(pidfile, marker);
        if (process.isEmpty()) {
            return false;
        }
        terminate(process.get());
        return true;
    }

    /** SIGTERM, then SIGKILL after the grace time; waits until the process is gone. */
    static void terminate(ProcessHandle process) {
        process.destroy();
        if (!awaitExit(process, TERM_GRACE)) {
            process.destroyForcibly();
            awaitExit(process, KILL_GRACE);
        }
    }

    /**
     * Stops every daemon whose pid file lies below {@code root} and whose command line names {@code root}.
     *
     * @return how many were stopped
     */
    static int stopAllUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> pidfiles;
        try (Stream<Path> files = Files.walk(root)) {
            pidfiles = files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList();
        } catch (IOException e) {
            return 0;
        }
        int stopped = 0;
        for (Path pidfile : pidfiles) {
            if (stop(pidfile, root)) {
                stopped++;
            }
        }
        return stopped;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return true;
    }
}
