package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.api.realisation.RealisationService;

/**
 * Realisation through the distribution: objects become ACTIVE on the sim data plane, survive the driver bundle
 * being stopped, started and updated under a stream of writes, and wait (fail closed) while the firewall is away.
 */
public class RealisationIT extends NetloomTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RealisationIT.class);

    @Before
    public void ready() throws Exception {
        waitForRest();
        waitFor("reconciler", () -> bundleContext.getServiceReference(RealisationService.class) != null);
    }

    private static long errorLines() throws Exception {
        Path log = karafData().resolve("log/karaf.log");
        return Files.readAllLines(log).stream().filter(l -> l.contains("| ERROR |")).count();
    }

    private String status(String path) throws Exception {
        return asAdmin("GET", path, null).json().getAsJsonObject().get("status").getAsString();
    }

    private void awaitActive(String path) throws Exception {
        waitFor(path + " ACTIVE", () -> {
            try {
                return status(path).equals("ACTIVE");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    public void writesWithWaitAnswerOnceActive() throws Exception {
        String net = id(expect(201, "POST", "/networks?wait=10s",
                "{\"name\":\"real-a\",\"cidrs\":[\"10.240.0.0/16\"]}"));
        assertEquals("ACTIVE", status("/networks/" + net));
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.240.1.0/24\"}");
        JsonObject port = expect(201, "POST", "/ports?wait=10s", "{\"name\":\"real-p\",\"network\":\"" + net + "\"}")
                .getAsJsonObject();
        assertEquals("ACTIVE", port.get("status").getAsString());
        assertTrue(executeCommand("vnet:port-list --network real-a", "netloom-admin").contains("ACTIVE"));
        // A network of a type no driver provides stays DRIVER_MISSING; with wait the answer is 202.
        Reply missing = asAdmin("POST", "/networks?wait=1s", "{\"name\":\"real-x\",\"cidrs\":[\"10.241.0.0/16\"],"
                + "\"driver\":\"nosuchdriver\",\"pendingDriver\":true}");
        assertEquals(missing.body(), 202, missing.status());
        assertEquals("DRIVER_MISSING", missing.json().getAsJsonObject().get("status").getAsString());
        assertEquals("node-nosuchdriver", missing.header("Netloom-Pending"));
        expect(204, "DELETE", "/ports/" + id(port), null);
        expect(204, "DELETE", "/networks/" + id(missing.json()), null);
    }

    @Test
    public void simDriverRestartedTwentyTimesUnderWritesLosesNothing() throws Exception {
        long errorsBefore = errorLines();
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"churn\",\"cidrs\":[\"10.242.0.0/16\"]}"));
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.242.0.0/20\"}");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                try {
                    Reply r = asAdmin("POST", "/ports", "{\"name\":\"churn-" + i++ + "\",\"network\":\"" + net + "\"}");
                    if (r.status() == 201) {
                        created.add(id(r.json()));
                    } else {
                        failures.add(r.status() + " " + r.body());
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "realisation-it-writer");
        writer.start();
        Bundle sim = bundle("io.netloom.driver.sim");
        try {
            for (int round = 0; round < 20; round++) {
                sim.stop();
                Thread.sleep(100);
                if (round % 5 == 4) {
                    sim.update();
                }
                sim.start();
                Thread.sleep(150);
            }
        } finally {
            running.set(false);
            writer.join(30_000);
        }
        assertEquals(String.join("\n", failures), List.of(), failures);
        assertTrue("writes went on during the restarts: " + created.size(), created.size() > 20);
        waitFor("sim driver back", () -> bundle("io.netloom.driver.sim").getState() == Bundle.ACTIVE);
        for (String port : created) {
            awaitActive("/ports/" + port);
        }
        RealisationService reconciler = assertServiceAvailable(RealisationService.class);
        reconciler.reconcileNow();
        assertEquals("a final reconcile applies nothing", 0, reconciler.reconcileNow());
        assertEquals("no ERROR in the log", errorsBefore, errorLines());
    }

    @Test
    public void realisationHoldsWhileTheFirewallIsAwayAndConvergesWhenItReturns() throws Exception {
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"hold\",\"cidrs\":[\"10.243.0.0/16\"]}"));
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.243.1.0/24\"}");
        Bundle firewall = bundle("io.netloom.firewall");
        firewall.stop();
        try {
            String port = id(expect(201, "POST", "/ports", "{\"name\":\"held\",\"network\":\"" + net + "\"}"));
            RealisationService reconciler = assertServiceAvailable(RealisationService.class);
            assertEquals("nothing is pushed without the firewall", 0, reconciler.reconcileNow());
            JsonElement held = expect(200, "GET", "/ports/" + port, null);
            assertEquals(held.toString(), "PENDING", held.getAsJsonObject().get("status").getAsString());
            assertTrue(held.toString(), held.getAsJsonObject().get("statusDetail").getAsString()
                    .contains("firewall"));
            firewall.start();
            awaitActive("/ports/" + port);
        } finally {
            if (firewall.getState() != Bundle.ACTIVE) {
                firewall.start();
            }
        }
    }

    private static long revisionOf(Reply reply) {
        String header = reply.header("Netloom-Revision");
        assertNotNull("Netloom-Revision on " + reply.status() + " " + reply.body(), header);
        return Long.parseLong(header);
    }

    private Reply write(int status, String method, String path, String body) throws Exception {
        Reply reply = asAdmin(method, path, body);
        assertEquals(method + " " + path + " -> " + reply.body(), status, reply.status());
        return reply;
    }

    private JsonObject node(String name) throws Exception {
        for (JsonElement n : expect(200, "GET", "/realisation", null).getAsJsonObject().getAsJsonArray("nodes")) {
            if (n.getAsJsonObject().get("node").getAsString().equals(name)) {
                return n.getAsJsonObject();
            }
        }
        throw new AssertionError(name + " is not in GET /realisation");
    }

    @Test
    public void everyWriteHasARevisionAndWaitsForIt() throws Exception {
        Reply net = write(201, "POST", "/networks?wait=10s", "{\"name\":\"rev-a\",\"cidrs\":[\"10.244.0.0/16\"]}");
        String netId = id(net.json());
        long r1 = revisionOf(net);
        long r2 = revisionOf(write(201, "POST", "/networks/" + netId + "/subnets?wait=10s",
                "{\"name\":\"s\",\"cidr\":\"10.244.1.0/24\"}"));
        Reply group = write(201, "POST", "/security-groups?wait=10s", "{\"name\":\"rev-g\"}");
        String groupId = id(group.json());
        Reply port = write(201, "POST", "/ports?wait=10s", "{\"name\":\"rev-p\",\"network\":\"" + netId
                + "\",\"securityGroups\":[\"" + groupId + "\"]}");
        assertEquals("ACTIVE", port.json().getAsJsonObject().get("status").getAsString());
        Reply rule = write(201, "POST", "/security-groups/" + groupId + "/rules?wait=10s",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"22\",\"remoteCidr\":\"10.0.0.0/8\"}");
        long r3 = revisionOf(rule);
        Reply delete = write(204, "DELETE", "/security-groups/" + groupId + "/rules/" + id(rule.json())
                + "?wait=10s", null);
        long r4 = revisionOf(delete);
        assertTrue("revisions grow: " + List.of(r1, r2, r3, r4), r1 < r2 && r2 < r3 && r3 < r4);

        // The write has answered: the sim node has realised its revision, and nothing concerning it lags.
        JsonObject sim = node("node-sim");
        assertTrue(sim.toString(), sim.get("realisedRevision").getAsLong() >= r4);
        assertEquals(sim.toString(), 0, sim.get("lag").getAsLong());
        JsonObject all = expect(200, "GET", "/realisation", null).getAsJsonObject();
        assertTrue(all.toString(), all.get("revision").getAsLong() >= r4);
        // A read carries the newest revision; a viewer may read the realisation too.
        assertTrue(revisionOf(asAdmin("GET", "/networks", null)) >= r4);

        write(204, "DELETE", "/ports/" + id(port.json()) + "?wait=10s", null);
        write(204, "DELETE", "/security-groups/" + groupId + "?wait=10s", null);
    }

    @Test
    public void aNodeThatLagsHoldsBackOnlyTheWritesThatConcernIt() throws Exception {
        Reply orphan = asAdmin("POST", "/networks?wait=500ms", "{\"name\":\"rev-x\",\"cidrs\":[\"10.245.0.0/16\"],"
                + "\"driver\":\"nodriver-b\",\"pendingDriver\":true}");
        assertEquals(orphan.body(), 202, orphan.status());
        assertEquals("node-nodriver-b", orphan.header("Netloom-Pending"));
        JsonObject lagging = node("node-nodriver-b");
        assertTrue(lagging.toString(), lagging.get("lag").getAsLong() >= 1);
        assertTrue(lagging.toString(), lagging.get("detail").getAsString().contains("No driver"));

        String sim = id(write(201, "POST", "/networks", "{\"name\":\"rev-b\",\"cidrs\":[\"10.246.0.0/16\"]}").json());
        long start = System.nanoTime();
        write(201, "POST", "/networks/" + sim + "/subnets?wait=10s", "{\"name\":\"s\",\"cidr\":\"10.246.1.0/24\"}");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue("a write on the sim node waited " + millis + " ms", millis < 5_000);

        // A delete that cannot be realised in time answers 202 with what is pending, in its body too.
        Reply subnet = write(201, "POST", "/networks/" + id(orphan.json()) + "/subnets",
                "{\"name\":\"s\",\"cidr\":\"10.245.1.0/24\"}");
        Reply gone = asAdmin("DELETE", "/subnets/" + id(subnet.json())
                + "?wait=300ms", null);
        assertEquals(gone.body(), 202, gone.status());
        assertEquals("node-nodriver-b", gone.json().getAsJsonObject().getAsJsonArray("pending").get(0)
                .getAsJsonObject().get("node").getAsString());
        write(204, "DELETE", "/networks/" + id(orphan.json()), null);
        write(204, "DELETE", "/networks/" + sim, null);
    }

    @Test
    public void aKeyedWriteWaitingTwoMinutesDoesNotDelayAnotherKeyedWrite() throws Exception {
        String orphan = id(write(201, "POST", "/networks", "{\"name\":\"rev-y\",\"cidrs\":[\"10.247.0.0/16\"],"
                + "\"driver\":\"nodriver-c\",\"pendingDriver\":true}").json());
        String sim = id(write(201, "POST", "/networks", "{\"name\":\"rev-c\",\"cidrs\":[\"10.248.0.0/16\"]}").json());
        String password = adminPassword();
        CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return rest("POST", "/networks/" + orphan + "/subnets?wait=2m", "admin", password,
                        "{\"name\":\"slow\",\"cidr\":\"10.247.1.0/24\"}", "application/json", "key-slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor("the slow write committed", () -> {
            try {
                return expect(200, "GET", "/networks/" + orphan + "/subnets", null).getAsJsonArray().size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        long start = System.nanoTime();
        Reply fast = rest("POST", "/networks/" + sim + "/subnets?wait=10s", "admin", password,
                "{\"name\":\"fast\",\"cidr\":\"10.248.1.0/24\"}", "application/json", "key-fast");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(fast.body(), 201, fast.status());
        assertTrue("the unrelated keyed write took " + millis + " ms", millis < 5_000);
        assertTrue("the slow write still waits", !slow.isDone());

        // Once the lagging node holds nothing any more (its network gone), the slow write is realised and answers.
        String subnet = id(expect(200, "GET", "/networks/" + orphan + "/subnets", null).getAsJsonArray().get(0));
        write(204, "DELETE", "/subnets/" + subnet, null);
        write(204, "DELETE", "/networks/" + orphan, null);
        Reply slowAnswer = slow.get(60, TimeUnit.SECONDS);
        assertEquals(slowAnswer.body(), 201, slowAnswer.status());
        write(204, "DELETE", "/networks/" + sim, null);
    }

    @Test
    public void aRefusedKeyedRequestMayBeCorrectedUnderTheSameKey() throws Exception {
        String password = adminPassword();
        Reply refused = rest("POST", "/networks", "admin", password,
                "{\"name\":\"rev-k\",\"cidrs\":[\"10.249.0.0/33\"]}",
                "application/json", "key-corrected");
        assertEquals(refused.body(), 400, refused.status());
        Reply created = rest("POST", "/networks", "admin", password,
                "{\"name\":\"rev-k\",\"cidrs\":[\"10.249.0.0/16\"]}",
                "application/json", "key-corrected");
        assertEquals(created.body(), 201, created.status());
        Reply replayed = rest("POST", "/networks", "admin", password,
                "{\"name\":\"rev-k\",\"cidrs\":[\"10.249.0.0/16\"]}",
                "application/json", "key-corrected");
        assertEquals(replayed.body(), 201, replayed.status());
        assertEquals(id(created.json()), id(replayed.json()));
        assertEquals(revisionOf(created), revisionOf(replayed));
        write(204, "DELETE", "/networks/" + id(created.json()), null);
    }

    private JsonObject explain(String from, String to) throws Exception {
        return expect(200, "GET", "/explain?from=" + from + "&to=" + to + "&protocol=tcp&port=22", null)
                .getAsJsonObject();
    }

    @Test
    public void aQuarantinedPortIsIsolatedAtOnceAndReleasedOnRequest() throws Exception {
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"quar\",\"cidrs\":[\"10.250.0.0/16\"]}"));
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.250.1.0/24\"}");
        String a = id(expect(201, "POST", "/ports?wait=10s", "{\"name\":\"quar-a\",\"network\":\"" + net + "\"}"));
        String b = id(expect(201, "POST", "/ports?wait=10s", "{\"name\":\"quar-b\",\"network\":\"" + net + "\"}"));
        assertEquals("members of the default group reach each other", "ALLOW",
                explain(a, b).get("verdict").getAsString());

        Reply isolated = write(200, "POST", "/ports/" + b + "/quarantine?wait=10s", null);
        assertTrue(isolated.body(), isolated.json().getAsJsonObject().get("quarantined").getAsBoolean());
        assertEquals("ACTIVE", isolated.json().getAsJsonObject().get("status").getAsString());
        revisionOf(isolated);
        JsonObject in = explain(a, b);
        assertEquals(in.toString(), "DENY", in.get("verdict").getAsString());
        assertTrue("explain names the quarantine: " + in, in.toString().contains("quarantine/" + b));
        assertEquals("nothing leaves it either", "DENY", explain(b, a).get("verdict").getAsString());
        JsonElement audit = expect(200, "GET", "/audit?limit=5", null);
        assertTrue(audit.toString(), audit.toString().contains("port.quarantine"));

        Reply released = write(200, "DELETE", "/ports/" + b + "/quarantine?wait=10s", null);
        assertTrue(released.body(), !released.json().getAsJsonObject().get("quarantined").getAsBoolean());
        assertEquals("ALLOW", explain(a, b).get("verdict").getAsString());
        expect(204, "DELETE", "/ports/" + a, null);
        expect(204, "DELETE", "/ports/" + b, null);
        expect(204, "DELETE", "/networks/" + net, null);
    }

    @Test
    public void aPeeringShowsTheRealisationOfItsRoutes() throws Exception {
        String a = id(expect(201, "POST", "/networks", "{\"name\":\"peer-a\",\"cidrs\":[\"10.251.0.0/16\"]}"));
        String b = id(expect(201, "POST", "/networks", "{\"name\":\"peer-b\",\"cidrs\":[\"10.252.0.0/16\"]}"));
        Reply peering = write(201, "POST", "/peerings?wait=10s", "{\"name\":\"peer-ab\",\"network\":\"" + a
                + "\",\"peerNetwork\":\"" + b + "\",\"autoAccept\":true}");
        JsonObject body = peering.json().getAsJsonObject();
        assertEquals(body.toString(), "ACTIVE", body.get("state").getAsString());
        assertEquals(body.toString(), "ACTIVE", body.get("status").getAsString());
        JsonObject read = expect(200, "GET", "/peerings/" + id(body), null).getAsJsonObject();
        assertEquals(read.toString(), "ACTIVE", read.get("status").getAsString());
        write(204, "DELETE", "/peerings/" + id(body) + "?wait=10s", null);
        expect(204, "DELETE", "/networks/" + a, null);
        expect(204, "DELETE", "/networks/" + b, null);
    }

    /** Median and maximum latency, in ms, of a viewer's GET /drivers, asked {@code times} times one after another. */
    private long[] viewerLatency(int times) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            Reply reply = rest("GET", "/drivers", VIEWER, VIEWER_PASSWORD, null);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertEquals(reply.body(), 200, reply.status());
            Thread.sleep(50);
        }
        Collections.sort(millis);
        return new long[] {millis.get(millis.size() / 2), millis.get(millis.size() - 1)};
    }

    @Test
    public void twoHundredWaitingWritesOfOneCallerHoldNoThreadAndDoNotSlowAViewer() throws Exception {
        String orphan = id(write(201, "POST", "/networks", "{\"name\":\"abuse\",\"cidrs\":[\"10.253.0.0/16\"],"
                + "\"driver\":\"nodriver-d\",\"pendingDriver\":true}").json());
        String password = adminPassword();
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<Reply>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String body = "{\"name\":\"s" + i + "\",\"cidr\":\"10.253." + i + ".0/24\"}";
                writes.add(pool.submit(() -> rest("POST", "/networks/" + orphan + "/subnets?wait=6s", "admin",
                        password, body)));
            }
            Thread.sleep(500);
            long[] latency = viewerLatency(20);
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Reply> w : writes) {
                statuses.merge(w.get(60, TimeUnit.SECONDS).status(), 1, Integer::sum);
            }
            LOG.info("Viewer GET /drivers during 200 waiting writes: median {} ms, max {} ms; writes answered {}",
                    latency[0], latency[1], statuses);
            assertTrue("only 202 (waited, never realised) and 429 (over the caller's limits): " + statuses,
                    Set.of(202, 429).containsAll(statuses.keySet()));
            assertTrue("at most 64 writes of one caller wait at once: " + statuses,
                    statuses.getOrDefault(202, 0) <= 64 && statuses.getOrDefault(202, 0) > 0);
            assertTrue("viewer median " + latency[0] + " ms, max " + latency[1] + " ms during " + statuses,
                    latency[0] < 200);
        } finally {
            pool.shutdownNow();
        }
        write(204, "DELETE", "/networks/" + orphan + "?wait=10s", null);
    }

    @Test
    public void bodiesSentAByteAtATimeDoNotTakeTheApiFromOthers() throws Exception {
        String auth = Base64.getEncoder().encodeToString((ALICE + ":" + USER_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 230; i++) {
                Socket socket = new Socket("127.0.0.1", httpPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /netloom/api/v1/networks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            Thread.sleep(500);
            long[] latency = viewerLatency(20);
            LOG.info("Viewer GET /drivers with 230 slow bodies open: median {} ms, max {} ms", latency[0], latency[1]);
            assertTrue("viewer median " + latency[0] + " ms, max " + latency[1] + " ms with 230 slow bodies",
                    latency[0] < 200);
            // A byte more on each: they stay open, and the API still answers others.
            for (Socket socket : slow) {
                if (!socket.isClosed()) {
                    try {
                        socket.getOutputStream().write(' ');
                    } catch (java.io.IOException e) {
                        // closed by the server: refused at once
                    }
                }
            }
            assertTrue(viewerLatency(5)[0] < 200);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
