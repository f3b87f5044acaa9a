package io.netloom.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

    private final String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final String underlay = "nlu" + id;
    private final String host = "nlh" + id;
    private final String workA = "nlwa" + id;
    private final String workB = "nlwb" + id;
    private final String controllerIp;
    private final String hostIp;
    private final String cidrPrefix;
    private final List<String> namespaces = new ArrayList<>();

    private final NodeHost nodeHost;
    private NetloomProcess controller;

    public NodeAgentIT() {
        SecureRandom random = new SecureRandom();
        int c = 100 + random.nextInt(150);
        controllerIp = "10.200.250." + c;
        hostIp = "10.200.250." + (c == 249 ? 100 : c + 1);
        cidrPrefix = "10.200." + (10 + random.nextInt(80)) + ".";
        nodeHost = new NodeHost(host, id, hostIp, "nla" + id);
    }

    @Before
    public void setUp() throws Exception {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip and nsenter", HostProcesses.installed("ip") && HostProcesses.installed("nsenter"));
        HostProcesses.run("ip", "link", "add", underlay, "type", "bridge");
        HostProcesses.run("ip", "link", "set", underlay, "up");
        HostProcesses.run("ip", "addr", "add", controllerIp + "/32", "dev", underlay);
        nodeHost.create(underlay, List.of(controllerIp));
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
            if (controller != null && controller.isRunning() && nodeHost.agentPid() > 0) {
                // The agent removes what it made once its ports and the network are gone.
                deleteEverything();
            }
        } catch (RuntimeException | IOException e) {
            // the namespaces are deleted below in any case
        } finally {
            nodeHost.close();
            if (controller != null) {
                controller.close();
            }
            for (String ns : NodeHost.routerNamespaces(List.of("nla" + id, "nlc" + id))) {
                HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns));
            }
            for (String ns : namespaces) {
                HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns));
            }
            HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "link", "del", underlay));
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

        nodeHost.startAgent(controllerUrl(), nodeId, credential);
        NodeHost.await("the agent realises the first port", () -> "ACTIVE".equals(status(portA)));
        long rss = rssKib(nodeHost.agentPid());
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
        int realisedBefore = nodeHost.realisations().size();
        CompletableFuture<int[]> traffic = CompletableFuture.supplyAsync(() -> NodeHost.flood(workA, ipB, 1500));
        Thread.sleep(1000);
        controller.kill9();
        Thread.sleep(2000);
        controller.start();
        int[] sentReceived = traffic.get();
        System.out.println("Across the controller's kill -9 and restart: " + sentReceived[0] + " sent, "
                + sentReceived[1] + " received");
        assertEquals("ping -i 0.01 across the controller's death and restart: " + sentReceived[0] + " sent",
                sentReceived[0], sentReceived[1]);
        NodeHost.await("the agent resyncs with the restarted controller",
                () -> nodeHost.realisations().size() > realisedBefore);
        List<Integer> afterRestart = nodeHost.realisations();
        assertTrue("0 changes pushed after the controller's restart: " + afterRestart,
                afterRestart.subList(realisedBefore, afterRestart.size()).stream().allMatch(c -> c == 0));
        NodeHost.await("the host's ports are active again", () -> "ACTIVE".equals(status(portA))
                && "ACTIVE".equals(status(portB.get("id").getAsString())));

        // kill -9 the agent: its ports are NODE_DOWN, the workloads still reach each other; restarted, 0 changes.
        nodeHost.killAgent();
        CompletableFuture<int[]> meanwhile = CompletableFuture.supplyAsync(() -> NodeHost.flood(workB, ipA, 600));
        NodeHost.await("the host's ports show NODE_DOWN", () -> "NODE_DOWN".equals(status(portA)));
        int[] duringOutage = meanwhile.get();
        System.out.println("While the agent was dead: " + duringOutage[0] + " sent, " + duringOutage[1]
                + " received");
        assertEquals("ping -i 0.01 while the agent is dead", duringOutage[0], duringOutage[1]);
        int beforeRestart = nodeHost.realisations().size();
        nodeHost.startAgent(controllerUrl(), nodeId, credential);
        NodeHost.await("the restarted agent resyncs", () -> nodeHost.realisations().size() > beforeRestart);
        assertEquals("0 changes after the agent's restart", List.of(0),
                nodeHost.realisations().subList(beforeRestart, nodeHost.realisations().size()));
        System.out.println("Changes pushed by each realisation of the agent: " + nodeHost.realisations());
        NodeHost.await("the host's ports are active again", () -> "ACTIVE".equals(status(portA)));
        assertTrue(ping(workB, ipA, "-c", "2", "-W", "2").ok());
    }

    private String controllerUrl() {
        return "http://" + controllerIp + ":" + controller.httpPort() + "/netloom/api/v1";
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

    // ---- namespaces and traffic ----

    private void addNamespace(String ns) {
        HostProcesses.run("ip", "netns", "add", ns);
        namespaces.add(ns);
    }

    private static HostProcesses.Result ping(String from, String to, String... options) {
        List<String> argv = new ArrayList<>(List.of("ping"));
        argv.addAll(List.of(options));
        argv.add(to);
        return HostProcesses.execute(Duration.ofSeconds(120), HostProcesses.inNamespace(from,
                argv.toArray(String[]::new)));
    }

}
