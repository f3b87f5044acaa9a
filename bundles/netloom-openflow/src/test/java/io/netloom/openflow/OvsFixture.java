package io.netloom.openflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private userspace Open vSwitch for tests: its own ovsdb-server and ovs-vswitchd in a temporary directory
 * ({@code OVS_RUNDIR}, {@code OVS_LOGDIR} and {@code OVS_DBDIR} point there for every child process), bridges with
 * {@code datapath_type=netdev}. ovs-vswitchd runs in a network namespace of its own when one can be made, so the tap
 * devices of the userspace datapath ({@code ovs-netdev}, one per bridge) never meet another test's switch.
 *
 * <p>{@link #close()} always stops both daemons by the PIDs in their pidfiles, deletes the tap devices, the
 * namespace and the directory; it also runs from a shutdown hook if the JVM exits early.
 */
final class OvsFixture implements AutoCloseable {
    private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    private static final List<String> BINARIES = List.of("ovsdb-tool", "ovsdb-server", "ovs-vsctl", "ovs-vswitchd",
            "ovs-ofctl");

    private final Path dir;
    private final String netns;
    private final List<String> bridges = new ArrayList<>();
    private final Thread hook = new Thread(this::stopQuietly, "ovs-fixture-cleanup");
    private boolean closed;

    private OvsFixture(Path dir, String netns) {
        this.dir = dir;
        this.netns = netns;
    }

    /** @return whether the Open vSwitch binaries and schema are installed and we are root (tap devices need it) */
    static boolean available() {
        if (!Files.exists(Path.of(SCHEMA)) || !BINARIES.stream().allMatch(b -> which(b).isPresent())) {
            return false;
        }
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Optional<Path> which(String binary) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        return Stream.of(path.split(":")).filter(p -> !p.isEmpty()).map(p -> Path.of(p, binary))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts the daemons and one bridge.
     *
     * @param bridge the first bridge's name
     * @return the running fixture
     */
    static OvsFixture start(String bridge) throws IOException, InterruptedException {
        Path tmp = Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(tmp, "nlof-");
        String ns = "nlof-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        String netns = which("ip").isPresent() && run(List.of("ip", "netns", "add", ns), dir, null, false) == 0 ? ns
                : null;
        OvsFixture f = new OvsFixture(dir, netns);
        Runtime.getRuntime().addShutdownHook(f.hook);
        try {
            f.exec("ovsdb-tool", "create", dir + "/conf.db", SCHEMA);
            f.exec("ovsdb-server", dir + "/conf.db", "--remote=punix:" + dir + "/db.sock",
                    "--pidfile=" + dir + "/ovsdb.pid", "--detach", "--log-file=" + dir + "/ovsdb.log");
            f.vsctl("--no-wait", "init");
            List<String> vswitchd = new ArrayList<>();
            if (netns != null) {
                vswitchd.addAll(List.of("ip", "netns", "exec", netns));
            }
            vswitchd.addAll(List.of("ovs-vswitchd", "unix:" + dir + "/db.sock", "--pidfile=" + dir + "/vsd.pid",
                    "--detach", "--log-file=" + dir + "/vsd.log"));
            f.exec(vswitchd.toArray(new String[0]));
            f.addBridge(bridge);
            return f;
        } catch (IOException | InterruptedException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Adds an OpenFlow 1.3 bridge with no flows and no controller.
     *
     * @param bridge the name
     */
    void addBridge(String bridge) throws IOException, InterruptedException {
        bridges.add(bridge);
        vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure",
                "protocols=OpenFlow13");
        Path mgmt = dir.resolve(bridge + ".mgmt");
        for (int i = 0; i < 100 && !Files.exists(mgmt); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(mgmt)) {
            throw new IOException("ovs-vswitchd made no " + mgmt + "; see " + dir.resolve("vsd.log"));
        }
    }

    /** @return the channel endpoint of a bridge's management socket */
    String endpoint(String bridge) {
        return "unix:" + dir.resolve(bridge + ".mgmt");
    }

    /** @return the fixture's directory */
    Path dir() {
        return dir;
    }

    /** Runs ovs-vsctl against this fixture's database and returns its output. */
    String vsctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir + "/db.sock"));
        cmd.addAll(List.of(args));
        return exec(cmd.toArray(new String[0]));
    }

    /** Runs {@code ovs-ofctl -O OpenFlow13 ARGS} and returns its output. */
    String ofctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(List.of(args));
        return exec(cmd.toArray(new String[0]));
    }

    /** @return the number of flows on a bridge, from {@code ovs-ofctl dump-aggregate} */
    long flowCount(String bridge) throws IOException, InterruptedException {
        String out = ofctl("dump-aggregate", "unix:" + dir.resolve(bridge + ".mgmt"));
        int i = out.indexOf("flow_count=");
        if (i < 0) {
            throw new IOException("no flow_count in " + out);
        }
        int end = i + "flow_count=".length();
        while (end < out.length() && Character.isDigit(out.charAt(end))) {
            end++;
        }
        return Long.parseLong(out.substring(i + "flow_count=".length(), end));
    }

    /** Runs a command with the fixture's environment; fails on a non-zero exit. */
    String exec(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        try {
            int rc = run(List.of(command), dir, out, true);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (rc != 0) {
                throw new IOException(String.join(" ", command) + " exited " + rc + ": " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int run(List<String> command, Path dir, Path output, boolean ovsEnv)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (output != null) {
            pb.redirectOutput(output.toFile());
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        if (ovsEnv) {
            Map<String, String> env = pb.environment();
            env.put("OVS_RUNDIR", dir.toString());
            env.put("OVS_LOGDIR", dir.toString());
            env.put("OVS_DBDIR", dir.toString());
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        return p.exitValue();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and running the hook itself.
        }
        stopQuietly();
    }

    private void stopQuietly() {
        stopDaemon("vsd.pid", "ovs-vswitchd");
        stopDaemon("ovsdb.pid", "ovsdb-server");
        List<String> devices = new ArrayList<>(List.of("ovs-netdev"));
        devices.addAll(bridges);
        for (String device : devices) {
            List<String> cmd = new ArrayList<>();
            if (netns != null) {
                cmd.addAll(List.of("ip", "netns", "exec", netns));
            }
            cmd.addAll(List.of("ip", "link", "del", device));
            try {
                if (deviceExists(device)) {
                    run(cmd, dir, null, false);
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete device " + device + ": " + e);
            }
        }
        if (netns != null) {
            try {
                run(List.of("ip", "netns", "del", netns), dir, null, false);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete netns " + netns + ": " + e);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private boolean deviceExists(String device) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of("ip", "link", "show", device));
        return run(cmd, dir, null, false) == 0;
    }

    private void stopDaemon(String pidfile, String name) {
        Path file = dir.resolve(pidfile);
        try {
            if (!Files.exists(file)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid)
                    .filter(h -> h.info().command().map(c -> c.endsWith(name)).orElse(true));
            if (handle.isEmpty()) {
                return;
            }
            handle.get().destroy();
            try {
                handle.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                handle.get().destroyForcibly();
                handle.get().onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("could not stop " + name + " from " + file + ": " + e);
        }
    }
}
