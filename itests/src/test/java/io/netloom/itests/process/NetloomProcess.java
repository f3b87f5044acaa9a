package io.netloom.itests.process;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The Netloom distribution run as a separate operating-system process, so that tests can do what Pax Exam cannot:
 * stop and start it again, or kill its JVM with SIGKILL.
 *
 * <p>Each instance unpacks the distribution tar.gz into its own directory under {@code target/process-it/}, moves
 * every listener to a free port on 127.0.0.1 and gives {@code admin} a random password. {@link #close()} stops the
 * JVM (by its pid, never by name) and deletes the directory; call it from {@code finally}, try-with-resources or
 * {@code @After}, so that a failed test leaves no Karaf behind.
 */
public final class NetloomProcess implements AutoCloseable {

    /** An HTTP answer of the REST API. */
    public record Reply(int status, String body) {

        /**
         * @return the body parsed as JSON
         */
        public JsonElement json() {
            return JsonParser.parseString(body);
        }
    }

    private static final String KARAF_MAIN = "org.apache.karaf.main.Main";
    private static final String ADMIN = "admin";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final char[] PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final Path workDir;
    private final Path home;
    /** The home as Karaf's scripts see it (symbolic links resolved), to recognise its JVM's command line. */
    private final Path realHome;
    private final int httpPort;
    private final String password;
    private final String authorization;
    private volatile HttpClient http = newClient();

    /**
     * Unpacks the distribution and moves its ports. Nothing runs yet.
     *
     * @throws IOException when the distribution cannot be found, unpacked or configured
     * @throws InterruptedException when interrupted while {@code tar} runs
     */
    public NetloomProcess() throws IOException, InterruptedException {
        Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path distribution = distribution(moduleDir);
        workDir = moduleDir.resolve("target/process-it");
        Files.createDirectories(workDir);
        home = Files.createTempDirectory(workDir, "netloom-");
        realHome = home.toRealPath();
        password = randomPassword();
        authorization = "Basic " + Base64.getEncoder()
                .encodeToString((ADMIN + ":" + password).getBytes(StandardCharsets.UTF_8));
        try {
            unpack(distribution);
            int[] ports = freePorts(4);
            httpPort = ports[0];
            setProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", ports[0]);
            setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", ports[1]);
            setProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", ports[2]);
            setProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", ports[3]);
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteHome();
            throw e;
        }
    }

    /**
     * @return the directory the distribution was unpacked into ({@code karaf.home})
     */
    public Path home() {
        return home;
    }

    /**
     * @return the HTTP port of the REST API, on 127.0.0.1
     */
    public int httpPort() {
        return httpPort;
    }

    /**
     * Starts Karaf in the background with {@code bin/start} and waits until the REST API answers an authenticated
     * {@code GET /drivers} with 200.
     *
     * @return the time from launching {@code bin/start} to that first 200
     * @throws IllegalStateException when Karaf is already running, its JVM exits, or the API does not answer in time
     * @throws IOException when {@code bin/start} cannot be run
     * @throws InterruptedException when interrupted while waiting
     */
    public Duration start() throws IOException, InterruptedException {
        if (karafJvm().isPresent()) {
            throw new IllegalStateException("Netloom is already running in " + home);
        }
        // A pid file left by a killed JVM would make the liveness check below look at a dead or reused pid.
        Files.deleteIfExists(home.resolve("karaf.pid"));
        // Connections pooled before a kill or a stop are dead; a fresh client never tries to reuse them.
        http = newClient();
        long launched = System.nanoTime();
        runScript("start");
        long deadline = launched + START_TIMEOUT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            try {
                Reply reply = send("GET", "/drivers", null, PROBE_TIMEOUT);
                if (reply.status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - launched);
                }
                last = "HTTP " + reply.status() + " " + reply.body();
            } catch (IOException e) {
                last = e.toString();
            }
            if (jvmExited()) {
                throw new IllegalStateException("The Karaf JVM exited while starting; " + diagnostics());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("GET /drivers did not answer 200 within " + START_TIMEOUT.toSeconds()
                + " s (last: " + last + "); " + diagnostics());
    }

    /**
     * Stops Karaf with {@code bin/stop} and waits until its JVM is gone. If it does not go in time it is killed,
     * and this method fails.
     *
     * @throws IllegalStateException when Karaf is not running or does not stop in time
     * @throws IOException when {@code bin/stop} cannot be run
     * @throws InterruptedException when interrupted while waiting
     */
    public void stop() throws IOException, InterruptedException {
        ProcessHandle jvm = karafJvm().orElseThrow(
                () -> new IllegalStateException("No running Karaf JVM to stop in " + home));
        runScript("stop");
        if (!awaitExit(jvm, STOP_TIMEOUT)) {
            jvm.destroyForcibly();
            awaitExit(jvm, KILL_TIMEOUT);
            throw new IllegalStateException("Karaf (pid " + jvm.pid() + ") did not stop within "
                    + STOP_TIMEOUT.toSeconds() + " s of bin/stop and was killed; " + diagnostics());
        }
    }

    /**
     * Kills the Karaf JVM with SIGKILL, as a power cut would, and waits until it is gone. The pid comes from
     * {@code karaf.pid} and is checked to be a live Karaf of this directory before anything is sent.
     *
     * @throws IllegalStateException when no such JVM runs or it does not die in time
     * @throws IOException when the pid file cannot be read
     * @throws InterruptedException when interrupted while waiting
     */
    public void kill9() throws IOException, InterruptedException {
        long pid = pidFromFile().orElseThrow(
                () -> new IllegalStateException("No karaf.pid in " + home));
        ProcessHandle jvm = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElseThrow(
                () -> new IllegalStateException("The process " + pid + " of karaf.pid is not alive"));
        if (!isOurKaraf(jvm)) {
            throw new IllegalStateException("The process " + pid + " of karaf.pid is not the Karaf of " + home
                    + ": " + jvm.info().commandLine().orElse("(command line unknown)"));
        }
        // On Unix destroyForcibly() is SIGKILL: no shutdown hook, no flush, no orderly close of the store.
        jvm.destroyForcibly();
        if (!awaitExit(jvm, KILL_TIMEOUT)) {
            throw new IllegalStateException("Karaf (pid " + pid + ") survived SIGKILL for "
                    + KILL_TIMEOUT.toSeconds() + " s");
        }
    }

    /**
     * @return whether the Karaf JVM of this directory is running
     */
    public boolean isRunning() {
        return karafJvm().isPresent();
    }

    /**
     * Calls the REST API as {@code admin}.
     *
     * @param method the HTTP method
     * @param path the path below {@code /netloom/api/v1}, starting with {@code /}
     * @param json the request body, or {@code null} for none
     * @return the status and body
     * @throws IOException when there is no answer (for example because Karaf is down)
     * @throws InterruptedException when interrupted while waiting for the answer
     */
    public Reply rest(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, json, REQUEST_TIMEOUT);
    }

    /**
     * Stops Karaf if it still runs (SIGTERM by pid, then SIGKILL) and deletes the directory. Logs are copied next
     * to it first ({@code target/process-it/<dir>-karaf.log}) so that a failure can still be diagnosed.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Optional<ProcessHandle> jvm = karafJvm();
            if (jvm.isPresent()) {
                // SIGTERM runs Karaf's shutdown hook; SIGKILL only when that hangs.
                jvm.get().destroy();
                if (!awaitExit(jvm.get(), STOP_TIMEOUT)) {
                    jvm.get().destroyForcibly();
                    awaitExit(jvm.get(), KILL_TIMEOUT);
                }
            }
        } finally {
            try {
                keepLogs();
            } finally {
                deleteHome();
            }
        }
    }

    // ---- process control ----

    private void runScript(String name) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(home.resolve("bin").resolve(name).toString()))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("scripts.log").toFile()))
                // bin/start leaves Karaf running in the background; it must not hold a pipe of this JVM.
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        // Karaf variables of the caller's environment would point the scripts at another instance.
        env.keySet().removeIf(key -> key.startsWith("KARAF_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("NETLOOM_ADMIN_PASSWORD", password);
        // bin/start sends Karaf's stdout to /dev/null unless told otherwise; early failures are only printed there.
        env.put("KARAF_REDIRECT", home.resolve("console.log").toString());
        Process script = pb.start();
        if (!script.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            script.destroyForcibly();
            throw new IllegalStateException("bin/" + name + " did not finish within " + SCRIPT_TIMEOUT.toSeconds()
                    + " s; " + diagnostics());
        }
        if (script.exitValue() != 0) {
            throw new IllegalStateException("bin/" + name + " exited with " + script.exitValue() + "; "
                    + diagnostics());
        }
    }

    /**
     * @return the live Karaf JVM of this directory: the pid of {@code karaf.pid}, or, when that file is missing or
     *         stale, any process whose command line runs Karaf from this directory
     */
    private Optional<ProcessHandle> karafJvm() {
        Optional<ProcessHandle> fromFile;
        try {
            fromFile = pidFromFile().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                    .filter(this::isOurKaraf);
        } catch (IOException e) {
            fromFile = Optional.empty();
        }
        if (fromFile.isPresent()) {
            return fromFile;
        }
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(this::isOurKaraf).findFirst();
        }
    }

    private boolean isOurKaraf(ProcessHandle process) {
        String commandLine = process.info().commandLine().orElse("");
        return commandLine.contains(KARAF_MAIN) && (commandLine.contains("-Dkaraf.home=" + home + " ")
                || commandLine.contains("-Dkaraf.home=" + realHome + " "));
    }

    /**
     * @return whether the JVM that wrote {@code karaf.pid} has exited; false while there is no pid file yet
     */
    private boolean jvmExited() throws IOException {
        return pidFromFile()
                .map(pid -> ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true))
                .orElse(false);
    }

    private Optional<Long> pidFromFile() throws IOException {
        Path file = home.resolve("karaf.pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException("karaf.pid holds no pid: '" + text + "'", e);
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    // ---- HTTP ----

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private Reply send(String method, String path, String json, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/netloom/api/v1" + path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    // ---- unpacking and configuration ----

    private static Path distribution(Path moduleDir) {
        String configured = System.getProperty("netloom.distribution");
        Path file;
        if (configured != null && !configured.isBlank()) {
            file = Path.of(configured).toAbsolutePath();
        } else {
            String version = System.getProperty("netloom.version");
            if (version == null) {
                throw new IllegalStateException("Neither netloom.distribution nor netloom.version is set "
                        + "(failsafe sets netloom.version)");
            }
            file = moduleDir.resolve("../karaf-distribution/target/netloom-distribution-" + version + ".tar.gz")
                    .normalize();
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("No distribution at " + file
                    + "; build it with 'mvn -B -q install -DskipTests' at the top level");
        }
        return file;
    }

    private void unpack(Path distribution) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder(List.of("tar", "-xzf", distribution.toString(), "-C", home.toString(),
                "--strip-components=1"))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed to unpack " + distribution + ": " + output);
        }
        if (!Files.isExecutable(home.resolve("bin/start"))) {
            throw new IOException(distribution + " holds no bin/start at its top level");
        }
    }

    /**
     * Replaces the line of {@code key} in a properties file, or appends one when the key is absent.
     */
    private void setProperty(String file, String key, int value) throws IOException {
        configure(file, key, Integer.toString(value));
    }

    /**
     * Sets one key of a configuration file of the unpacked distribution (before {@link #start()}, or at runtime for
     * the files Netloom reads while it runs), replacing its line or appending one.
     *
     * @param file the file, relative to the distribution, such as {@code etc/io.netloom.node.cfg}
     * @param key the key
     * @param value its value
     * @throws IOException when the file cannot be written
     */
    public void configure(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = Files.exists(path)
                ? new ArrayList<>(Files.readAllLines(path, StandardCharsets.ISO_8859_1))
                : new ArrayList<>();
        String line = key + " = " + value;
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (definesKey(lines.get(i), key)) {
                lines.set(i, line);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(line);
        }
        Files.write(path, lines, StandardCharsets.ISO_8859_1);
    }

    private static boolean definesKey(String line, String key) {
        String trimmed = line.stripLeading();
        if (!trimmed.startsWith(key)) {
            return false;
        }
        String rest = trimmed.substring(key.length()).stripLeading();
        return rest.startsWith("=") || rest.startsWith(":");
    }

    /**
     * @return distinct free ports on 127.0.0.1, none of Karaf's defaults; all sockets are held until every port is
     *         chosen, so no port is handed out twice
     */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            int found = 0;
            while (found < count) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                int port = socket.getLocalPort();
                if (port != 8181 && port != 8101 && port != 1099 && port != 44444) {
                    ports[found++] = port;
                }
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(PASSWORD_ALPHABET[random.nextInt(PASSWORD_ALPHABET.length)]);
        }
        return sb.toString();
    }

    // ---- diagnostics and clean-up ----

    private String diagnostics() {
        return "home " + home + "\n--- scripts.log ---\n" + tail(home.resolve("scripts.log"))
                + "\n--- console.log ---\n" + tail(home.resolve("console.log"))
                + "\n--- data/log/karaf.log ---\n" + tail(home.resolve("data/log/karaf.log"));
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(none)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void keepLogs() throws IOException {
        for (String log : List.of("data/log/karaf.log", "console.log")) {
            Path source = home.resolve(log);
            if (Files.exists(source)) {
                String suffix = log.endsWith("karaf.log") ? "-karaf.log" : "-console.log";
                Files.copy(source, workDir.resolve(home.getFileName() + suffix),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void deleteHome() throws IOException {
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
