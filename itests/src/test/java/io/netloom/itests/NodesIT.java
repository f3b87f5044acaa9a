package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Nodes through the distribution: the controller's own node without configuration, registered hosts with their
 * heartbeats, draining and removal, ports placed on hosts (validated, shown, reported {@code NODE_DOWN} while their
 * node is down), who may read and change nodes, over REST and the shell.
 */
public class NodesIT extends NetloomTestSupport {

    private static final String ADMIN = "netloom-admin";

    @Override
    protected Option[] extraOptions() {
        // A short timeout, so that a node falls silent within the test.
        return new Option[] {editConfigurationFilePut("etc/io.netloom.node.cfg", "heartbeat.timeout", "PT3S")};
    }

    @Before
    public void ready() throws Exception {
        waitForRest();
    }

    private static JsonObject byId(JsonArray nodes, String id) {
        for (JsonElement n : nodes) {
            if (id.equals(n.getAsJsonObject().get("id").getAsString())) {
                return n.getAsJsonObject();
            }
        }
        fail("no node " + id + " in " + nodes);
        return null;
    }

    private String portStatus(String port) throws Exception {
        return expect(200, "GET", "/ports/" + port, null).getAsJsonObject().get("status").getAsString();
    }

    private static void assertField(Reply reply, int status, String code, String field) {
        assertError(reply, status, code);
        JsonElement f = reply.json().getAsJsonObject().get("field");
        assertEquals(reply.body(), field, f == null ? null : f.getAsString());
    }

    @Test
    public void theControllersOwnNodeTakesPortsWithoutConfiguration() throws Exception {
        expect(201, "POST", "/networks", "{\"name\":\"nodes-local\",\"cidrs\":[\"10.200.40.0/24\"]}");
        expect(201, "POST", "/networks/nodes-local/subnets", "{\"name\":\"s\",\"cidr\":\"10.200.40.0/24\"}");
        JsonObject port = expect(201, "POST", "/ports", "{\"name\":\"local-p\",\"network\":\"nodes-local\"}")
                .getAsJsonObject();
        assertEquals("node-sim", port.get("host").getAsString());
        String portId = id(port);
        waitFor("the port to be realised on the local node", () -> status(portId).equals("ACTIVE"));

        JsonObject local = byId(expect(200, "GET", "/nodes", null).getAsJsonArray(), "node-sim");
        assertTrue(local.get("local").getAsBoolean());
        assertEquals("sim", local.get("driver").getAsString());
        assertEquals("UP", local.get("status").getAsString());
        assertTrue(local.get("portCount").getAsInt() >= 1);
        // The pass that made the port ACTIVE records the node's revision as it ends.
        waitFor("the local node to report a realised revision", () -> realisedRevision("node-sim") > 0);
        assertTrue(local.has("lastHeartbeat"));
        assertEquals(local.get("id"), expect(200, "GET", "/nodes/node-sim", null).getAsJsonObject().get("id"));
        assertField(asAdmin("DELETE", "/nodes/node-sim", null), 409, "LOCAL_NODE", null);

        expect(204, "DELETE", "/ports/local-p", null);
        expect(204, "DELETE", "/networks/nodes-local", null);
    }

    @Test
    public void portsArePlacedOnRegisteredHostsThatReportNodeDownWhenSilent() throws Exception {
        JsonObject host = expect(201, "POST", "/nodes",
                "{\"name\":\"host2\",\"driver\":\"sim\",\"underlayAddress\":\"10.200.250.2\"}").getAsJsonObject();
        String hostId = id(host);
        assertTrue(hostId, hostId.matches("node-[0-9a-f]{12}"));
        assertEquals("DOWN", host.get("status").getAsString());
        assertFalse(host.get("local").getAsBoolean());
        expect(201, "POST", "/networks", "{\"name\":\"nodes-net\",\"cidrs\":[\"10.200.41.0/24\"]}");
        expect(201, "POST", "/networks/nodes-net/subnets", "{\"name\":\"s\",\"cidr\":\"10.200.41.0/24\"}");

        // Placement is validated before anything is written.
        int before = expect(200, "GET", "/ports", null).getAsJsonArray().size();
        assertField(asAdmin("POST", "/ports", "{\"name\":\"p\",\"network\":\"nodes-net\",\"host\":\"nowhere\"}"),
                400, "UNKNOWN_NODE", "host");
        assertField(asAdmin("POST", "/ports", "{\"name\":\"p\",\"network\":\"nodes-net\",\"host\":7}"),
                400, "INVALID_TYPE", "host");
        JsonObject ovsHost = expect(201, "POST", "/nodes",
                "{\"name\":\"ovs3\",\"driver\":\"ovs\",\"underlayAddress\":\"10.200.250.3\"}").getAsJsonObject();
        assertField(asAdmin("POST", "/ports", "{\"name\":\"p\",\"network\":\"nodes-net\",\"host\":\"ovs3\"}"),
                409, "DRIVER_MISMATCH", "host");
        assertEquals(before, expect(200, "GET", "/ports", null).getAsJsonArray().size());

        JsonObject port = expect(201, "POST", "/ports",
                "{\"name\":\"remote-p\",\"network\":\"nodes-net\",\"host\":\"host2\"}").getAsJsonObject();
        assertEquals(hostId, port.get("host").getAsString());
        String portId = id(port);
        assertEquals(hostId, expect(200, "GET", "/ports/" + portId, null).getAsJsonObject().get("host")
                .getAsString());
        // Never heard of: down, and so is the port.
        waitFor("the port to report NODE_DOWN", () -> status(portId).equals("NODE_DOWN"));

        JsonObject beat = expect(200, "POST", "/nodes/host2/heartbeat",
                "{\"realisedRevision\":3,\"agentVersion\":\"0.1.0\"}").getAsJsonObject();
        assertEquals("UP", beat.get("status").getAsString());
        assertEquals(3, beat.get("realisedRevision").getAsLong());
        assertEquals("0.1.0", beat.get("agentVersion").getAsString());
        // A live node beats on; the reconciler sees it up at its next pass.
        waitFor("the port to wait for its node's agent", () -> beat("host2") && status(portId).equals("PENDING"));
        JsonObject listed = byId(expect(200, "GET", "/nodes", null).getAsJsonArray(), hostId);
        assertEquals(1, listed.get("portCount").getAsInt());
        assertEquals("10.200.250.2", listed.get("underlayAddress").getAsString());
        JsonObject realisation = expect(200, "GET", "/realisation", null).getAsJsonObject();
        assertEquals("sim", byNode(realisation.getAsJsonArray("nodes"), hostId).get("driver").getAsString());
        // Silent for longer than the timeout: down again.
        waitFor("the node to fall silent", () -> status(portId).equals("NODE_DOWN"));

        // A draining node keeps its port and takes no new one.
        expect(200, "POST", "/nodes/" + hostId + "/drain", null);
        assertField(asAdmin("POST", "/ports", "{\"name\":\"p2\",\"network\":\"nodes-net\",\"host\":\"host2\"}"),
                409, "NODE_DRAINING", "host");
        assertEquals("DRAINING", expect(200, "POST", "/nodes/host2/heartbeat", "{\"realisedRevision\":3}")
                .getAsJsonObject().get("status").getAsString());
        expect(200, "DELETE", "/nodes/host2/drain", null);
        assertEquals("UP", expect(200, "GET", "/nodes/host2", null).getAsJsonObject().get("status").getAsString());

        // Removal waits for its ports to go.
        assertField(asAdmin("DELETE", "/nodes/host2", null), 409, "IN_USE", null);
        expect(204, "DELETE", "/ports/" + portId, null);
        expect(204, "DELETE", "/nodes/host2", null);
        assertError(asAdmin("GET", "/nodes/" + hostId, null), 404, "NOT_FOUND");
        expect(204, "DELETE", "/nodes/" + id(ovsHost), null);
        expect(204, "DELETE", "/networks/nodes-net", null);
    }

    private long realisedRevision(String node) {
        try {
            return expect(200, "GET", "/nodes/" + node, null).getAsJsonObject().get("realisedRevision").getAsLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private boolean beat(String node) {
        try {
            return asAdmin("POST", "/nodes/" + node + "/heartbeat", "{\"realisedRevision\":3}").status() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private String status(String port) {
        try {
            return portStatus(port);
        } catch (Exception e) {
            return "";
        }
    }

    private static JsonObject byNode(JsonArray nodes, String node) {
        for (JsonElement n : nodes) {
            if (node.equals(n.getAsJsonObject().get("node").getAsString())) {
                return n.getAsJsonObject();
            }
        }
        fail("no node " + node + " in " + nodes);
        return null;
    }

    @Test
    public void registrationRefusesBadInputAndChangesNothing() throws Exception {
        int before = expect(200, "GET", "/nodes", null).getAsJsonArray().size();
        assertField(asAdmin("POST", "/nodes", "{\"name\":\"h\",\"driver\":\"sim\","
                + "\"underlayAddress\":\"10.200.250.300\"}"), 400, "INVALID_ADDRESS", "underlayAddress");
        assertField(asAdmin("POST", "/nodes", "{\"name\":\"h\",\"driver\":\"Not A Type\","
                + "\"underlayAddress\":\"10.200.250.9\"}"), 400, "INVALID_DRIVER", "driver");
        assertField(asAdmin("POST", "/nodes", "{\"name\":\"h\",\"driver\":\"sim\"}"), 400, "REQUIRED",
                "underlayAddress");
        assertField(asAdmin("POST", "/nodes", "{\"name\":\"h\",\"driver\":\"sim\","
                + "\"underlayAddress\":\"10.200.250.9\",\"status\":\"UP\"}"), 400, "READ_ONLY_FIELD", "status");
        assertField(asAdmin("POST", "/nodes", "{\"name\":\"h\",\"driver\":\"sim\","
                + "\"underlayAddress\":\"10.200.250.9\",\"colour\":\"red\"}"), 400, "UNKNOWN_FIELD", "colour");
        assertField(asAdmin("POST", "/nodes", "{\"name\":\"node-sim\",\"driver\":\"sim\","
                + "\"underlayAddress\":\"10.200.250.9\"}"), 409, "NODE_EXISTS", "name");
        assertField(asAdmin("POST", "/nodes/node-sim/heartbeat", "{\"realisedRevision\":-1}"), 400,
                "INVALID_REVISION", "realisedRevision");
        assertError(asAdmin("POST", "/nodes/nowhere/drain", null), 404, "NOT_FOUND");
        assertEquals(before, expect(200, "GET", "/nodes", null).getAsJsonArray().size());
    }

    @Test
    public void viewersReadNodesAdministratorsChangeThemAndTenantsNeither() throws Exception {
        assertEquals(200, rest("GET", "/nodes", VIEWER, VIEWER_PASSWORD, null).status());
        assertEquals(200, rest("GET", "/nodes/node-sim", VIEWER, VIEWER_PASSWORD, null).status());
        assertError(rest("POST", "/nodes/node-sim/drain", VIEWER, VIEWER_PASSWORD, null), 403, "FORBIDDEN");
        assertError(rest("GET", "/nodes", ALICE, USER_PASSWORD, null), 403, "FORBIDDEN");
        assertError(rest("GET", "/nodes/node-sim", ALICE, USER_PASSWORD, null), 403, "FORBIDDEN");
        assertError(rest("POST", "/nodes", ALICE, USER_PASSWORD,
                "{\"name\":\"h\",\"driver\":\"sim\",\"underlayAddress\":\"10.200.250.9\"}"), 403, "FORBIDDEN");
        assertError(rest("POST", "/nodes/node-sim/drain", ALICE, USER_PASSWORD, null), 403, "FORBIDDEN");
        assertError(rest("GET", "/nodes", null, null, null), 401, "UNAUTHORIZED");
        assertEquals("UP", expect(200, "GET", "/nodes/node-sim", null).getAsJsonObject().get("status")
                .getAsString());

        // A tenant's user places ports by default and may not name a host.
        JsonObject net = rest("POST", "/networks", ALICE, USER_PASSWORD,
                "{\"name\":\"alice-nodes\",\"cidrs\":[\"10.200.42.0/24\"]}").json().getAsJsonObject();
        assertEquals(201, rest("POST", "/networks/alice-nodes/subnets", ALICE, USER_PASSWORD,
                "{\"name\":\"s\",\"cidr\":\"10.200.42.0/24\"}").status());
        assertError(rest("POST", "/ports", ALICE, USER_PASSWORD,
                "{\"name\":\"p\",\"network\":\"alice-nodes\",\"host\":\"node-sim\"}"), 403, "FORBIDDEN");
        Reply created = rest("POST", "/ports", ALICE, USER_PASSWORD, "{\"name\":\"p\",\"network\":\"alice-nodes\"}");
        assertEquals(created.body(), 201, created.status());
        assertEquals("node-sim", created.json().getAsJsonObject().get("host").getAsString());
        assertEquals(204, rest("DELETE", "/ports/" + id(created.json()), ALICE, USER_PASSWORD, null).status());
        assertEquals(204, rest("DELETE", "/networks/" + id(net), ALICE, USER_PASSWORD, null).status());
    }

    @Test
    public void nodesFromTheShell() throws Exception {
        String table = executeCommand("vnet:node-list", ADMIN);
        assertTrue(table, table.contains("node-sim") && table.contains("(local)"));
        JsonArray json = JsonParser.parseString(executeCommand("vnet:node-list --json", ADMIN)).getAsJsonArray();
        List<String> ids = new ArrayList<>();
        json.forEach(n -> ids.add(id(n)));
        List<String> restIds = new ArrayList<>();
        expect(200, "GET", "/nodes", null).getAsJsonArray().forEach(n -> restIds.add(id(n)));
        assertEquals(restIds, ids);

        JsonObject node = JsonParser.parseString(executeCommand(
                "vnet:node-register --json --driver sim --underlay 10.200.250.7 shell-host", ADMIN)).getAsJsonObject();
        assertEquals("DOWN", node.get("status").getAsString());
        executeCommand("vnet:network-create --cidr 10.200.43.0/24 shell-nodes", ADMIN);
        executeCommand("vnet:subnet-create --network shell-nodes --cidr 10.200.43.0/24 s", ADMIN);
        JsonObject port = JsonParser.parseString(executeCommand(
                "vnet:port-create --json --network shell-nodes --host shell-host sp", ADMIN)).getAsJsonObject();
        assertEquals(id(node), port.get("host").getAsString());
        String ports = executeCommand("vnet:port-list --network shell-nodes", ADMIN);
        assertTrue(ports, ports.contains(id(node)));
        String shown = executeCommand("vnet:node-show shell-host", ADMIN);
        assertTrue(shown, shown.contains("10.200.250.7") && shown.contains("DOWN"));
        // Never heard of, it stays DOWN; its detail says it is drained.
        String drained = JsonParser.parseString(executeCommand("vnet:node-drain --json shell-host", ADMIN))
                .getAsJsonObject().get("statusDetail").getAsString();
        assertTrue(drained, drained.contains("drained"));
        executeCommand("vnet:node-drain --resume shell-host", ADMIN);
        // Viewers list nodes; tenant users may not (the command ACL), nor may viewers change them.
        assertTrue(executeCommand("vnet:node-list", "netloom-viewer").contains("shell-host"));
        refused("vnet:node-list", "netloom-user");
        refused("vnet:node-drain shell-host", "netloom-viewer");
        refused("vnet:node-remove shell-host", "netloom-viewer");

        executeCommand("vnet:port-delete sp", ADMIN);
        executeCommand("vnet:node-remove shell-host", ADMIN);
        assertFalse(executeCommand("vnet:node-list", ADMIN).contains("shell-host"));
        executeCommand("vnet:network-delete shell-nodes", ADMIN);
    }

    private void refused(String command, String role) throws Exception {
        try {
            executeCommand(command, role);
            fail(role + " ran " + command);
        } catch (Exception expected) {
            // Karaf's command ACL refuses the command before it runs.
            String message = String.valueOf(expected.getMessage());
            assertTrue(message, message.contains("Insufficient credentials") || message.contains("not found"));
        }
    }
}
