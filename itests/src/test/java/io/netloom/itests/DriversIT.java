package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.servlet.Servlet;

import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.api.driver.DriverRegistry;

/**
 * The walking skeleton end to end: the driver registry through REST and the shell, authentication and roles,
 * secure defaults, and the sim driver bundle coming and going at runtime.
 */
public class DriversIT extends NetloomTestSupport {

    @Before
    public void ready() throws Exception {
        waitForRest();
        // A test that failed half-way through stopping the sim driver must not take the next ones with it.
        Bundle sim = bundle("io.netloom.driver.sim");
        if (sim.getState() != Bundle.ACTIVE) {
            sim.start();
        }
        waitFor("sim driver registered", () -> {
            try {
                return simDriver(asAdmin("GET", "/drivers", null).json()) != null;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static JsonObject simDriver(JsonElement drivers) {
        for (JsonElement e : drivers.getAsJsonArray()) {
            if (e.getAsJsonObject().get("type").getAsString().equals("sim")) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    @Test
    public void driversEndpointReportsTheSimDriver() throws Exception {
        Reply reply = asAdmin("GET", "/drivers", null);
        assertEquals(200, reply.status());
        assertTrue(reply.contentType().startsWith("application/json"));
        JsonObject sim = simDriver(reply.json());
        assertTrue(reply.body(), sim != null);
        assertEquals("Simulated data plane", sim.get("name").getAsString());
        assertEquals("io.netloom.driver.sim", sim.get("bundle").getAsString());
        assertEquals(0, sim.get("ranking").getAsInt());
        assertEquals("ACTIVE", sim.get("status").getAsString());
        assertEquals(bundle("io.netloom.driver.sim").getVersion().toString(), sim.get("version").getAsString());
    }

    @Test
    public void requestsWithoutValidCredentialsAre401WithTheErrorBody() throws Exception {
        assertError(rest("GET", "/drivers", null, null, null), 401, "UNAUTHORIZED");
        assertError(rest("GET", "/drivers", "admin", "not-the-password", null), 401, "UNAUTHORIZED");
        assertError(rest("GET", "/drivers", "nobody", "x", null), 401, "UNAUTHORIZED");
        assertError(rest("POST", "/drivers", null, null, "{}"), 401, "UNAUTHORIZED");
    }

    @Test
    public void viewerReadsButIsForbiddenToWrite() throws Exception {
        Reply read = rest("GET", "/drivers", VIEWER, VIEWER_PASSWORD, null);
        assertEquals(read.body(), 200, read.status());
        assertTrue(simDriver(read.json()) != null);
        assertError(rest("POST", "/drivers", VIEWER, VIEWER_PASSWORD, "{}"), 403, "FORBIDDEN");
        assertError(rest("DELETE", "/drivers", VIEWER, VIEWER_PASSWORD, null), 403, "FORBIDDEN");
        // A user with neither Netloom role may not even read.
        assertError(rest("GET", "/drivers", OUTSIDER, OUTSIDER_PASSWORD, null), 403, "FORBIDDEN");
    }

    @Test
    public void unknownPathsAndMethodsAnswerWithTheErrorBody() throws Exception {
        assertError(asAdmin("GET", "/no-such-thing", null), 404, "NOT_FOUND");
        assertError(asAdmin("POST", "/drivers", "{}"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    public void driverListCommandPrintsATableAndTheSameJsonAsRest() throws Exception {
        String table = executeCommand("vnet:driver-list", "netloom-admin");
        assertTrue(table, table.contains("Type") && table.contains("Status"));
        assertTrue(table, table.lines().anyMatch(l -> l.startsWith("sim ") && l.contains("ACTIVE")
                && l.contains("io.netloom.driver.sim")));

        String json = executeCommand("vnet:driver-list --json", "netloom-viewer");
        assertEquals(asAdmin("GET", "/drivers", null).json(), JsonParser.parseString(json));
    }

    @Test
    public void vnetScopeIsClosedToUsersWithoutANetloomRole() throws Exception {
        // The command is there: a Netloom viewer runs it (so "not found" below means hidden, not missing).
        String listed = executeCommand("vnet:driver-list", "ssh", "netloom-viewer");
        assertTrue(listed, listed.lines().anyMatch(l -> l.startsWith("sim ")));
        try {
            String out = executeCommand("vnet:driver-list", "ssh", "viewer");
            fail("A user without netloom roles ran vnet:driver-list: " + out);
        } catch (Exception expected) {
            String message = String.valueOf(expected.getCause() != null ? expected.getCause() : expected);
            assertTrue(message, message.contains("Insufficient credentials") || message.contains("not found"));
        }
    }

    @Test
    public void stoppingTheSimDriverBundleRemovesItAndStartingItBringsItBack() throws Exception {
        DriverRegistry registry = assertServiceAvailable(DriverRegistry.class);
        long registryId = serviceId(DriverRegistry.class);
        long servletId = serviceId(Servlet.class);
        Bundle rest = bundle("io.netloom.rest");
        Bundle core = bundle("io.netloom.core");
        Bundle sim = bundle("io.netloom.driver.sim");

        for (int round = 0; round < 3; round++) {
            sim.stop();
            waitFor("sim driver to leave /drivers", () -> {
                try {
                    return simDriver(asAdmin("GET", "/drivers", null).json()) == null;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(registry.driver("sim").isEmpty());
            String listed = executeCommand("vnet:driver-list", "netloom-admin");
            assertTrue(listed, listed.lines().noneMatch(l -> l.startsWith("sim ")));
            assertTrue(listed, listed.lines().anyMatch(l -> l.startsWith("ovs ")));

            sim.start();
            waitFor("sim driver to return to /drivers", () -> {
                try {
                    JsonObject d = simDriver(asAdmin("GET", "/drivers", null).json());
                    return d != null && d.get("status").getAsString().equals("ACTIVE");
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(registry.driver("sim").isPresent());
        }
        // Nothing else was restarted: the same registry and servlet services, the same bundles, all active.
        assertEquals(registryId, serviceId(DriverRegistry.class));
        assertEquals(servletId, serviceId(Servlet.class));
        assertEquals(Bundle.ACTIVE, rest.getState());
        assertEquals(Bundle.ACTIVE, core.getState());
    }

    @Test
    public void firstStartCreatedAdminWithHashedPasswordAndLoopbackListeners() throws Exception {
        Path passwordFile = karafData().resolve("netloom/admin-password");
        String password = adminPassword();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertTrue(password.length() >= 20);
        Path etc = karafHome().resolve("etc");
        String users = Files.readString(etc.resolve("users.properties"), StandardCharsets.ISO_8859_1);
        assertFalse("clear-text admin password in users.properties", users.contains(password));
        assertTrue(users, users.lines().anyMatch(l -> l.startsWith("admin = {CRYPT}")));
        assertTrue(Files.readString(etc.resolve("org.apache.karaf.shell.cfg")).contains("sshHost=127.0.0.1"));
        assertTrue(Files.readString(etc.resolve("org.ops4j.pax.web.cfg"))
                .contains("org.ops4j.pax.web.listening.addresses=127.0.0.1"));
        Path key = karafData().resolve("netloom/client.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    public void binClientLogsInWithTheLocalKeyOverSsh() throws Exception {
        Path client = karafHome().resolve("bin/client");
        ProcessBuilder pb = new ProcessBuilder(List.of(client.toString(), "-a", Integer.toString(sshPort()),
                "vnet:driver-list"))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        assertTrue("bin/client did not finish", process.waitFor(60, TimeUnit.SECONDS));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 0, process.exitValue());
        assertTrue(out, out.lines().anyMatch(l -> l.startsWith("sim ") && l.contains("ACTIVE")));
        assertNotEquals(out, -1, out.indexOf("Ranking"));
    }
}
