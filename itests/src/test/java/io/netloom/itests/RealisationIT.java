package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.api.realisation.RealisationService;

/**
 * Realisation through the distribution: objects become ACTIVE on the sim data plane, survive the driver bundle
 * being stopped, started and updated under a stream of writes, and wait (fail closed) while the firewall is away.
 */
public class RealisationIT extends NetloomTestSupport {

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
        String net = id(expect(201, "POST", "/networks?wait=10s", "{\"name\":\"real-a\",\"cidrs\":[\"10.240.0.0/16\"]}"));
        assertEquals("ACTIVE", status("/networks/" + net));
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.240.1.0/24\"}");
        JsonObject port = expect(201, "POST", "/ports?wait=10s", "{\"name\":\"real-p\",\"network\":\"" + net + "\"}")
                .getAsJsonObject();
        assertEquals("ACTIVE", port.get("status").getAsString());
        assertTrue(executeCommand("vnet:port-list --network real-a", "netloom-admin").contains("ACTIVE"));
        // A network of a type no driver provides stays DRIVER_MISSING; with wait the answer is 202.
        Reply missing = asAdmin("POST", "/networks?wait=1s", "{\"name\":\"real-x\",\"cidrs\":[\"10.241.0.0/16\"],"
                + "\"driver\":\"nosuchdriver\"}");
        assertEquals(missing.body(), 202, missing.status());
        assertEquals("DRIVER_MISSING", missing.json().getAsJsonObject().get("status").getAsString());
        expect(204, "DELETE", "/ports/" + id(port), null);
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
}
