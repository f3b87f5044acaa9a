package io.netloom.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonObject;

import io.netloom.itests.conformance.ConformanceRunner;
import io.netloom.itests.conformance.ConformanceScenario;
import io.netloom.itests.conformance.HostProcesses;
import io.netloom.itests.conformance.NetnsReachabilityProbe;

/**
 * Three hosts, one controller: the controller runs in the root namespace, each host is a network namespace running
 * the node distribution (its agent realising the host's ports with the Linux bridge driver), and the hosts reach each
 * other over an underlay bridge in 10.200.250.0/24, where the overlay's VXLAN tunnels run. The shared conformance
 * scenario runs with its ports spread over the hosts (A's two subnets on hosts 0 and 1, B and C on host 2), so that
 * routing within a network, peering, non-transitivity and security groups are all measured across tunnels with real
 * packets, and explain agrees with each. Then host 2's agent is killed: its ports show {@code NODE_DOWN}, traffic
 * between the other hosts never stops, host 2 keeps forwarding its own traffic, and the restarted agent resyncs
 * with 0 changes.
 *
 * <p>Root only. Every name carries a random suffix, underlay addresses are host routes (/32), and everything is
 * removed in {@link #cleanUp()} even on failure.
 */
public class MultiHostIT {

    private static final int HOSTS = 3;
    /** Where the scenario's ports go: A's subnets on two hosts, B and C (peered) together on the third. */
    private static final Map<String, Integer> PLACEMENT = Map.of(ConformanceScenario.PA1, 0,
            ConformanceScenario.PA2, 1, ConformanceScenario.PB, 2, ConformanceScenario.PC, 2);

    private final String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final String underlay = "nlu" + id;
    private final String controllerIp;
    private final List<NodeHost> hosts = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();
    private final List<String> credentials = new ArrayList<>();

    private NetloomProcess controller;
    private NetnsReachabilityProbe probe;
    private ConformanceScenario scenario;

    public MultiHostIT() {
        int c = 100 + new SecureRandom().nextInt(150);
        controllerIp = "10.200.250." + c;
        for (int i = 0; i < HOSTS; i++) {
            hosts.add(new NodeHost("nlh" + id + i, id + i, "10.200.250." + (c + 1 + i), "nla" + id + i));
        }
    }

    @Before
    public void setUp() throws Exception {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip and nsenter", HostProcesses.installed("ip") && HostProcesses.installed("nsenter"));
        HostProcesses.run("ip", "link", "add", underlay, "type", "bridge");
        HostProcesses.run("ip", "link", "set", underlay, "up");
        HostProcesses.run("ip", "addr", "add", controllerIp + "/32", "dev", underlay);
        for (NodeHost host : hosts) {
            List<String> reachable = new ArrayList<>(List.of(controllerIp));
            hosts.stream().filter(h -> h != host).forEach(h -> reachable.add(h.address()));
            host.create(underlay, reachable);
        }
        probe = new NetnsReachabilityProbe(NetnsReachabilityProbe.newRunPrefix(), () -> { });
        controller = new NetloomProcess();
        controller.configure("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses",
                "127.0.0.1," + controllerIp);
        controller.configure("etc/io.netloom.node.cfg", "heartbeat.timeout", "PT3S");
        controller.configure("etc/io.netloom.driver.linuxbridge.cfg", "instance.id", "nlc" + id);
    }

    @After
    public void cleanUp() throws Exception {
        try {
            if (scenario != null && controller != null && controller.isRunning()) {
                // The agents remove what they made once the scenario's objects are gone.
                scenario.cleanUp();
            }
        } catch (RuntimeException e) {
            // the namespaces are deleted below in any case
        } finally {
            cleanUpHosts();
        }
    }

    private void cleanUpHosts() throws Exception {
        for (NodeHost host : hosts) {
            host.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (probe != null) {
            probe.close();
        }
        for (String ns : NodeHost.routerNamespaces(List.of("nla" + id, "nlc" + id))) {
            HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns));
        }
        HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "link", "del", underlay));
    }

    /** Starts the controller, registers the hosts and starts their agents; returns the controller's URL. */
    private String startAll() throws Exception {
        controller.start();
        for (NodeHost host : hosts) {
            JsonObject node = controller.rest("POST", "/nodes", "{\"name\":\"" + host.namespace()
                    + "\",\"driver\":\"linuxbridge\",\"underlayAddress\":\"" + host.address() + "\"}").json()
                    .getAsJsonObject();
            nodeIds.add(node.get("id").getAsString());
            credentials.add(node.get("credential").getAsString());
        }
        String controllerUrl = "http://" + controllerIp + ":" + controller.httpPort() + "/netloom/api/v1";
        for (int i = 0; i < HOSTS; i++) {
            hosts.get(i).startAgent(controllerUrl, nodeIds.get(i), credentials.get(i));
        }
        for (String node : nodeIds) {
            NodeHost.await("node " + node + " up", () -> "UP".equals(field("/nodes/" + node, "status")));
        }
        return controllerUrl;
    }

    @Test
    public void theConformanceScenarioHoldsAcrossThreeHostsAndOutlivesAnAgent() throws Exception {
        String controllerUrl = startAll();

        scenario = new ConformanceScenario((method, path, body) -> {
            NetloomProcess.Reply reply = controller.rest(method, path, body);
            return new ConformanceScenario.Answer(reply.status(), reply.body());
        }, probe, Optional.of("linuxbridge"), 4).withHosts(name -> Optional.ofNullable(PLACEMENT.get(name))
                .map(nodeIds::get));
        new ConformanceRunner(scenario, probe, (method, path, body) -> {
            NetloomProcess.Reply reply = controller.rest(method, path, body);
            return new ConformanceScenario.Answer(reply.status(), reply.body());
        }).run();

        // Host 2's agent dies: A's traffic between hosts 0 and 1 never stops, host 2 keeps forwarding B-C.
        String pa1 = probe.namespace(ConformanceScenario.PA1);
        String pb = probe.namespace(ConformanceScenario.PB);
        String pa2Ip = scenario.port(ConformanceScenario.PA2).ip();
        String pcIp = scenario.port(ConformanceScenario.PC).ip();
        String pbId = scenario.port(ConformanceScenario.PB).id();
        NodeHost third = hosts.get(2);
        CompletableFuture<int[]> across = CompletableFuture.supplyAsync(() -> NodeHost.flood(pa1, pa2Ip, 1000));
        CompletableFuture<int[]> local = CompletableFuture.supplyAsync(() -> NodeHost.flood(pb, pcIp, 1000));
        Thread.sleep(1000);
        third.killAgent();
        NodeHost.await("host 2's ports show NODE_DOWN", () -> "NODE_DOWN".equals(field("/ports/" + pbId,
                "status")));
        int[] acrossSent = across.get();
        int[] localSent = local.get();
        assertEquals("ping -i 0.01 between hosts 0 and 1 while host 2's agent dies", acrossSent[0], acrossSent[1]);
        assertEquals("ping -i 0.01 on host 2 while its agent is dead", localSent[0], localSent[1]);

        int before = third.realisations().size();
        third.startAgent(controllerUrl, nodeIds.get(2), credentials.get(2));
        NodeHost.await("host 2's restarted agent resyncs", () -> third.realisations().size() > before);
        assertEquals("0 changes after the agent's restart", List.of(0),
                third.realisations().subList(before, third.realisations().size()));
        NodeHost.await("host 2's ports are active again", () -> "ACTIVE".equals(field("/ports/" + pbId,
                "status")));
    }

    private String field(String path, String name) {
        try {
            return controller.rest("GET", path, null).json().getAsJsonObject().get(name).getAsString();
        } catch (IOException | RuntimeException e) {
            return "unknown: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
