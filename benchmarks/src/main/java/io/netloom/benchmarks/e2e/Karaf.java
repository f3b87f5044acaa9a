package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Karaf distribution (Netloom's or a vanilla one) unpacked into a directory of the harness and run as a separate
 * process with {@code bin/start}. Every listener is moved to a free port on 127.0.0.1; the JVM is stopped by the pid
 * of its {@code karaf.pid}, and only when its command line names this directory.
 */
final class Karaf implements AutoCloseable {

    /** Both kinds of Karaf get the same heap, so that neither starts faster for having more. */
    static final String MIN_MEM = "128M";
    static final String MAX_MEM = "1024M";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** When Karaf counted as started: the first HTTP answer of any status, and the first answer of the probe. */
    record Start(Duration firstHttpAnswer, Duration ready) {
    }

    private final Path home;
    private final int httpPort;
    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Karaf(Path home, int httpPort) {
        this.home = home;
        this.httpPort = httpPort;
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_MIN_MEM", MIN_MEM);
        env.put("JAVA_MAX_MEM", MAX_MEM);
        // bin/start discards Karaf's own stdout unless told otherwise; early failures are only printed there.
        env.put("KARAF_REDIRECT", home.resolve("console.log").toString());
    }

    /**
     * Unpacks a distribution tar.gz (one top-level directory) into {@code home} and moves its listeners.
     */
    static Karaf unpack(Path tarGz, Path home) {
        if (!Files.isRegularFile(tarGz)) {
            throw new IllegalStateException("No distribution at " + tarGz
                    + "; build with 'mvn -B install -DskipTests' at the top level (it copies it there)");
        }
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.check(Duration.ofMinutes(2), Map.of(), List.of("tar", "-xzf", tarGz.toString(), "-C", home.toString(),
                "--strip-components=1"));
        int[] ports = freePorts(4);
        Karaf karaf = new Karaf(home, ports[0]);
        karaf.setProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(ports[0]));
        karaf.setProperty("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1");
        karaf.setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ports[1]));
        karaf.setProperty("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        karaf.setProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(ports[2]));
        karaf.setProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(ports[3]));
        return karaf;
    }

    Path home() {
        return home;
    }

    int httpPort() {
        return httpPort;
    }

    /** Sets an environment variable for Karaf's scripts (and so its JVM). */
    void env(String name, String value) {
        env.put(name, value);
    }

    /**
     * Replaces the line of {@code key} in a properties or cfg file of the distribution, or appends one.
     */
    void setProperty(String file, String key, String value) {
        Path path = home.resolve(file);
        try {
            List<String> lines = Files.exists(path)
                    ? new ArrayList<>(Files.readAllLines(path, StandardCharsets.ISO_8859_1))
                    : new ArrayList<>();
            String line = key + " = " + value;
            boolean replaced = false;
            for (int i = 0; i < lines.size(); i++) {
                String trimmed = lines.get(i).stripLeading();
                if (trimmed.startsWith(key)) {
                    String rest = trimmed.substring(key.length()).stripLeading();
                    if (rest.startsWith("=") || rest.startsWith(":")) {
                        lines.set(i, line);
                        replaced = true;
                    }
                }
            }
            if (!replaced) {
                lines.add(line);
            }
            Files.write(path, lines, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a whole file of the distribution. */
    void writeFile(String file, String text) {
        try {
            Files.writeString(home.resolve(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code bin/start} and polls until {@code ready} accepts an HTTP answer of {@code path}.
     *
     * @param path the path probed, from the root of the HTTP port
     * @param authorization the Authorization header sent, or {@code null}
     * @param readyStatus the status that counts as ready, or 0 for any status
     * @return how long after launching {@code bin/start} HTTP first answered and the probe first succeeded
     */
    Start start(String path, String authorization, int readyStatus) {
        if (jvm().isPresent()) {
            throw new IllegalStateException("Karaf already runs in " + home);
        }
        long launched = System.nanoTime();
        List<String> command = List.of(home.resolve("bin/start").toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("scripts.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_"));
        pb.environment().putAll(env);
        try {
            Process script = pb.start();
            if (!script.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    || script.exitValue() != 0) {
                script.destroyForcibly();
                throw new IllegalStateException("bin/start failed; " + diagnostics());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Karaf", e);
        }
        Duration firstAnswer = null;
        String last = "no answer";
        long deadline = launched + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + path)).timeout(PROBE_TIMEOUT).GET();
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                long now = System.nanoTime();
                if (firstAnswer == null) {
                    firstAnswer = Duration.ofNanos(now - launched);
                }
                if (readyStatus == 0 || status == readyStatus) {
                    return new Start(firstAnswer, Duration.ofNanos(now - launched));
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Karaf", e);
            }
            Harness.sleep(20);
        }
        throw new IllegalStateException("Karaf did not answer " + path + " as expected within "
                + START_TIMEOUT.toSeconds() + " s (last: " + last + "); " + diagnostics());
    }

    /** @return the pid of the running Karaf JVM */
    long pid() {
        return jvm().orElseThrow(() -> new IllegalStateException("Karaf does not run in " + home)).pid();
    }

    private Optional<ProcessHandle> jvm() {
        return Pidfiles.process(home.resolve("karaf.pid"), home);
    }

    /** @return the end of Karaf's logs, for error messages */
    String diagnostics() {
        StringBuilder sb = new StringBuilder("home ").append(home);
        for (String log : List.of("scripts.log", "console.log", "data/log/karaf.log")) {
            sb.append("\n--- ").append(log).append(" ---\n");
            try {
                Path file = home.resolve(log);
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    sb.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            } catch (IOException | UncheckedIOException e) {
                sb.append("(unreadable: ").append(e).append(')');
            }
        }
        return sb.toString();
    }

    /** Stops the JVM by the pid of {@code karaf.pid} (SIGTERM runs Karaf's orderly shutdown; SIGKILL if it hangs). */
    @Override
    public void close() {
        jvm().ifPresent(Pidfiles::terminate);
    }

    /** Stops Karaf, keeps {@code data/log/karaf.log} as {@code <home>-karaf.log} and deletes the home. */
    void discard() {
        close();
        try {
            Path log = home.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                Files.copy(log, home.resolveSibling(home.getFileName() + "-karaf.log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            try (Stream<Path> paths = Files.walk(home)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + home, e);
        }
    }

    /**
     * Adds a feature to {@code featuresBoot} of {@code etc/org.apache.karaf.features.cfg}, whose value spans
     * several lines.
     */
    void addBootFeature(String feature) {
        Path cfg = home.resolve("etc/org.apache.karaf.features.cfg");
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.ISO_8859_1));
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).stripLeading().startsWith("featuresBoot")) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                throw new IllegalStateException("No featuresBoot in " + cfg);
            }
            int last = at;
            while (lines.get(last).stripTrailing().endsWith("\\")) {
                last++;
            }
            lines.set(last, lines.get(last).stripTrailing() + ", \\");
            lines.add(last + 1, "    " + feature);
            Files.write(cfg, lines, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing a listening socket that accepted nothing does not fail in practice.
                }
            }
        }
    }
}
