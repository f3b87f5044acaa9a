package io.netloom.driver.ovs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A userspace Open vSwitch ({@code ovsdb-server} and {@code ovs-vswitchd}) for one test, run from a temporary
 * directory and stopped by the pids in its pid files; {@link #close()} also deletes the tap devices its netdev
 * bridges left in the host namespace and the directory.
 */
final class OvsDaemons implements AutoCloseable {

    private final Path dir;
    private final List<String> bridges = new ArrayList<>();
    /** Whether the devices live in a namespace of the test's: they go with it, and none of ours is touched. */
    private final boolean namespaced;

    private OvsDaemons(Path dir, boolean namespaced) {
        this.dir = dir;
        this.namespaced = namespaced;
    }

    /** Whether the daemons can run here: Open vSwitch installed and the test running as root. */
    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/ovs-vswitchd"))
                && "root".equals(System.getProperty("user.name"));
    }

    /** Starts both daemons with an empty database in a new temporary directory named after {@code prefix}. */
    static OvsDaemons start(String prefix) throws Exception {
        return start(prefix, List.of());
    }

    /**
     * Starts both daemons inside a network namespace (a host of a multi-host test): its devices, the datapath's tap
     * included, live there and go with it; the sockets stay in the temporary directory, reachable from outside.
     */
    static OvsDaemons startIn(String prefix, String namespace) throws Exception {
        return start(prefix, List.of("ip", "netns", "exec", namespace));
    }

    private static OvsDaemons start(String prefix, List<String> inNamespace) throws Exception {
        OvsDaemons daemons = new OvsDaemons(Files.createTempDirectory(prefix), !inNamespace.isEmpty());
        try {
            Path dir = daemons.dir;
            daemons.run("ovsdb-tool", "create", dir.resolve("conf.db").toString(),
                    "/usr/share/openvswitch/vswitch.ovsschema");
            daemons.run("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + daemons.socket(),
                    "--pidfile=" + dir.resolve("ovsdb.pid"), "--detach", "--log-file=" + dir.resolve("ovsdb.log"));
            daemons.run("ovs-vsctl", "--db=unix:" + daemons.socket(), "--no-wait", "init");
            List<String> vswitchd = new ArrayList<>(inNamespace);
            vswitchd.addAll(List.of("ovs-vswitchd", "unix:" + daemons.socket(), "--pidfile="
                    + dir.resolve("vswitchd.pid"), "--detach", "--log-file=" + dir.resolve("vswitchd.log")));
            daemons.run(vswitchd.toArray(String[]::new));
            return daemons;
        } catch (Exception e) {
            daemons.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    Path socket() {
        return dir.resolve("db.sock");
    }

    /** Adds a secure, OpenFlow 1.3, userspace bridge; {@link #close()} deletes its tap device. */
    void addBridge(String bridge) throws Exception {
        bridges.add(bridge);
        vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure",
                "protocols=OpenFlow13");
    }

    String vsctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + socket()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    String appctl(String... args) throws Exception {
        String pid = Files.readString(dir.resolve("vswitchd.pid")).trim();
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "-t",
                dir.resolve("ovs-vswitchd." + pid + ".ctl").toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs an Open vSwitch tool with this instance's run, log and database directories; fails on a non-zero exit. */
    String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (String variable : List.of("OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR")) {
            builder.environment().put(variable, dir.toString());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output);
        }
        return output;
    }

    @Override
    public void close() throws Exception {
        for (String pidfile : List.of("vswitchd.pid", "ovsdb.pid")) {
            Path file = dir.resolve(pidfile);
            if (Files.exists(file)) {
                ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
            }
        }
        List<String> devices = new ArrayList<>(bridges);
        if (!namespaced) {
            devices.add("ovs-netdev");
        }
        for (String device : devices) {
            if (Files.exists(Path.of("/sys/class/net", device))) {
                new ProcessBuilder("ip", "link", "del", device).redirectErrorStream(true).start().waitFor();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
