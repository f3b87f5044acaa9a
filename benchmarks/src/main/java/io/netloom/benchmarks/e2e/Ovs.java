package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Open vSwitch of its own (ovsdb-server and ovs-vswitchd with the userspace datapath) running from one directory:
 * its database, sockets, logs and pid files all live there, and {@code OVS_RUNDIR}, {@code OVS_LOGDIR} and
 * {@code OVS_DBDIR} point there. The harness runs it inside its own network namespace, so the tap devices of the
 * userspace datapath ({@code ovs-netdev}, one per bridge) cannot clash with another switch on the machine.
 */
final class Ovs implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration QUICK = Duration.ofSeconds(60);

    private final Path dir;
    private final Map<String, String> env;
    private final List<String> bridges = new ArrayList<>();

    private Ovs(Path dir) {
        this.dir = dir;
        this.env = Map.of("OVS_RUNDIR", dir.toString(), "OVS_LOGDIR", dir.toString(), "OVS_DBDIR", dir.toString());
    }

    /**
     * Creates a fresh database in {@code dir} and starts both daemons.
     *
     * @throws Exec.ExecException when a daemon does not start
     */
    static Ovs start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Ovs ovs = new Ovs(dir);
        try {
            ovs.run(List.of("ovsdb-tool", "create", dir.resolve("conf.db").toString(),
                    "/usr/share/openvswitch/vswitch.ovsschema"));
            ovs.run(List.of("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + ovs.dbSocket(),
                    "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--detach",
                    "--log-file=" + dir.resolve("ovsdb-server.log")));
            ovs.vsctl(List.of("--no-wait", "init"));
            ovs.run(List.of("ovs-vswitchd", "unix:" + ovs.dbSocket(), "--pidfile=" + dir.resolve("ovs-vswitchd.pid"),
                    "--detach", "--log-file=" + dir.resolve("ovs-vswitchd.log")));
            return ovs;
        } catch (RuntimeException e) {
            ovs.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    Map<String, String> env() {
        return env;
    }

    Path dbSocket() {
        return dir.resolve("db.sock");
    }

    /** @return the OpenFlow management socket of a bridge, as ovs-ofctl names it */
    String openflowEndpoint(String bridge) {
        return "unix:" + dir.resolve(bridge + ".mgmt");
    }

    /** Adds a bridge on the userspace datapath that drops what no flow allows. */
    void addBridge(String bridge) {
        vsctl(List.of("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure",
                "other-config:disable-in-band=true"));
        bridges.add(bridge);
    }

    /** Runs ovs-vsctl against this switch's database. */
    Exec.Result vsctl(List<String> args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--timeout=300", "--db=unix:" + dbSocket()));
        command.addAll(args);
        return run(command);
    }

    /** Runs {@code ovs-ofctl -O OpenFlow13 OPTIONS SUBCOMMAND ENDPOINT ARGS} against a bridge of this switch. */
    Exec.Result ofctl(List<String> options, String subcommand, String bridge, List<String> args) {
        List<String> command = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        command.addAll(options);
        command.add(subcommand);
        command.add(openflowEndpoint(bridge));
        command.addAll(args);
        return Exec.check(TIMEOUT, env, command);
    }

    /** @return how many flows of a bridge match a cookie (all of its bits) */
    long flowCount(String bridge, long cookie) {
        return flowCount(bridge, cookie, -1L);
    }

    /**
     * @param mask the cookie bits that must match; 0 counts every flow of the bridge
     * @return how many flows of a bridge match a cookie in the bits of {@code mask}
     */
    long flowCount(String bridge, long cookie, long mask) {
        String out = Exec.check(TIMEOUT, env, List.of("ovs-ofctl", "-O", "OpenFlow13", "dump-aggregate",
                openflowEndpoint(bridge), "cookie=0x" + Long.toHexString(cookie) + "/0x" + Long.toHexString(mask)))
                .output();
        int at = out.indexOf("flow_count=");
        if (at < 0) {
            throw new IllegalStateException("dump-aggregate printed no flow_count: " + out);
        }
        int end = at + "flow_count=".length();
        int stop = end;
        while (stop < out.length() && Character.isDigit(out.charAt(stop))) {
            stop++;
        }
        return Long.parseLong(out.substring(end, stop));
    }

    private Exec.Result run(List<String> command) {
        return Exec.check(TIMEOUT, env, command);
    }

    /**
     * Stops both daemons by their pid files and deletes the tap devices the userspace datapath leaves behind in
     * this network namespace.
     */
    @Override
    public void close() {
        Pidfiles.stop(dir.resolve("ovs-vswitchd.pid"), dir);
        Pidfiles.stop(dir.resolve("ovsdb-server.pid"), dir);
        List<String> leftovers = new ArrayList<>(bridges);
        leftovers.add("ovs-netdev");
        for (String device : leftovers) {
            Exec.run(QUICK, Map.of(), List.of("ip", "link", "del", device), null);
        }
    }
}
