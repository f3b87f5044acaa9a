package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The model through the {@code vnet:} shell commands: the same operations as REST, tables and {@code --json}.
 */
public class ModelShellIT extends NetloomTestSupport {

    private static final String ADMIN = "netloom-admin";

    @Before
    public void ready() throws Exception {
        waitForRest();
    }

    private JsonElement json(String command) throws Exception {
        int space = command.indexOf(' ');
        String withJson = space < 0 ? command + " --json"
                : command.substring(0, space) + " --json" + command.substring(space);
        return JsonParser.parseString(executeCommand(withJson, ADMIN));
    }

    private String run(String command) throws Exception {
        return executeCommand(command, ADMIN);
    }

    @Test
    public void everyResourceIsCreatedListedShownAndDeletedFromTheShell() throws Exception {
        JsonObject a = json("vnet:network-create --cidr 10.210.0.0/16 shell-a").getAsJsonObject();
        String netA = id(a);
        String netB = id(json("vnet:network-create --cidr 10.211.0.0/16 --driver sim shell-b"));
        assertTrue(run("vnet:network-list").contains(netA));
        assertTrue(run("vnet:network-show shell-a").contains("10.210.0.0/16"));
        // REST sees exactly what the shell made: same JSON.
        assertEquals(withoutStatus(expect(200, "GET", "/networks/" + netA, null)),
                withoutStatus(json("vnet:network-show " + netA)));

        String subnet = id(json("vnet:subnet-create --network shell-a --cidr 10.210.1.0/24 s1"));
        assertTrue(run("vnet:subnet-list shell-a").contains("10.210.1.1"));

        String sg = id(json("vnet:sg-create --description web shell-web"));
        JsonObject rule = json("vnet:sg-rule-add --direction ingress --protocol tcp --ports 22 "
                + "--remote-cidr 10.210.0.0/16 --priority 5 shell-web").getAsJsonObject();
        assertEquals("22", rule.get("ports").getAsString());
        String shown = run("vnet:sg-show shell-web");
        assertTrue(shown, shown.contains(id(rule)) && shown.contains("10.210.0.0/16"));

        JsonObject port = json("vnet:port-create --network shell-a --security-group shell-web --netns ns-shell p1")
                .getAsJsonObject();
        assertEquals("10.210.1.2", port.get("ip").getAsString());
        assertEquals("ns-shell", port.getAsJsonObject("binding").get("target").getAsString());
        assertTrue(run("vnet:port-list --network shell-a").contains(id(port)));
        assertTrue(run("vnet:port-show p1").contains("10.210.1.2"));
        assertTrue(json("vnet:port-sg-set p1").getAsJsonObject().getAsJsonArray("securityGroups").isEmpty());

        String peering = id(json("vnet:peering-create ab shell-a shell-b"));
        assertTrue(run("vnet:peering-list").contains("PENDING_ACCEPTANCE"));
        assertEquals("ACTIVE", json("vnet:peering-accept " + peering).getAsJsonObject().get("state").getAsString());
        assertTrue(run("vnet:peering-show ab").contains("ACTIVE"));

        assertTrue(run("vnet:audit-list --limit 5").contains("peering.accept"));

        try {
            run("vnet:network-delete shell-a");
            fail("a network with ports was deleted");
        } catch (Exception expected) {
            assertTrue(String.valueOf(expected.getMessage()), String.valueOf(expected.getMessage()).contains("IN_USE"));
        }

        run("vnet:peering-delete " + peering);
        run("vnet:port-delete p1");
        run("vnet:sg-rule-delete shell-web " + id(rule));
        run("vnet:sg-delete shell-web");
        run("vnet:subnet-delete " + subnet);
        run("vnet:network-delete shell-a");
        run("vnet:network-delete " + netB);
        String list = run("vnet:network-list");
        assertFalse(list.contains(netA));
        assertFalse(list.contains(netB));
        assertError(asAdmin("GET", "/security-groups/" + sg, null), 404, "NOT_FOUND");
    }

    @Test
    public void subnetOptionsAndPortsWithoutAnAddressFromTheShell() throws Exception {
        String net = id(json("vnet:network-create --cidr 10.213.0.0/16 shell-opts"));
        JsonObject quiet = json("vnet:subnet-create --network shell-opts --cidr 10.213.1.0/24 --no-gateway "
                + "--allocation-pool 10.213.1.10-10.213.1.19 --dns-nameserver 10.213.1.53 "
                + "--host-route 10.9.0.0/16,10.213.1.254 quiet").getAsJsonObject();
        assertFalse(quiet.toString(), quiet.has("gateway"));
        assertEquals("10.213.1.10", quiet.getAsJsonArray("allocationPools").get(0).getAsJsonObject().get("start")
                .getAsString());
        assertEquals("10.9.0.0/16", quiet.getAsJsonArray("hostRoutes").get(0).getAsJsonObject().get("destination")
                .getAsString());
        JsonObject changed = json("vnet:subnet-update --no-dns-nameservers --host-route 10.8.0.0/16,10.213.1.254 "
                + "quiet").getAsJsonObject();
        assertTrue(changed.getAsJsonArray("dnsNameservers").isEmpty());
        assertEquals("10.8.0.0/16", changed.getAsJsonArray("hostRoutes").get(0).getAsJsonObject()
                .get("destination").getAsString());
        String subnets = run("vnet:subnet-list shell-opts");
        // The gateway is the last column: a dash for none.
        assertTrue(subnets, subnets.lines().anyMatch(l -> l.contains("quiet") && l.trim().endsWith("-")));

        JsonObject l2 = json("vnet:port-create --network shell-opts --no-address l2").getAsJsonObject();
        assertFalse(l2.toString(), l2.has("ip"));
        JsonObject p = json("vnet:port-create --network shell-opts --admin-down p").getAsJsonObject();
        assertEquals("10.213.1.10", p.get("ip").getAsString());
        assertTrue(p.get("adminDown").getAsBoolean());
        JsonObject up = json("vnet:port-update --admin-up --ip 10.213.1.50 p").getAsJsonObject();
        assertFalse(up.get("adminDown").getAsBoolean());
        assertEquals("10.213.1.50", up.get("ip").getAsString());
        assertTrue(run("vnet:port-list --network shell-opts").contains(id(l2)));

        run("vnet:port-delete l2");
        run("vnet:port-delete p");
        run("vnet:network-delete " + net);
    }

    @Test
    public void invalidInputFromTheShellIsReportedWithCodeAndField() throws Exception {
        try {
            run("vnet:network-create --cidr 10.0.258.0/24 bad");
            fail("accepted a bad CIDR");
        } catch (Exception expected) {
            String message = String.valueOf(expected.getMessage());
            assertTrue(message, message.contains("INVALID_CIDR") && message.contains("[cidrs[0]]"));
        }
        assertFalse(run("vnet:network-list").contains(" bad "));
    }

    @Test
    public void viewerMayListButNotCreate() throws Exception {
        executeCommand("vnet:network-list", "netloom-viewer");
        try {
            executeCommand("vnet:network-create --cidr 10.212.0.0/16 viewer-net", "netloom-viewer");
            fail("a viewer created a network");
        } catch (Exception expected) {
            String message = String.valueOf(expected.getMessage());
            assertTrue(message, message.contains("Insufficient credentials") || message.contains("not found"));
        }
    }
}
