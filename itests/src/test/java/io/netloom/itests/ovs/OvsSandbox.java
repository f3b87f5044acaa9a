package io.netloom.itests.ovs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Open vSwitch for one test: ovsdb-server and ovs-vswitchd (userspace datapath) run from a temporary
 * directory, reachable at {@code unix:DIR/db.sock}. It is stopped by the PIDs in its own pidfiles, never by name,
 * and {@link #close()} deletes what the userspace datapath leaves behind (its tap devices).
 */
public final class OvsSandbox implements AutoCloseable {

    private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    private final Path dir;
    private final String bridge;

    /**
     * @param bridge the integration bridge the driver will create, whose tap device is deleted at the end
     */
    private OvsSandbox(Path dir, String bridge) {
        this.dir = dir;
        this.bridge = bridge;
    }

    /**
     * @return whether Open vSwitch is installed and this process may run it (root)
     */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/ovs-vswitchd")) && Files.exists(Path.of(SCHEMA))
                && "root".equals(System.getProperty("user.name"));
    }

    /**
     * Creates the database and starts both daemons.
     *
     * @param bridge the bridge name the driver is configured with
     * @return the running sandbox
     */
    public static OvsSandbox start(String bridge) throws Exception {
        Path dir = Files.createTempDirectory("nl-ovs-");
        OvsSandbox sandbox = new OvsSandbox(dir, bridge);
        try {
            sandbox.run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA);
            sandbox.startDaemons();
            sandbox.run("ovs-vsctl", "--db=" + sandbox.dbRemote(), "--no-wait", "init");
        } catch (Exception e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    /** Starts ovsdb-server, then ovs-vswitchd, on the existing database. */
    public void startDaemons() throws Exception {
        run("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
                "--remote=db:Open_vSwitch,Open_vSwitch,manager_options", "--pidfile=" + dir.resolve("ovsdb.pid"),
                "--detach", "--log-file=" + dir.resolve("ovsdb.log"));
        run("ovs-vswitchd", dbRemote(), "--pidfile=" + dir.resolve("vswitchd.pid"), "--detach",
                "--log-file=" + dir.resolve("vswitchd.log"));
    }

    /** Kills both daemons with SIGKILL, as a crash would. */
    public void kill() throws Exception {
        for (String pidfile : List.of("vswitchd.pid", "ovsdb.pid")) {
            stop(pidfile, true);
        }
    }

    /** @return the OVSDB remote, {@code unix:DIR/db.sock} */
    public String dbRemote() {
        return "unix:" + dir.resolve("db.sock");
    }

    /** @return the bridge's OpenFlow management socket, {@code unix:DIR/BRIDGE.mgmt} */
    public String openFlowEndpoint() {
        return "unix:" + dir.resolve(bridge + ".mgmt");
    }

    /** @return the directory everything lives in */
    public Path dir() {
        return dir;
    }

    /**
     * @return {@code ovs-ofctl dump-flows} of the bridge, OpenFlow 1.3
     */
    public String dumpFlows() throws Exception {
        return run("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", openFlowEndpoint());
    }

    /**
     * Runs {@code ovs-appctl} against the running ovs-vswitchd.
     *
     * @param args the command and its arguments
     * @return its output
     */
    public String appctl(String... args) throws Exception {
        String pid = Files.readString(dir.resolve("vswitchd.pid")).trim();
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "-t",
                dir.resolve("ovs-vswitchd." + pid + ".ctl").toString()));
        command.addAll(List.of(args));
        return run(command.toArray(new String[0]));
    }

    /**
     * Runs a tool of the sandbox with its environment (OVS_RUNDIR and friends).
     *
     * @param command the argument list
     * @return standard output
     * @throws IOException when it exits non-zero
     */
    public String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (String variable : List.of("OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR", "OVS_SYSCONFDIR")) {
            env.put(variable, dir.toString());
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }

    private void stop(String pidfile, boolean hard) throws Exception {
        Path file = dir.resolve(pidfile);
        if (!Files.exists(file)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(file).trim());
        ProcessHandle.of(pid).ifPresent(handle -> {
            if (hard) {
                handle.destroyForcibly();
            } else {
                handle.destroy();
            }
            handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        });
        Files.deleteIfExists(file);
    }

    /**
     * Stops both daemons, deletes the devices the userspace datapath leaves and the directory.
     */
    @Override
    public void close() throws Exception {
        try {
            stop("vswitchd.pid", false);
            stop("ovsdb.pid", false);
        } finally {
            for (String device : List.of(bridge, "ovs-netdev")) {
                if (Files.exists(Path.of("/sys/class/net", device))) {
                    new ProcessBuilder("ip", "link", "del", device).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
