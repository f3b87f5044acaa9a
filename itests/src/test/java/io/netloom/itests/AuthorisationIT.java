package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import org.junit.Test;
import org.ops4j.pax.exam.Option;

import com.google.gson.JsonElement;

/**
 * Roles compose through REST and the shell: reading everywhere plus writing in one tenant never becomes writing
 * everywhere, and a user is in a tenant only through a {@code netloom-tenant-NAME} role.
 */
public class AuthorisationIT extends NetloomTestSupport {

    private static final String MALLORY = "mallory";
    private static final String RED = "red";
    private static final String PASSWORD = "sec-Pw-1";

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/users.properties", MALLORY, PASSWORD
                    + ",netloom-viewer,netloom-user,netloom-tenant-green"),
            editConfigurationFilePut("etc/users.properties", "red-owner", PASSWORD
                    + ",netloom-user,netloom-tenant-red"),
            // Named like the tenant, but holding no tenant role: belongs to no tenant.
            editConfigurationFilePut("etc/users.properties", RED, PASSWORD + ",netloom-user"),
        };
    }

    private JsonElement as(String user, int status, String method, String path, String body) throws Exception {
        Reply reply = rest(method, path, user, PASSWORD, body);
        assertEquals(user + " " + method + " " + path + " -> " + reply.body(), status, reply.status());
        return reply.body().isEmpty() ? null : reply.json();
    }

    @Test
    public void viewerPlusUserOfGreenWritesOnlyInGreen() throws Exception {
        waitForRest();
        String redNet = id(as("red-owner", 201, "POST", "/networks", "{\"name\":\"red-net\",\"cidrs\":"
                + "[\"10.230.0.0/16\"]}"));
        as("red-owner", 201, "POST", "/networks/" + redNet + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.230.1.0/24\"}");
        String route = id(as("red-owner", 201, "POST", "/networks/" + redNet + "/static-routes",
                "{\"destination\":\"172.20.0.0/16\",\"nextHop\":\"10.230.1.9\"}"));
        String redGroup = id(as("red-owner", 201, "POST", "/security-groups", "{\"name\":\"red-sg\"}"));
        String redPort = id(as("red-owner", 201, "POST", "/ports", "{\"name\":\"red-port\",\"network\":\""
                + redNet + "\"}"));

        // Mallory sees red's objects (viewer) ...
        as(MALLORY, 200, "GET", "/networks/" + redNet, null);
        // ... but every write on them is forbidden.
        assertError(rest("POST", "/security-groups/" + redGroup + "/rules", MALLORY, PASSWORD,
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"22\"}"), 403, "FORBIDDEN");
        assertError(rest("DELETE", "/networks/" + redNet + "/static-routes/" + route, MALLORY, PASSWORD, null), 403,
                "FORBIDDEN");
        assertError(rest("POST", "/ports", MALLORY, PASSWORD, "{\"name\":\"evil\",\"network\":\"" + redNet
                + "\"}"), 403, "FORBIDDEN");
        assertError(rest("DELETE", "/ports/" + redPort, MALLORY, PASSWORD, null), 403, "FORBIDDEN");
        assertError(rest("DELETE", "/networks/" + redNet, MALLORY, PASSWORD, null), 403, "FORBIDDEN");
        assertEquals(1, as("red-owner", 200, "GET", "/ports?network=" + redNet, null).getAsJsonArray().size());

        // In green, Mallory writes.
        String greenNet = id(as(MALLORY, 201, "POST", "/networks", "{\"name\":\"green-net\",\"cidrs\":"
                + "[\"10.231.0.0/16\"]}"));
        assertEquals("green", as(MALLORY, 200, "GET", "/networks/" + greenNet, null).getAsJsonObject()
                .get("tenant").getAsString());

        // The user named red holds no tenant role: it sees nothing of tenant red and cannot write at all.
        assertError(rest("DELETE", "/ports/" + redPort, RED, PASSWORD, null), 403, "FORBIDDEN");
        assertError(rest("GET", "/ports/" + redPort, RED, PASSWORD, null), 404, "NOT_FOUND");
        assertEquals(0, as(RED, 200, "GET", "/networks", null).getAsJsonArray().size());
        assertError(rest("POST", "/networks", RED, PASSWORD, "{\"name\":\"n\",\"cidrs\":[\"10.232.0.0/16\"]}"),
                403, "FORBIDDEN");

        // The shell computes the same permissions.
        try {
            executeCommand("vnet:sg-rule-add --direction ingress --protocol tcp --ports 23 " + redGroup,
                    "netloom-viewer", "netloom-user", "netloom-tenant-green");
            fail("the shell let a viewer and user of green change red's group");
        } catch (Exception expected) {
            String message = String.valueOf(expected.getMessage());
            assertTrue(message, message.contains("FORBIDDEN"));
        }
        executeCommand("vnet:sg-rule-add --direction ingress --protocol tcp --ports 23 " + redGroup,
                "netloom-user", "netloom-tenant-red");
    }
}
