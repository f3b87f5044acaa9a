package io.netloom.ovsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Assume;

/**
 * A real ovsdb-server on a fresh Open_vSwitch database in a temporary directory, reachable over a Unix socket and a
 * loopback TCP port. Only ever signals the process it started, by the PID from its own pidfile. Tests skip (through
 * {@link Assume}) when Open vSwitch is not installed. {@link #close()} stops the server and deletes the directory.
 */
public final class OvsdbServerFixture implements AutoCloseable {
    static final Path OVSDB_SERVER = Path.of("/usr/sbin/ovsdb-server");
    static final Path OVSDB_TOOL = Path.of("/usr/bin/ovsdb-tool");
    static final Path OVS_VSCTL = Path.of("/usr/bin/ovs-vsctl");
    static final Path KILL = Path.of("/bin/kill");
    static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final long WAIT_MILLIS = 10_000;

    private final Path dir;
    private final int port;
    private long pid = -1;

    private OvsdbServerFixture(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test when ovsdb-server, ovsdb-tool or the schema is missing. */
    public static void assumeInstalled() {
        Assume.assumeTrue("Open vSwitch is not installed (" + OVSDB_SERVER + ")",
                Files.isExecutable(OVSDB_SERVER) && Files.isExecutable(OVSDB_TOOL) && Files.isReadable(SCHEMA));
    }

    /**
     * Creates the database, starts the server and, when asked, creates the Open_vSwitch root row with
     * {@code ovs-vsctl init}.
     *
     * @param init whether to run {@code ovs-vsctl --no-wait init}
     * @return the running fixture
     */
    public static OvsdbServerFixture start(boolean init) throws IOException, InterruptedException {
        assumeInstalled();
        OvsdbServerFixture fixture = new OvsdbServerFixture(Files.createTempDirectory("netloom-ovsdb-"), freePort());
        try {
            fixture.run(List.of(OVSDB_TOOL.toString(), "create", fixture.database().toString(), SCHEMA.toString()));
            fixture.startServer();
            if (init) {
                fixture.vsctl("init");
            }
            return fixture;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public Path database() {
        return dir.resolve("conf.db");
    }

    public Path socket() {
        return dir.resolve("db.sock");
    }

    public int port() {
        return port;
    }

    public long pid() {
        return pid;
    }

    public OvsdbEndpoint unixEndpoint() {
        return OvsdbEndpoint.unix(socket());
    }

    public OvsdbEndpoint tcpEndpoint() {
        return OvsdbEndpoint.tcp("127.0.0.1", port);
    }

    /** Starts (or restarts, after {@link #kill9()}) the server on the same database, socket and port. */
    public void startServer() throws IOException, InterruptedException {
        if (pid > 0 && isRunning(pid)) {
            throw new IllegalStateException("ovsdb-server " + pid + " is still running");
        }
        Path pidfile = dir.resolve("ovsdb.pid");
        Files.deleteIfExists(pidfile);
        run(List.of(OVSDB_SERVER.toString(), database().toString(), "--remote=punix:" + socket(),
                "--remote=ptcp:" + port + ":127.0.0.1", "--pidfile=" + pidfile, "--detach",
                "--log-file=" + dir.resolve("ovsdb.log")));
        pid = Long.parseLong(Files.readString(pidfile).trim());
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!Files.exists(socket()) || !tcpAccepts()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("ovsdb-server " + pid + " not listening after " + WAIT_MILLIS
                        + " ms; log:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    private boolean tcpAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill9() throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        awaitExit();
    }

    /**
     * Sends a signal to the server with {@code /bin/kill}, such as {@code STOP} or {@code CONT}.
     *
     * @param signal the signal name without {@code SIG}
     */
    public void signal(String signal) throws IOException, InterruptedException {
        run(List.of(KILL.toString(), "-" + signal, Long.toString(pid)));
    }

    /** Runs {@code ovs-vsctl --db=unix:SOCKET --no-wait ARGS} and returns its output. */
    public String vsctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OVS_VSCTL.toString(), "--db=unix:" + socket(), "--no-wait",
                "--timeout=10"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a transaction directly on the database file with {@code ovsdb-tool transact}; the server must be down. */
    public String toolTransact(String transaction) throws IOException, InterruptedException {
        return run(List.of(OVSDB_TOOL.toString(), "transact", database().toString(), transaction));
    }

    public String log() {
        try {
            Path log = dir.resolve("ovsdb.log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "cmd-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                        .toFile()));
        Map<String, String> env = builder.environment();
        env.put("OVS_RUNDIR", dir.toString());
        env.put("OVS_LOGDIR", dir.toString());
        env.put("OVS_DBDIR", dir.toString());
        Process process = builder.start();
        if (!process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + WAIT_MILLIS + " ms");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    private void awaitExit() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (isRunning(pid)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("ovsdb-server " + pid + " still running");
            }
            Thread.sleep(20);
        }
    }

    /** A process that has exited but is not reaped yet (a zombie, state Z) counts as stopped. */
    private static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            String state = text.substring(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
            return !"Z".equals(state) && !"X".equals(state);
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL) and deletes the directory. */
    @Override
    public void close() {
        try {
            if (pid > 0 && isRunning(pid)) {
                ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
                if (handle != null) {
                    handle.destroy();
                    long deadline = System.currentTimeMillis() + 2000;
                    while (isRunning(pid) && System.currentTimeMillis() < deadline) {
                        Thread.sleep(20);
                    }
                    if (isRunning(pid)) {
                        handle.destroyForcibly();
                        awaitExit();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
