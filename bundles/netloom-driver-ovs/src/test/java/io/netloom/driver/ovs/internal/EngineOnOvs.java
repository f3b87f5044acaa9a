package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netloom.hostnet.NetnsBinding;

/**
 * What a test of the engine on a real userspace Open vSwitch needs: the daemons ({@link OvsDaemons}), a bridge
 * reached over OVSDB and OpenFlow as the driver reaches it, and the namespaces and port devices the test makes.
 * {@link #close()} removes them all, in that order reversed, and the bridge's tap device, even after a failure.
 */
final class EngineOnOvs implements AutoCloseable {

    private final OvsDaemons ovs;
    private final String bridge;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> ports = new ArrayList<>();
    private OvsdbBridgeDb db;
    private OpenFlowSwitch flows;

    private EngineOnOvs(OvsDaemons ovs, String bridge) {
        this.ovs = ovs;
        this.bridge = bridge;
    }

    /**
     * Starts the daemons, makes the bridge and connects to it.
     *
     * @param prefix names the daemons' temporary directory
     * @param bridge the bridge's name (a tap device of that name appears in the host's namespace)
     * @return the running fixture
     * @throws Exception when something cannot be started or connected within 20 s
     */
    static EngineOnOvs start(String prefix, String bridge) throws Exception {
        EngineOnOvs fixture = new EngineOnOvs(OvsDaemons.start(prefix), bridge);
        try {
            fixture.db = new OvsdbBridgeDb("unix:" + fixture.ovs.socket(), bridge, "netdev", null);
            fixture.db.start();
            awaitTrue("connected to OVSDB", fixture.db::connected);
            fixture.db.ensureBridge();
            fixture.flows = new OpenFlowSwitch("unix:" + fixture.ovs.dir().resolve(bridge + ".mgmt"));
            fixture.flows.start();
            awaitTrue("connected over OpenFlow", fixture.flows::connected);
            return fixture;
        } catch (Exception | AssertionError e) {
            fixture.close();
            throw e;
        }
    }

    OvsDaemons ovs() {
        return ovs;
    }

    OvsdbBridgeDb db() {
        return db;
    }

    OpenFlowSwitch flows() {
        return flows;
    }

    /**
     * Makes a namespace for a port (deleting a stale one of that name first); both go at {@link #close()}.
     *
     * @param namespace the namespace's name
     * @param port the port's id, whose host device is deleted at close if it is left
     * @throws Exception when the namespace cannot be made
     */
    void namespaceFor(String namespace, String port) throws Exception {
        run("ip", "netns", "del", namespace);
        assertTrue(run("ip", "netns", "add", namespace));
        namespaces.add(namespace);
        ports.add(port);
    }

    @Override
    public void close() throws Exception {
        try {
            if (flows != null) {
                flows.close();
            }
            if (db != null) {
                db.close();
            }
            for (String ns : namespaces) {
                run("ip", "netns", "del", ns);
            }
            for (String port : ports) {
                if (Files.exists(Path.of("/sys/class/net", NetnsBinding.hostDevice(port)))) {
                    run("ip", "link", "del", NetnsBinding.hostDevice(port));
                }
            }
        } finally {
            ovs.close();
            // The userspace datapath leaves the bridge's tap device behind in the host's namespace.
            if (Files.exists(Path.of("/sys/class/net", bridge))) {
                run("ip", "link", "del", bridge);
            }
        }
    }

    /**
     * Waits up to 20 s for a condition.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws Exception when interrupted
     */
    static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(what, condition.getAsBoolean());
    }

    /**
     * Runs a command, output discarded, killed after 30 s.
     *
     * @param command the program and its arguments
     * @return whether it exited with 0
     * @throws Exception when it cannot be started
     */
    static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }
}
