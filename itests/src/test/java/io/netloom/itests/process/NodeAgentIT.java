package io.netloom.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonObject;

import io.netloom.itests.conformance.HostProcesses;

/**
 * A registered host made real: the controller runs in the root namespace, the node distribution in a host
 * namespace ({@code nlh…}) joined to it by an underlay bridge, and the agent realises the host's ports with the Linux
 * bridge driver. Checks {@code ?wait} on a host's write, pings between two workloads on the host, and that the data
 * plane outlives both a killed controller and a killed agent, each restart resyncing with 0 changes.
 *
 * <p>Root only; every name carries a random suffix, addresses are host routes (/32) in 10.200.250.0/24 so that
 * nothing is routed to another test's underlay, and everything is removed in {@link #cleanUp()} even on failure.
 */
public class NodeAgentIT {

    private static final Pattern REALISED = Pattern.compile("Realised revision (\\d+) of node \\S+: (\\d+) change");
    private static final Pattern PING = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final String underlay = "nlu" + id;
    private final String rootEnd = "nlv" + id;
    private final String hostEnd = "nly" + id;
    private final String host = "nlh" + id;
    private final String workA = "nlwa" + id;
    private final String workB = "nlwb" + id;
    private final String controllerIp;
    private final String hostIp;
    private final String cidrPrefix;
    private final List<String> namespaces = new ArrayList<>();

    private NetloomProcess controller;
    private Path nodeHome;

    public NodeAgentIT() {
        SecureRandom random = new SecureRandom();
        int c = 100 + random.nextInt(150);
        controllerIp = "10.200.250." + c;
        hostIp = "10.200.250." + (c == 249 ? 100 : c + 1);
        cidrPrefix = "10.200." + (10 + random.nextInt(80)) + ".";
    }

    @Before
    public void setUp() throws Exception {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip and nsenter", HostProcesses.installed("ip") && HostProcesses.installed("nsenter"));
        HostProcesses.run("ip", "link", "add", underlay, "type", "bridge");
        HostProcesses.run("ip", "link", "set", underlay, "up");
        HostProcesses.run("ip", "addr", "add", controllerIp + "/32", "dev", underlay);
        addNamespace(host);
        HostProcesses.run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", hostEnd);
        HostProcesses.run("ip", "link", "set", rootEnd, "master", underlay, "up");
        HostProcesses.run("ip", "route", "add", hostIp + "/32", "dev", underlay);
        HostProcesses.run("ip", "link", "set", hostEnd, "netns", host);
        inHost("ip", "link", "set", "lo", "up");
        inHost("ip", "link", "set", hostEnd, "up");
        inHost("ip", "addr", "add", hostIp + "/32", "dev", hostEnd);
        inHost("ip", "route", "add", controllerIp + "/32", "dev", hostEnd);
        addNamespace(workA);
        addNamespace(workB);

        controller = new NetloomProcess();
        controller.configure("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses",
                "127.0.0.1," + controllerIp);
        controller.configure("etc/io.netloom.node.cfg", "heartbeat.timeout", "PT3S");
        controller.configure("etc/io.netloom.driver.linuxbridge.cfg", "instance.id", "nlc" + id);
    }

    @After
    public void cleanUp() throws Exception {
        try {
            if (controller != null && controller.isRunning() && nodeHome != null && agentPid() > 0) {
                // The agent removes what it made once its ports and the network are gone.
                deleteEverything();
            }
        } catch (RuntimeException | IOException e) {
            // the namespaces are deleted below in any case
        } finally {
            stopAgent();
            if (controller != null) {
                controller.close();
            }
            for (String ns : routerNamespaces()) {
                HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns));
            }
            for (String ns : namespaces) {
                HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns));
            }
            HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "link", "del", rootEnd));
            HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "link", "del", underlay));
            if (nodeHome != null) {
                HostProcesses.execute(Duration.ofSeconds(30), List.of("rm", "-rf", nodeHome.toString()));
            }
        }
    }

    @Test
    public void anAgentRealisesItsHostAndItsDataPlaneOutlivesTheControllerAndItself() throws Exception {
        controller.start();
        JsonObject node = controller.rest("POST", "/nodes", "{\"name\":\"" + host + "\",\"driver\":\"linuxbridge\","
                + "\"underlayAddress\":\"" + hostIp + "\"}").json().getAsJsonObject();
        String nodeId = node.get("id").getAsString();
        String credential = node.get("credential").getAsString();
        String net = created(controller.rest("POST", "/networks", "{\"name\":\"net" + id + "\",\"cidrs\":[\""
                + cidrPrefix + "0/24\"],\"driver\":\"linuxbridge\"}"));
        controller.rest("POST", "/networks/" + net + "/subnets", "{\"name\":\"sub\",\"cidr\":\"" + cidrPrefix
                + "0/24\"}");

        // Before an agent runs, a write on the host waits in vain: 202, the port pending.
        NetloomProcess.Reply first = controller.rest("POST", "/ports?wait=2s", port("a", net, workA, nodeId));
        assertEquals(first.body(), 202, first.status());
        String portA = first.json().getAsJsonObject().get("id").getAsString();
        String ipA = first.json().getAsJsonObject().get("ip").getAsString();

        startAgent(nodeId, credential);
        await("the agent realises the first port", () -> "ACTIVE".equals(status(portA)));
        long rss = rssKib(agentPid());
        System.out.println("Node agent RSS after start: " + rss / 1024 + " MiB");
        assertTrue("node agent RSS " + rss + " KiB", rss > 0 && rss <= 200 * 1024);
        NetloomProcess.Reply second = controller.rest("POST", "/ports?wait=60s", port("b", net, workB, nodeId));
        assertEquals("?wait returns once the host's agent realised the write: " + second.body(), 201,
                second.status());
        JsonObject portB = second.json().getAsJsonObject();
        assertEquals("ACTIVE", portB.get("status").getAsString());
        String ipB = portB.get("ip").getAsString();
        JsonObject shown = controller.rest("GET", "/nodes/" + nodeId, null).json().getAsJsonObject();
        assertEquals("UP", shown.get("status").getAsString());
        assertTrue(shown.toString(), shown.get("realisedRevision").getAsLong() > 0);
        assertTrue(ping(workA, ipB, "-c", "3", "-W", "2").ok());

        // A node's credential reaches its own configuration only.
        assertEquals(403, bearer(credential, "/networks").status());
        assertEquals(401, bearer(credential + "x", "/nodes/" + nodeId + "/config").status());
        assertEquals(200, bearer(credential, "/nodes/" + nodeId + "/config").status());

        // kill -9 the controller: the host keeps forwarding; restarted, the agent resyncs and changes nothing.
        int realisedBefore = realisations().size();
        CompletableFuture<int[]> traffic = CompletableFuture.supplyAsync(() -> flood(workA, ipB, 1500));
        Thread.sleep(1000);
        controller.kill9();
        Thread.sleep(2000);
        controller.start();
        int[] sentReceived = traffic.get();
        System.out.println("Across the controller's kill -9 and restart: " + sentReceived[0] + " sent, "
                + sentReceived[1] + " received");
        assertEquals("ping -i 0.01 across the controller's death and restart: " + sentReceived[0] + " sent",
                sentReceived[0], sentReceived[1]);
        await("the agent resyncs with the restarted controller", () -> realisations().size() > realisedBefore);
        assertTrue("0 changes pushed after the controller's restart: " + realisations(),
                realisations().subList(realisedBefore, realisations().size()).stream().allMatch(c -> c == 0));
        await("the host's ports are active again", () -> "ACTIVE".equals(status(portA))
                && "ACTIVE".equals(status(portB.get("id").getAsString())));

        // kill -9 the agent: its ports are NODE_DOWN, the workloads still reach each other; restarted, 0 changes.
        killAgent();
        CompletableFuture<int[]> meanwhile = CompletableFuture.supplyAsync(() -> flood(workB, ipA, 600));
        await("the host's ports show NODE_DOWN", () -> "NODE_DOWN".equals(status(portA)));
        int[] duringOutage = meanwhile.get();
        System.out.println("While the agent was dead: " + duringOutage[0] + " sent, " + duringOutage[1]
                + " received");
        assertEquals("ping -i 0.01 while the agent is dead", duringOutage[0], duringOutage[1]);
        int beforeRestart = realisations().size();
        startAgent(nodeId, credential);
        await("the restarted agent resyncs", () -> realisations().size() > beforeRestart);
        assertEquals("0 changes after the agent's restart", List.of(0),
                realisations().subList(beforeRestart, realisations().size()));
        System.out.println("Changes pushed by each realisation of the agent: " + realisations());
        await("the host's ports are active again", () -> "ACTIVE".equals(status(portA)));
        assertTrue(ping(workB, ipA, "-c", "2", "-W", "2").ok());
    }

    private static String port(String name, String network, String workload, String nodeId) {
        return "{\"name\":\"" + name + "\",\"network\":\"" + network + "\",\"host\":\"" + nodeId
                + "\",\"binding\":{\"type\":\"netns\",\"target\":\"" + workload + "\"}}";
    }

    private static String created(NetloomProcess.Reply reply) {
        assertTrue(reply.body(), reply.status() == 201 || reply.status() == 200 || reply.status() == 202);
        return reply.json().getAsJsonObject().get("id").getAsString();
    }

    private String status(String portId) {
        try {
            return controller.rest("GET", "/ports/" + portId, null).json().getAsJsonObject().get("status")
                    .getAsString();
        } catch (IOException | RuntimeException e) {
            return "unknown: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private NetloomProcess.Reply bearer(String secret, String path) throws IOException, InterruptedException {
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + controller.httpPort() + "/netloom/api/v1" + path)).header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofSeconds(10)).GET().build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        return new NetloomProcess.Reply(response.statusCode(), response.body());
    }

    private void deleteEverything() throws IOException, InterruptedException {
        for (var p : controller.rest("GET", "/ports", null).json().getAsJsonArray()) {
            controller.rest("DELETE", "/ports/" + p.getAsJsonObject().get("id").getAsString() + "?wait=20s", null);
        }
        for (var n : controller.rest("GET", "/networks", null).json().getAsJsonArray()) {
            controller.rest("DELETE", "/networks/" + n.getAsJsonObject().get("id").getAsString() + "?wait=20s",
                    null);
        }
    }

    // ---- the node distribution in the host namespace ----

    private void startAgent(String nodeId, String credential) throws IOException {
        if (nodeHome == null) {
            Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            Path tar = moduleDir.resolve("../karaf-node/target/netloom-node-" + System.getProperty("netloom.version")
                    + ".tar.gz").normalize();
            assertTrue("no node distribution at " + tar, Files.isRegularFile(tar));
            Files.createDirectories(moduleDir.resolve("target/process-it"));
            nodeHome = Files.createTempDirectory(moduleDir.resolve("target/process-it"), "node-");
            HostProcesses.run("tar", "-xzf", tar.toString(), "-C", nodeHome.toString(), "--strip-components=1");
            Path secret = nodeHome.resolve("etc/netloom-node.credential");
            Files.writeString(secret, credential + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(nodeHome.resolve("etc/io.netloom.agent.cfg"), String.join("\n",
                    "controller.url = http://" + controllerIp + ":" + controller.httpPort() + "/netloom/api/v1",
                    "node.id = " + nodeId, "driver = linuxbridge", "poll.timeout = PT20S",
                    "heartbeat.interval = PT1S", "retry.max = PT2S", ""), StandardCharsets.UTF_8);
            Files.writeString(nodeHome.resolve("etc/io.netloom.driver.linuxbridge.cfg"), "instance.id = nla" + id
                    + "\n", StandardCharsets.UTF_8);
        }
        // nsenter changes the network namespace only: the router namespaces the driver mounts in /run/netns are
        // visible to everyone (ip netns exec would keep them in a mount namespace that dies with the agent).
        ProcessBuilder pb = new ProcessBuilder(List.of("nsenter", "--net=/run/netns/" + host, "--",
                nodeHome.resolve("bin/start").toString())).directory(nodeHome.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeHome.resolve("scripts.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(key -> key.startsWith("KARAF_"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            assertEquals(0, pb.start().waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await("the agent's JVM", () -> agentPid() > 0);
    }

    private long agentPid() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine().orElse("")
                    .contains("-Dkaraf.home=" + nodeHome + " ")).mapToLong(ProcessHandle::pid).findFirst()
                    .orElse(-1);
        }
    }

    /** The resident set of a process, from {@code /proc}. */
    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }

    private void killAgent() {
        long pid = agentPid();
        assertTrue("the agent runs", pid > 0);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await("the agent's JVM is gone", () -> agentPid() < 0);
    }

    private void stopAgent() {
        if (nodeHome == null) {
            return;
        }
        long pid = agentPid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Path log = nodeHome.resolve("data/log/karaf.log");
        if (Files.exists(log)) {
            try {
                Files.copy(log, nodeHome.resolveSibling(nodeHome.getFileName() + "-karaf.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // diagnostics only
            }
        }
    }

    /** The changes of each "Realised revision" line of the agent's log, in order. */
    private List<Integer> realisations() {
        List<Integer> changes = new ArrayList<>();
        try {
            Path log = nodeHome.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                Matcher m = REALISED.matcher(Files.readString(log, StandardCharsets.UTF_8));
                while (m.find()) {
                    changes.add(Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    // ---- namespaces and traffic ----

    private void addNamespace(String ns) {
        HostProcesses.run("ip", "netns", "add", ns);
        namespaces.add(ns);
    }

    private void inHost(String... command) {
        HostProcesses.run(HostProcesses.inNamespace(host, command).toArray(String[]::new));
    }

    /** The router namespaces of this test's two instances, found by the owner each records on its {@code lo}. */
    private List<String> routerNamespaces() {
        List<String> ours = new ArrayList<>();
        HostProcesses.Result list = HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "list"));
        for (String line : list.stdout().split("\n")) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith("nlr")) {
                continue;
            }
            String alias = HostProcesses.execute(Duration.ofSeconds(10), HostProcesses.inNamespace(ns, "ip", "-o",
                    "link", "show", "lo")).stdout();
            if (alias.contains("nla" + id) || alias.contains("nlc" + id)) {
                ours.add(ns);
            }
        }
        return ours;
    }

    private static HostProcesses.Result ping(String from, String to, String... options) {
        List<String> argv = new ArrayList<>(List.of("ping"));
        argv.addAll(List.of(options));
        argv.add(to);
        return HostProcesses.execute(Duration.ofSeconds(120), HostProcesses.inNamespace(from,
                argv.toArray(String[]::new)));
    }

    /** {@code ping -i 0.01 -c COUNT}: packets sent and received. */
    private static int[] flood(String from, String to, int count) {
        HostProcesses.Result r = ping(from, to, "-i", "0.01", "-c", Integer.toString(count), "-W", "1");
        Matcher m = PING.matcher(r.stdout());
        if (!m.find()) {
            throw new IllegalStateException("ping printed no summary: " + r.stdout() + r.stderr());
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
