package io.netloom.itests.linuxbridge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.realisation.RealisationService;
import io.netloom.itests.NetloomTestSupport;
import io.netloom.itests.conformance.ConformanceRunner;
import io.netloom.itests.conformance.ConformanceScenario;
import io.netloom.itests.conformance.ConformanceScenario.Answer;
import io.netloom.itests.conformance.ConformanceScenario.Rest;
import io.netloom.itests.conformance.EstablishedFlows;
import io.netloom.itests.conformance.HostProcesses;
import io.netloom.itests.conformance.NetnsReachabilityProbe;

/**
 * The Linux bridge driver in the distribution, on the real kernel (root only; skipped otherwise): the conformance
 * scenario measured with real pings and TCP connections between network namespaces, a bundle update under
 * {@code ping -i 0.01} that loses no packet, and re-adoption of the kernel state by a restarted driver with no
 * device recreated. One class, so Karaf boots once.
 *
 * <p>Every test removes what it made, even when it fails: its Netloom networks (so the driver removes its router
 * namespaces), the probe's namespaces and agents; then it checks with {@code ip} that nothing of it is left, and
 * removes by force (and fails) what the driver left behind.
 */
public class LinuxBridgeConformanceIT extends NetloomTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxBridgeConformanceIT.class);
    private static final String DRIVER_BUNDLE = "io.netloom.driver.linuxbridge";
    private static final String NODE = "node-linuxbridge";
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    private NetnsReachabilityProbe probe;
    private ConformanceScenario scenario;
    private final List<String> networks = new ArrayList<>();
    private final List<String> ports = new ArrayList<>();
    private Process ping;

    @Override
    protected Option[] extraOptions() {
        // The probe's agent runs in its own JVM inside each namespace, from the test classes on disk.
        return new Option[] {systemProperty(NetnsReachabilityProbe.AGENT_CLASSPATH_PROPERTY)
                .value(new File("target/test-classes").getAbsolutePath())};
    }

    @Before
    public void ready() throws Exception {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        for (String tool : new String[] {"ip", "nft", "ping"}) {
            assumeTrue("needs " + tool, HostProcesses.installed(tool));
        }
        waitForRest();
        for (String b : List.of(DRIVER_BUNDLE, "io.netloom.routing", "io.netloom.firewall", "io.netloom.peering",
                "io.netloom.explain", "io.netloom.reconciler")) {
            waitFor(b + " active", () -> bundle(b).getState() == Bundle.ACTIVE);
        }
        waitFor("linuxbridge driver ACTIVE", () -> driverStatus().equals("ACTIVE"));
        probe = new NetnsReachabilityProbe(NetnsReachabilityProbe.newRunPrefix(), () -> { });
    }

    @After
    public void removeEverything() throws Exception {
        List<String> problems = new ArrayList<>();
        if (ping != null && ping.isAlive()) {
            ping.destroyForcibly();
        }
        if (bundle(DRIVER_BUNDLE).getState() != Bundle.ACTIVE) {
            bundle(DRIVER_BUNDLE).start();
        }
        if (scenario != null) {
            problems.addAll(scenario.cleanUp());
            scenario.ports().values().forEach(p -> {
                ports.add(p.id());
                if (!networks.contains(p.network())) {
                    networks.add(p.network());
                }
            });
        }
        for (String port : ports) {
            delete("/ports/" + port, problems);
        }
        for (String network : networks) {
            delete("/networks/" + network, problems);
        }
        // The driver removes a network's router namespace once nothing of the network is left on the node.
        assertServiceAvailable(RealisationService.class).reconcileNow();
        removeWhatTheReconcilerLeaves();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && networks.stream().anyMatch(n -> namespaceExists(routerNamespace(n)))) {
            Thread.sleep(200);
        }
        for (String network : networks) {
            String ns = routerNamespace(network);
            if (namespaceExists(ns)) {
                problems.add("the driver left router namespace " + ns + " of network " + network);
                HostProcesses.execute(Duration.ofSeconds(30), List.of("ip", "netns", "del", ns));
            }
        }
        if (probe != null) {
            probe.close();
        }
        String links = HostProcesses.run("ip", "-j", "link", "show");
        for (String port : ports) {
            for (String device : List.of(deviceName("nlh", port), deviceName("nlp", port))) {
                if (links.contains("\"" + device + "\"")) {
                    problems.add("device " + device + " of port " + port + " is left in the host namespace");
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("Not cleaned up:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * The reconciler only visits a node while a network of its driver type exists, so deleting the last
     * linuxbridge network leaves that network's entries on the data plane. Until it reconciles such nodes too, the
     * test removes them as the reconciler would: a plan removing the deleted networks' entries, routes first and
     * filters last, through the driver itself.
     */
    private void removeWhatTheReconcilerLeaves() throws Exception {
        Collection<ServiceReference<NetworkDriver>> refs = bundleContext.getServiceReferences(NetworkDriver.class,
                "(" + NetworkDriver.TYPE_PROPERTY + "=linuxbridge)");
        if (refs.isEmpty()) {
            return;
        }
        NetworkDriver driver = bundleContext.getService(refs.iterator().next());
        try {
            List<PlanStep> steps = new ArrayList<>();
            List<ConfigEntry> entries = new ArrayList<>(driver.readActual(NODE).entries().values());
            for (Class<?> type : List.of(RouteEntry.class, PortEntry.class, SegmentEntry.class, FilterEntry.class)) {
                for (ConfigEntry e : entries) {
                    if (type.isInstance(e) && ours(e)) {
                        steps.add(new PlanStep(PlanStep.Op.REMOVE, e));
                    }
                }
            }
            if (!steps.isEmpty()) {
                LOG.info("Removing {} entr(ies) of deleted networks the reconciler left on {}", steps.size(), NODE);
                driver.apply(new Plan(NODE, steps));
            }
        } finally {
            bundleContext.ungetService(refs.iterator().next());
        }
    }

    private boolean ours(ConfigEntry e) {
        if (e instanceof FilterEntry f) {
            return ports.contains(f.rule().portId());
        }
        if (e instanceof PortEntry p) {
            return networks.contains(p.network());
        }
        if (e instanceof SegmentEntry s) {
            return networks.contains(s.network());
        }
        return e instanceof RouteEntry r && networks.contains(r.network());
    }

    private void delete(String path, List<String> problems) throws Exception {
        Reply r = asAdmin("DELETE", path, null);
        if (r.status() != 204 && r.status() != 404) {
            problems.add("DELETE " + path + " -> " + r.status() + " " + r.body());
        }
    }

    @Test
    public void anEstablishedSessionIsCutWhenADenyIsLive() throws Exception {
        assumeTrue("needs conntrack and nc", HostProcesses.installed("conntrack") && HostProcesses.installed("nc"));
        new EstablishedFlows(rest(), "linuxbridge", "nlt-est", "10.200.84.0/24").run(networks::add);
    }

    private Rest rest() {
        return (method, path, body) -> {
            Reply reply = asAdmin(method, path, body);
            return new Answer(reply.status(), reply.body());
        };
    }

    @Test
    public void linuxBridgeConformsToExplainAcrossEveryStage() throws Exception {
        long start = System.nanoTime();
        scenario = new ConformanceScenario(rest(), probe, Optional.of("linuxbridge")).withHubAndSpoke();
        new ConformanceRunner(scenario, probe, rest()).run();
        LOG.info("Linux bridge conformance: every stage as explain predicts, in {} ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Test
    public void updatingTheDriverBundleUnderPingLosesNoPacket() throws Exception {
        String[] pair = twoPorts("lbu", "10.200.64.0/20", "10.200.65.0/24");
        ping = HostProcesses.start(HostProcesses.inNamespace(probe.namespace("u1"), "ping", "-n", "-q", "-i", "0.01",
                "-c", "700", pair[1]));
        Thread.sleep(1500);
        Bundle driver = bundle(DRIVER_BUNDLE);
        long before = driver.getLastModified();
        driver.update();
        waitFor("driver updated and active", () -> driver.getState() == Bundle.ACTIVE
                && driver.getLastModified() != before);
        waitFor("linuxbridge driver ACTIVE again", () -> driverStatus().equals("ACTIVE"));
        RealisationService reconciler = assertServiceAvailable(RealisationService.class);
        int afterUpdate = reconciler.reconcileNow();
        assertTrue("ping ends", ping.waitFor(30, TimeUnit.SECONDS));
        String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = PING_SUMMARY.matcher(out);
        assertTrue(out, m.find());
        LOG.info("Bundle update under ping -i 0.01: {} sent, {} received; the first reconcile after it applied {} "
                + "step(s)", m.group(1), m.group(2), afterUpdate);
        assertEquals(out, "700", m.group(1));
        assertEquals("no packet lost across the bundle update: " + out, m.group(1), m.group(2));
        assertEquals("a reconcile after the update applies nothing", 0, afterUpdate);
    }

    @Test
    public void aRestartedDriverAdoptsTheKernelStateWithoutRecreatingDevices() throws Exception {
        String[] pair = twoPorts("lba", "10.200.80.0/20", "10.200.81.0/24");
        String router = routerNamespace(networks.get(0));
        Map<String, Integer> before = ifindexes(router);
        assertTrue(before.toString(), before.size() >= 3);
        Bundle driver = bundle(DRIVER_BUNDLE);
        driver.stop();
        assertTrue("traffic flows while the driver is away", pingOnce("u1", pair[1]));
        driver.start();
        waitFor("linuxbridge driver ACTIVE again", () -> driverStatus().equals("ACTIVE"));
        RealisationService reconciler = assertServiceAvailable(RealisationService.class);
        reconciler.reconcileNow();
        assertEquals("a final reconcile applies nothing", 0, reconciler.reconcileNow());
        assertEquals("no device recreated", before, ifindexes(router));
        assertTrue(pingOnce("u2", pair[0]));
    }

    /** A network with one subnet and two ports bound to the probe's namespaces u1 and u2; returns their IPs. */
    private String[] twoPorts(String name, String cidr, String subnetCidr) throws Exception {
        String network = id(expect(201, "POST", "/networks", "{\"name\":\"" + name + "\",\"cidrs\":[\"" + cidr
                + "\"],\"driver\":\"linuxbridge\"}"));
        networks.add(network);
        String subnet = id(expect(201, "POST", "/networks/" + network + "/subnets", "{\"name\":\"s\",\"cidr\":\""
                + subnetCidr + "\"}"));
        String[] ips = new String[2];
        for (int i = 0; i < 2; i++) {
            String ns = probe.namespace("u" + (i + 1));
            JsonObject port = expect(201, "POST", "/ports", "{\"name\":\"" + name + "-u" + (i + 1) + "\",\"network\":\""
                    + network + "\",\"subnet\":\"" + subnet + "\",\"binding\":{\"type\":\"netns\",\"target\":\"" + ns
                    + "\"}}").getAsJsonObject();
            ports.add(id(port));
            ips[i] = port.get("ip").getAsString();
        }
        for (String port : ports) {
            waitLong("port " + port + " ACTIVE", () -> status("/ports/" + port).equals("ACTIVE"));
        }
        waitLong("u1 pings u2", () -> pingOnce("u1", ips[1]));
        return ips;
    }

    private boolean pingOnce(String from, String to) {
        return HostProcesses.execute(Duration.ofSeconds(10), HostProcesses.inNamespace(probe.namespace(from), "ping",
                "-n", "-c", "1", "-W", "1", to)).ok();
    }

    private String status(String path) {
        try {
            return JsonParser.parseString(asAdmin("GET", path, null).body()).getAsJsonObject().get("status")
                    .getAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String driverStatus() {
        try {
            for (JsonElement e : JsonParser.parseString(asAdmin("GET", "/drivers", null).body()).getAsJsonArray()) {
                JsonObject d = e.getAsJsonObject();
                if (d.get("type").getAsString().equals("linuxbridge")) {
                    return d.get("status").getAsString() + (d.has("detail") ? " " + d.get("detail").getAsString()
                            : "").strip();
                }
            }
            return "none";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void waitLong(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + CONVERGENCE.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Every Netloom device of a router namespace with its ifindex. */
    private static Map<String, Integer> ifindexes(String namespace) {
        Map<String, Integer> byName = new TreeMap<>();
        for (JsonElement e : JsonParser.parseString(HostProcesses.run("ip", "-n", namespace, "-j", "link", "show"))
                .getAsJsonArray()) {
            JsonObject link = e.getAsJsonObject();
            String name = link.get("ifname").getAsString();
            if (name.startsWith("nl")) {
                byName.put(name, link.get("ifindex").getAsInt());
            }
        }
        return byName;
    }

    private static boolean namespaceExists(String name) {
        return Files.exists(Path.of("/run/netns", name));
    }

    /** The driver's router namespace of a network (mirrors io.netloom.hostnet.DeviceNames). */
    private static String routerNamespace(String networkId) {
        return deviceName("nlr", networkId);
    }

    private static String deviceName(String prefix, String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(hash).substring(0, 15 - prefix.length());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
