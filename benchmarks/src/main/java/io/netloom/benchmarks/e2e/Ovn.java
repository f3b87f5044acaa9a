package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OVN central and one chassis, all in one directory: the northbound and southbound ovsdb-servers, ovn-northd, and
 * an ovn-controller bound to an {@link Ovs} of the harness (integration bridge {@code br-int} on the userspace
 * datapath, geneve encapsulation on 127.0.0.1; with one chassis no tunnel ever carries traffic).
 */
final class Ovn implements AutoCloseable {

    static final String BRIDGE = "br-int";
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String[] DAEMONS = {"ovn-controller", "ovn-northd", "ovsdb-nb", "ovsdb-sb"};

    private final Path dir;
    private final Ovs ovs;
    private final Map<String, String> env;

    private Ovn(Path dir, Ovs ovs) {
        this.dir = dir;
        this.ovs = ovs;
        Map<String, String> e = new HashMap<>(ovs.env());
        e.put("OVN_RUNDIR", dir.toString());
        e.put("OVN_LOGDIR", dir.toString());
        e.put("OVN_DBDIR", dir.toString());
        this.env = Map.copyOf(e);
    }

    /**
     * Starts OVN central in {@code dir}, attaches the chassis to {@code ovs} and waits until the chassis has
     * registered in the southbound database.
     */
    static Ovn start(Path dir, Ovs ovs) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Ovn ovn = new Ovn(dir, ovs);
        try {
            ovn.startDb("nb", "/usr/share/ovn/ovn-nb.ovsschema");
            ovn.startDb("sb", "/usr/share/ovn/ovn-sb.ovsschema");
            ovn.run(List.of("ovn-northd", "--ovnnb-db=unix:" + dir.resolve("nb.sock"),
                    "--ovnsb-db=unix:" + dir.resolve("sb.sock"), "--pidfile=" + dir.resolve("ovn-northd.pid"),
                    "--detach", "--log-file=" + dir.resolve("ovn-northd.log")));
            ovs.addBridge(BRIDGE);
            ovs.vsctl(List.of("set", "open_vswitch", ".", "external_ids:system-id=nlb-chassis",
                    "external_ids:ovn-remote=unix:" + dir.resolve("sb.sock"), "external_ids:ovn-encap-type=geneve",
                    "external_ids:ovn-encap-ip=127.0.0.1", "external_ids:ovn-bridge=" + BRIDGE,
                    "external_ids:ovn-bridge-datapath-type=netdev"));
            ovn.run(List.of("ovn-controller", "unix:" + ovs.dbSocket(),
                    "--pidfile=" + dir.resolve("ovn-controller.pid"), "--detach",
                    "--log-file=" + dir.resolve("ovn-controller.log")));
            ovn.awaitChassis();
            return ovn;
        } catch (RuntimeException e) {
            ovn.close();
            throw e;
        }
    }

    private void startDb(String name, String schema) {
        Path db = dir.resolve(name + ".db");
        run(List.of("ovsdb-tool", "create", db.toString(), schema));
        run(List.of("ovsdb-server", db.toString(), "--remote=punix:" + dir.resolve(name + ".sock"),
                "--pidfile=" + dir.resolve("ovsdb-" + name + ".pid"),
                "--unixctl=" + dir.resolve("ovsdb-" + name + ".ctl"), "--detach",
                "--log-file=" + dir.resolve("ovsdb-" + name + ".log")));
    }

    private void awaitChassis() {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            Exec.Result r = Exec.run(Ovs.TIMEOUT, env, List.of("ovn-sbctl", "--db=unix:" + dir.resolve("sb.sock"),
                    "--bare", "--columns=name", "list", "chassis"), null);
            if (r.ok() && r.output().contains("nlb-chassis")) {
                // A first --wait=hv also proves that ovn-controller reports back.
                nbctl(List.of("--wait=hv", "--timeout=60", "sync"));
                return;
            }
            Harness.sleep(100);
        }
        throw new IllegalStateException("ovn-controller did not register its chassis within " + READY.toSeconds()
                + " s; see " + dir.resolve("ovn-controller.log"));
    }

    Ovs ovs() {
        return ovs;
    }

    /** Runs ovn-nbctl against the northbound database: one invocation is one transaction. */
    Exec.Result nbctl(List<String> args) {
        List<String> command = new ArrayList<>(List.of("ovn-nbctl", "--db=unix:" + dir.resolve("nb.sock")));
        command.addAll(args);
        return run(command);
    }

    private Exec.Result run(List<String> command) {
        return Exec.check(Ovs.TIMEOUT, env, command);
    }

    /** Stops the OVN daemons by their pid files; the switch is closed by its owner. */
    @Override
    public void close() {
        for (String daemon : DAEMONS) {
            Pidfiles.stop(dir.resolve(daemon + ".pid"), dir);
        }
    }
}
