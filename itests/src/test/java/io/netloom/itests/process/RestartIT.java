package io.netloom.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.itests.process.NetloomProcess.Reply;

/**
 * The model survives the end of the JVM: an orderly restart keeps everything, and SIGKILL loses no write that was
 * acknowledged. Runs the real distribution as a separate process ({@link NetloomProcess}).
 */
public class RestartIT {

    private static final int BURST_THREADS = 2;
    private static final int ACKS_BEFORE_KILL = 150;
    /** The /28 prefixes of 10.200.0.0/16: one distinct, non-overlapping address space per burst request. */
    private static final int BURST_PREFIXES = 4096;
    private static final long BURST_TIMEOUT_MS = 120_000;

    private NetloomProcess netloom;

    @Before
    public void unpack() throws Exception {
        netloom = new NetloomProcess();
    }

    @After
    public void cleanUp() throws Exception {
        if (netloom != null) {
            netloom.close();
        }
    }

    @Test
    public void everythingCreatedIsFoundAfterARestart() throws Exception {
        netloom.start();
        // Two halves of 10.200.0.0/16, so that the peering between them does not overlap.
        String netA = create("/networks", "{\"name\":\"net-a\",\"cidrs\":[\"10.200.0.0/17\"]}");
        String netB = create("/networks", "{\"name\":\"net-b\",\"cidrs\":[\"10.200.128.0/17\"]}");
        String subnetA = create("/networks/" + netA + "/subnets", "{\"name\":\"s1\",\"cidr\":\"10.200.1.0/24\"}");
        String subnetB = create("/networks/" + netB + "/subnets", "{\"name\":\"s1\",\"cidr\":\"10.200.129.0/24\"}");
        String group = create("/security-groups", "{\"name\":\"web\"}");
        String rule = create("/security-groups/" + group + "/rules", "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
                + "\"ports\":\"80\",\"remoteCidr\":\"10.200.0.0/16\"}");
        String port = create("/ports", "{\"name\":\"p1\",\"network\":\"" + netA + "\"}");
        String peering = create("/peerings", "{\"name\":\"ab\",\"network\":\"" + netA + "\",\"peerNetwork\":\""
                + netB + "\"}");

        Map<String, JsonElement> before = snapshot(List.of(netA, netB));
        // Guard against comparing two empty lists: what was created must be there before the restart.
        assertContainsIds(before.get("/networks"), netA, netB);
        assertContainsIds(before.get("/networks/" + netA + "/subnets"), subnetA);
        assertContainsIds(before.get("/networks/" + netB + "/subnets"), subnetB);
        assertContainsIds(before.get("/security-groups"), group);
        assertContainsIds(before.get("/ports"), port);
        assertContainsIds(before.get("/peerings"), peering);
        assertTrue(before.get("/security-groups").toString(), before.get("/security-groups").toString()
                .contains("\"" + rule + "\""));

        netloom.stop();
        netloom.start();

        Map<String, JsonElement> after = snapshot(List.of(netA, netB));
        for (String path : before.keySet()) {
            assertEquals("GET " + path + " after a restart", before.get(path), after.get(path));
        }
    }

    @Test
    public void acknowledgedWritesSurviveKill9() throws Exception {
        netloom.start();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();

        ExecutorService senders = Executors.newFixedThreadPool(BURST_THREADS);
        long burstStart = System.nanoTime();
        long killedAt;
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < BURST_THREADS; t++) {
                futures.add(senders.submit(() -> {
                    sendNetworks(next, acknowledged, unexpected, killed, done);
                    return null;
                }));
            }
            long deadline = System.currentTimeMillis() + BURST_TIMEOUT_MS;
            while (acknowledged.size() < ACKS_BEFORE_KILL && unexpected.isEmpty() && !done.get()) {
                if (System.currentTimeMillis() > deadline) {
                    fail("Only " + acknowledged.size() + " networks were created in " + BURST_TIMEOUT_MS / 1000 + " s");
                }
                Thread.sleep(5);
            }
            assertTrue("Requests failed before the kill: " + unexpected, unexpected.isEmpty());
            assertTrue("The burst ran out of prefixes before " + ACKS_BEFORE_KILL + " acknowledgements", !done.get());
            // The senders keep going: the kill lands in the middle of requests, some of them half-written.
            killed.set(true);
            netloom.kill9();
            killedAt = System.nanoTime();
            done.set(true);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            senders.shutdownNow();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
        double seconds = (killedAt - burstStart) / 1e9;
        System.out.println("KILL9_ACKNOWLEDGED_WRITES=" + acknowledged.size());
        System.out.printf("KILL9_BURST_CREATES_PER_SECOND=%.1f (%d in %.2f s, %d threads)%n",
                acknowledged.size() / seconds, acknowledged.size(), seconds, BURST_THREADS);

        netloom.start();

        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
            Reply reply = netloom.rest("GET", "/networks/" + ack.getKey(), null);
            if (reply.status() != 200) {
                lost.add(ack.getKey() + " (" + ack.getValue() + "): HTTP " + reply.status() + " " + reply.body());
            } else if (!ack.getValue().equals(reply.json().getAsJsonObject().get("name").getAsString())) {
                lost.add(ack.getKey() + " (" + ack.getValue() + "): came back as " + reply.body());
            }
        }
        assertTrue(lost.size() + " of " + acknowledged.size() + " acknowledged networks are missing or changed "
                + "after kill -9: " + lost, lost.isEmpty());
    }

    /**
     * One sender of the burst: creates networks until told to stop. Before the kill every answer must be 201;
     * after it, failures are expected and nothing is recorded but a 201 (an acknowledged write is one either way).
     */
    private void sendNetworks(AtomicInteger next, Map<String, String> acknowledged, List<String> unexpected,
            AtomicBoolean killed, AtomicBoolean done) throws InterruptedException {
        while (!done.get()) {
            int n = next.getAndIncrement();
            if (n >= BURST_PREFIXES) {
                done.set(true);
                return;
            }
            String name = "burst-" + n;
            String cidr = "10.200." + (n / 16) + "." + (n % 16) * 16 + "/28";
            boolean killedBefore = killed.get();
            try {
                Reply reply = netloom.rest("POST", "/networks",
                        "{\"name\":\"" + name + "\",\"cidrs\":[\"" + cidr + "\"]}");
                if (reply.status() == 201) {
                    acknowledged.put(reply.json().getAsJsonObject().get("id").getAsString(), name);
                } else if (!killedBefore) {
                    unexpected.add(name + ": HTTP " + reply.status() + " " + reply.body());
                    return;
                }
            } catch (IOException e) {
                if (!killed.get()) {
                    unexpected.add(name + ": " + e);
                    return;
                }
            }
        }
    }

    private String create(String path, String json) throws Exception {
        Reply reply = netloom.rest("POST", path, json);
        assertEquals("POST " + path + " " + json + " -> " + reply.body(), 201, reply.status());
        return reply.json().getAsJsonObject().get("id").getAsString();
    }

    private Map<String, JsonElement> snapshot(List<String> networkIds) throws Exception {
        List<String> paths = new ArrayList<>(List.of("/networks", "/ports", "/security-groups", "/peerings"));
        for (String id : networkIds) {
            paths.add("/networks/" + id + "/subnets");
        }
        Map<String, JsonElement> lists = new LinkedHashMap<>();
        for (String path : paths) {
            Reply reply = netloom.rest("GET", path, null);
            assertEquals("GET " + path + " -> " + reply.body(), 200, reply.status());
            lists.put(path, normalise(reply.json()));
        }
        return lists;
    }

    /**
     * Drops what may change when the data plane is realised again ({@code status}, {@code statusDetail}) and sorts
     * lists of resources by id, because the API promises no order.
     */
    private static JsonElement normalise(JsonElement element) {
        if (element.isJsonObject()) {
            JsonObject copy = new JsonObject();
            for (Map.Entry<String, JsonElement> field : element.getAsJsonObject().entrySet()) {
                if (!field.getKey().equals("status") && !field.getKey().equals("statusDetail")) {
                    copy.add(field.getKey(), normalise(field.getValue()));
                }
            }
            return copy;
        }
        if (element.isJsonArray()) {
            List<JsonElement> items = new ArrayList<>();
            element.getAsJsonArray().forEach(item -> items.add(normalise(item)));
            boolean resources = items.stream().allMatch(i -> i.isJsonObject() && i.getAsJsonObject().has("id"));
            if (resources) {
                items.sort((x, y) -> x.getAsJsonObject().get("id").getAsString()
                        .compareTo(y.getAsJsonObject().get("id").getAsString()));
            }
            JsonArray copy = new JsonArray();
            items.forEach(copy::add);
            return copy;
        }
        return element;
    }

    private static void assertContainsIds(JsonElement list, String... ids) {
        List<String> present = StreamSupport.stream(list.getAsJsonArray().spliterator(), false)
                .map(e -> e.getAsJsonObject().get("id").getAsString())
                .toList();
        for (String id : ids) {
            assertTrue(id + " missing from " + list, present.contains(id));
        }
    }
}
