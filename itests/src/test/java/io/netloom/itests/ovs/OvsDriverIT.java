package io.netloom.itests.ovs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;

import io.netloom.itests.NetloomTestSupport;
import io.netloom.itests.conformance.ConformanceRunner;
import io.netloom.itests.conformance.ConformanceScenario;
import io.netloom.itests.conformance.ConformanceScenario.Answer;
import io.netloom.itests.conformance.ConformanceScenario.Rest;
import io.netloom.itests.conformance.EstablishedFlows;
import io.netloom.itests.conformance.HostProcesses;
import io.netloom.itests.conformance.NetnsReachabilityProbe;

/**
 * The Open vSwitch driver against real daemons (userspace datapath) in a temporary directory, with ports bound to
 * network namespaces this test creates and real packets between them: the conformance scenario's reachability
 * equals explain's at every stage, measured with real pings and TCP connections; the driver reconnects and resyncs
 * after both daemons are killed and restarted, repairs flows deleted behind its back, and a bundle update of the
 * driver under a 100-packets-per-second ping loses no packet.
 */
public class OvsDriverIT extends NetloomTestSupport {

    static final String BRIDGE = "br-nlt";
    static final String DRIVER_PID = "io.netloom.driver.ovs";
    static final String DRIVER_BUNDLE = "io.netloom.driver.ovs";

    private static final Logger LOG = LoggerFactory.getLogger(OvsDriverIT.class);

    private final List<String> namespaces = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();
    private OvsSandbox ovs;

    @Before
    public void startOvs() throws Exception {
        assumeTrue("Open vSwitch and root are needed", OvsSandbox.available());
        waitForRest();
        ovs = OvsSandbox.start(BRIDGE);
        configureDriver(ovs);
    }

    @After
    public void cleanUp() throws Exception {
        try {
            for (String network : networks) {
                deleteNetwork(network);
            }
        } finally {
            for (String ns : namespaces) {
                run(false, "ip", "netns", "del", ns);
            }
            if (ovs != null) {
                ovs.close();
            }
        }
    }

    @Override
    protected Option[] extraOptions() {
        // The conformance probe's agent runs in its own JVM inside each namespace, from the test classes on disk.
        return new Option[] {systemProperty(NetnsReachabilityProbe.AGENT_CLASSPATH_PROPERTY)
                .value(new File("target/test-classes").getAbsolutePath())};
    }

    private Rest rest() {
        return (method, path, body) -> {
            Reply reply = asAdmin(method, path, body);
            return new Answer(reply.status(), reply.body());
        };
    }

    @Test
    public void anEstablishedSessionIsCutWhenADenyIsLive() throws Exception {
        assumeTrue("needs nc", HostProcesses.installed("nc"));
        new EstablishedFlows(rest(), "ovs", "nlt-oest", "10.200.85.0/24").run(networks::add);
    }

    @Test
    public void ovsConformsToExplainAcrossEveryStage() throws Exception {
        Rest rest = rest();
        // The probe never reuses a flow's tuple; flushing the switch's conntrack as well makes "forget" exact.
        Runnable flush = () -> {
            try {
                ovs.appctl("dpctl/flush-conntrack");
            } catch (Exception e) {
                throw new IllegalStateException("Cannot flush conntrack", e);
            }
        };
        ConformanceScenario scenario = null;
        try (NetnsReachabilityProbe probe = new NetnsReachabilityProbe(NetnsReachabilityProbe.newRunPrefix(), flush)) {
            scenario = new ConformanceScenario(rest, probe, Optional.of("ovs")).withHubAndSpoke();
            long start = System.nanoTime();
            new ConformanceRunner(scenario, probe, rest).run();
            LOG.info("OVS conformance: every stage as explain predicts, in {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            if (scenario != null) {
                List<String> left = scenario.cleanUp();
                assertTrue("scenario objects left: " + left, left.isEmpty());
            }
        }
    }

    @Test
    public void reconnectsAndResyncsAfterOvsIsKilledAndRestarted() throws Exception {
        String[] addresses = twoPortsInOneSubnet("rst");
        assertPings("nlt-rst-1", addresses[1], Duration.ofSeconds(30));

        ovs.kill();
        assertEquals("with the switch gone, nothing passes", false, ping("nlt-rst-1", addresses[1]));
        ovs.startDaemons();
        // No action of the user: the driver reconnects to OVSDB and OpenFlow, reads what the restarted switch lost,
        // and the reconciler puts it back.
        assertPings("nlt-rst-1", addresses[1], Duration.ofSeconds(60));
        assertPings("nlt-rst-2", addresses[0], Duration.ofSeconds(10));

        // Drift: every flow deleted behind Netloom's back. The driver reads the flows back by cookie, sees what is
        // missing, and the next reconcile puts it back.
        ovs.run("ovs-ofctl", "-O", "OpenFlow13", "del-flows", ovs.openFlowEndpoint());
        assertEquals("no flow, no traffic", false, ping("nlt-rst-1", addresses[1]));
        assertPings("nlt-rst-1", addresses[1], Duration.ofSeconds(30));
        assertTrue(ovs.dumpFlows(), ovs.dumpFlows().contains("cookie=0x4e4c"));
    }

    @Test
    public void updatingTheDriverBundleUnderPingLosesNoPacket() throws Exception {
        String[] addresses = twoPortsInOneSubnet("upd");
        assertPings("nlt-upd-1", addresses[1], Duration.ofSeconds(30));
        Bundle driver = bundle(DRIVER_BUNDLE);
        long before = driver.getBundleId();
        Process ping = new ProcessBuilder("ip", "netns", "exec", "nlt-upd-1", "ping", "-i", "0.01", "-c", "800", "-W",
                "1", addresses[1]).redirectErrorStream(true).start();
        Thread.sleep(1500);
        driver.update();
        waitFor("driver active again", () -> driver.getState() == Bundle.ACTIVE);
        waitFor("driver up again", () -> driverUp());
        String output = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("ping finished", ping.waitFor(60, TimeUnit.SECONDS));
        Matcher summary = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(output);
        assertTrue(output, summary.find());
        assertEquals(before, driver.getBundleId());
        assertEquals("800 sent", "800", summary.group(1));
        assertEquals("no packet lost across the bundle update: " + output, summary.group(1), summary.group(2));
    }

    // ---- scenario helpers ----

    /**
     * Creates network {@code nlt-NAME} (driver ovs) with one subnet and two ports bound to new namespaces
     * {@code nlt-NAME-1} and {@code nlt-NAME-2}, and waits until both are ACTIVE.
     *
     * @return the two ports' addresses
     */
    private String[] twoPortsInOneSubnet(String name) throws Exception {
        int third = name.equals("rst") ? 70 : 71;
        String network = id(expect(201, "POST", "/networks", "{\"name\":\"nlt-" + name
                + "\",\"cidrs\":[\"10.200." + third + ".0/24\"],\"driver\":\"ovs\"}"));
        networks.add(network);
        String subnet = id(expect(201, "POST", "/networks/" + network + "/subnets", "{\"name\":\"s\",\"cidr\":"
                + "\"10.200." + third + ".0/24\"}"));
        String[] addresses = new String[2];
        for (int i = 1; i <= 2; i++) {
            String ns = "nlt-" + name + "-" + i;
            run(false, "ip", "netns", "del", ns);
            run(true, "ip", "netns", "add", ns);
            namespaces.add(ns);
            JsonElement port = expect(201, "POST", "/ports?wait=60s", "{\"name\":\"" + ns + "\",\"network\":\""
                    + network + "\",\"subnet\":\"" + subnet + "\",\"binding\":{\"type\":\"netns\",\"target\":\""
                    + ns + "\"}}");
            assertEquals(port.toString(), "ACTIVE", port.getAsJsonObject().get("status").getAsString());
            addresses[i - 1] = port.getAsJsonObject().get("ip").getAsString();
        }
        return addresses;
    }

    private void deleteNetwork(String network) throws Exception {
        Reply ports = asAdmin("GET", "/ports?network=" + network, null);
        if (ports.status() == 200) {
            for (JsonElement port : com.google.gson.JsonParser.parseString(ports.body()).getAsJsonArray()) {
                asAdmin("DELETE", "/ports/" + id(port), null);
            }
        }
        asAdmin("DELETE", "/networks/" + network, null);
    }

    private boolean driverUp() {
        try {
            Reply drivers = asAdmin("GET", "/drivers", null);
            for (JsonElement driver : com.google.gson.JsonParser.parseString(drivers.body()).getAsJsonArray()) {
                if ("ovs".equals(driver.getAsJsonObject().get("type").getAsString())) {
                    return "ACTIVE".equals(driver.getAsJsonObject().get("status").getAsString());
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private void configureDriver(OvsSandbox sandbox) throws Exception {
        ConfigurationAdmin cm = assertServiceAvailable(ConfigurationAdmin.class);
        Configuration config = cm.getConfiguration(DRIVER_PID, null);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("ovsdb.remote", sandbox.dbRemote());
        properties.put("bridge", BRIDGE);
        properties.put("datapath.type", "netdev");
        properties.put("openflow.endpoint", sandbox.openFlowEndpoint());
        config.update(properties);
        waitFor("the ovs driver up on the sandbox", this::driverUp);
    }

    static void assertPings(String namespace, String address, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ping(namespace, address)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(namespace + " cannot ping " + address + " within " + within);
            }
        }
    }

    static boolean ping(String namespace, String address) throws Exception {
        return run(false, "ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "1", address);
    }

    static boolean run(boolean mustSucceed, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        if (mustSucceed && process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        return process.exitValue() == 0;
    }
}
