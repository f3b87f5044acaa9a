package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The model through REST: create, list, show and delete every resource; tenancy; idempotent POSTs; the audit log.
 */
public class ModelRestIT extends NetloomTestSupport {

    @Before
    public void ready() throws Exception {
        waitForRest();
    }

    private static boolean listHas(JsonElement list, String id) {
        for (JsonElement e : list.getAsJsonArray()) {
            if (id(e).equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void everyResourceIsCreatedListedShownAndDeleted() throws Exception {
        JsonObject a = expect(201, "POST", "/networks", "{\"name\":\"rest-a\",\"cidrs\":[\"10.200.0.0/16\","
                + "\"fd00:200::/48\"]}").getAsJsonObject();
        assertEquals("sim", a.get("driver").getAsString());
        // Written, and realised on the sim data plane moments later.
        assertTrue(a.toString(), List.of("PENDING", "ACTIVE").contains(a.get("status").getAsString()));
        String netA = id(a);
        String netB = id(expect(201, "POST", "/networks", "{\"name\":\"rest-b\",\"cidrs\":[\"10.201.0.0/16\"]}"));
        assertTrue(listHas(expect(200, "GET", "/networks", null), netA));
        assertEquals("rest-a", expect(200, "GET", "/networks/" + netA, null).getAsJsonObject().get("name")
                .getAsString());
        assertEquals(netA, id(expect(200, "GET", "/networks/rest-a", null)));

        JsonObject s1 = expect(201, "POST", "/networks/" + netA + "/subnets",
                "{\"name\":\"s1\",\"cidr\":\"10.200.1.0/24\"}").getAsJsonObject();
        assertEquals("10.200.1.1", s1.get("gateway").getAsString());
        JsonObject s6 = expect(201, "POST", "/networks/" + netA + "/subnets",
                "{\"name\":\"s6\",\"cidr\":\"fd00:200:0:1::/64\",\"gateway\":\"fd00:200:0:1::fe\"}").getAsJsonObject();
        assertTrue(listHas(expect(200, "GET", "/networks/" + netA + "/subnets", null), id(s1)));
        expect(200, "GET", "/subnets/" + id(s6), null);

        JsonObject sg = expect(201, "POST", "/security-groups", "{\"name\":\"rest-web\",\"description\":\"web\"}")
                .getAsJsonObject();
        JsonObject rule = expect(201, "POST", "/security-groups/" + id(sg) + "/rules", "{\"direction\":\"ingress\","
                + "\"protocol\":\"tcp\",\"ports\":\"8000-8080\",\"remoteCidr\":\"10.200.0.0/16\",\"priority\":10}")
                .getAsJsonObject();
        assertEquals("8000-8080", rule.get("ports").getAsString());
        assertEquals("allow", rule.get("action").getAsString());
        JsonObject shown = expect(200, "GET", "/security-groups/" + id(sg), null).getAsJsonObject();
        assertEquals(1, shown.getAsJsonArray("rules").size());
        // Many rules at once, all or none: one bad element refuses the lot and names it.
        assertError(asAdmin("POST", "/security-groups/" + id(sg) + "/rules", "[{\"direction\":\"ingress\","
                + "\"protocol\":\"tcp\",\"ports\":\"443\"},{\"direction\":\"ingress\",\"protocol\":\"icmp\","
                + "\"ports\":\"80\"}]"), 400, "INVALID_PORTS");
        JsonArray bulkRules = expect(201, "POST", "/security-groups/" + id(sg) + "/rules", "[{\"direction\":"
                + "\"ingress\",\"protocol\":\"tcp\",\"ports\":\"443\"},{\"direction\":\"ingress\","
                + "\"protocol\":\"icmp\",\"remoteCidr\":\"10.200.0.0/16\"}]").getAsJsonArray();
        assertEquals(2, bulkRules.size());
        assertEquals("443", bulkRules.get(0).getAsJsonObject().get("ports").getAsString());
        assertEquals(3, expect(200, "GET", "/security-groups/" + id(sg), null).getAsJsonObject()
                .getAsJsonArray("rules").size());

        JsonObject p1 = expect(201, "POST", "/ports", "{\"name\":\"p1\",\"network\":\"" + netA + "\",\"subnet\":\"s1\","
                + "\"securityGroups\":[\"" + id(sg) + "\"],\"binding\":{\"type\":\"netns\",\"target\":\"ns-a\"}}")
                .getAsJsonObject();
        assertEquals("10.200.1.2", p1.get("ip").getAsString());
        assertTrue(p1.get("mac").getAsString().matches("02(:[0-9a-f]{2}){5}"));
        JsonObject p2 = expect(201, "POST", "/ports", "{\"name\":\"p2\",\"network\":\"rest-a\",\"ip\":\"10.200.1.50\","
                + "\"mac\":\"02:00:00:00:00:50\"}").getAsJsonObject();
        assertEquals("10.200.1.50", p2.get("ip").getAsString());
        assertError(asAdmin("POST", "/ports", "{\"name\":\"p3\",\"network\":\"rest-a\",\"ip\":\"10.200.1.50\"}"),
                409, "ADDRESS_IN_USE");
        assertError(asAdmin("POST", "/ports", "{\"name\":\"p3\",\"network\":\"rest-a\",\"mac\":\"02:00:00:00:00:50\"}"),
                409, "MAC_IN_USE");
        JsonObject p6 = expect(201, "POST", "/ports", "{\"name\":\"p6\",\"network\":\"rest-a\",\"subnet\":\"s6\"}")
                .getAsJsonObject();
        assertEquals("fd00:200:0:1::1", p6.get("ip").getAsString());
        assertEquals(3, expect(200, "GET", "/ports?network=" + netA, null).getAsJsonArray().size());
        JsonObject moved = expect(200, "PUT", "/ports/" + id(p2) + "/security-groups", "[\"rest-web\"]")
                .getAsJsonObject();
        assertEquals(id(sg), moved.getAsJsonArray("securityGroups").get(0).getAsString());

        // In use: 409, and nothing changes.
        assertError(asAdmin("DELETE", "/networks/" + netA, null), 409, "IN_USE");
        assertError(asAdmin("DELETE", "/subnets/" + id(s1), null), 409, "IN_USE");
        assertError(asAdmin("DELETE", "/security-groups/" + id(sg), null), 409, "IN_USE");

        JsonObject peering = expect(201, "POST", "/peerings", "{\"name\":\"ab\",\"network\":\"" + netA
                + "\",\"peerNetwork\":\"" + netB + "\"}").getAsJsonObject();
        assertEquals("PENDING_ACCEPTANCE", peering.get("state").getAsString());
        assertError(asAdmin("POST", "/peerings", "{\"name\":\"ba\",\"network\":\"" + netB + "\",\"peerNetwork\":\""
                + netA + "\"}"), 409, "PEERING_EXISTS");
        assertEquals("ACTIVE", expect(200, "POST", "/peerings/" + id(peering) + "/accept", null).getAsJsonObject()
                .get("state").getAsString());
        assertError(asAdmin("POST", "/peerings/" + id(peering) + "/reject", null), 409, "INVALID_STATE");
        assertTrue(listHas(expect(200, "GET", "/peerings", null), id(peering)));
        String overlapping = id(expect(201, "POST", "/networks",
                "{\"name\":\"rest-c\",\"cidrs\":[\"10.200.128.0/17\"]}"));
        assertError(asAdmin("POST", "/peerings", "{\"name\":\"ac\",\"network\":\"" + netA + "\",\"peerNetwork\":\""
                + overlapping + "\"}"), 409, "OVERLAPPING_CIDRS");

        // Delete everything, in an order that the in-use rules allow.
        expect(204, "DELETE", "/peerings/" + id(peering), null);
        assertEquals("a deleted peering stays visible, DELETED, for its retention", "DELETED",
                expect(200, "GET", "/peerings/" + id(peering), null).getAsJsonObject().get("state").getAsString());
        assertError(asAdmin("DELETE", "/peerings/" + id(peering), null), 404, "NOT_FOUND");
        for (JsonObject p : List.of(p1, p2, p6)) {
            expect(204, "DELETE", "/ports/" + id(p), null);
            assertError(asAdmin("GET", "/ports/" + id(p), null), 404, "NOT_FOUND");
        }
        expect(204, "DELETE", "/security-groups/" + id(sg) + "/rules/" + id(rule), null);
        expect(204, "DELETE", "/security-groups/" + id(sg), null);
        expect(204, "DELETE", "/subnets/" + id(s1), null);
        for (String n : List.of(netA, netB, overlapping)) {
            expect(204, "DELETE", "/networks/" + n, null);
            assertError(asAdmin("GET", "/networks/" + n, null), 404, "NOT_FOUND");
        }
        assertFalse(listHas(expect(200, "GET", "/networks", null), netA));
    }

    @Test
    public void networkCreationBringsItsDefaultGroupWhichGoesWithIt() throws Exception {
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"with-default\",\"cidrs\":[\"10.202.0.0/16\"]}"));
        String defaultGroup = null;
        for (JsonElement g : expect(200, "GET", "/security-groups", null).getAsJsonArray()) {
            JsonObject o = g.getAsJsonObject();
            if (o.has("network") && o.get("network").getAsString().equals(net)) {
                defaultGroup = id(o);
                JsonObject rule = o.getAsJsonArray("rules").get(0).getAsJsonObject();
                assertEquals("ingress", rule.get("direction").getAsString());
                assertEquals(defaultGroup, rule.get("remoteGroup").getAsString());
            }
        }
        assertTrue("default group created", defaultGroup != null);
        assertError(asAdmin("DELETE", "/security-groups/" + defaultGroup, null), 409, "DEFAULT_GROUP");
        expect(204, "DELETE", "/networks/" + net, null);
        assertError(asAdmin("GET", "/security-groups/" + defaultGroup, null), 404, "NOT_FOUND");
    }

    @Test
    public void tenantsSeeOnlyTheirOwnObjectsAndOthersAreNotFound() throws Exception {
        Reply created = rest("POST", "/networks", ALICE, USER_PASSWORD, "{\"name\":\"alice-net\",\"cidrs\":"
                + "[\"10.203.0.0/16\"]}");
        assertEquals(created.body(), 201, created.status());
        String net = id(created.json());
        assertEquals("alice", created.json().getAsJsonObject().get("tenant").getAsString());
        // Bob, another tenant, is told it does not exist: never a 403 that confirms it does.
        assertError(rest("GET", "/networks/" + net, BOB, USER_PASSWORD, null), 404, "NOT_FOUND");
        assertError(rest("DELETE", "/networks/" + net, BOB, USER_PASSWORD, null), 404, "NOT_FOUND");
        assertFalse(listHas(rest("GET", "/networks", BOB, USER_PASSWORD, null).json(), net));
        // Admin and viewer see every tenant; the viewer still cannot write.
        expect(200, "GET", "/networks/" + net, null);
        assertTrue(listHas(rest("GET", "/networks", VIEWER, VIEWER_PASSWORD, null).json(), net));
        assertError(rest("DELETE", "/networks/" + net, VIEWER, VIEWER_PASSWORD, null), 403, "FORBIDDEN");
        assertEquals(204, rest("DELETE", "/networks/" + net, ALICE, USER_PASSWORD, null).status());
    }

    @Test
    public void idempotencyKeyReplaysTheFirstAnswer() throws Exception {
        String body = "{\"name\":\"idem\",\"cidrs\":[\"10.204.0.0/16\"]}";
        Reply first = rest("POST", "/networks", "admin", adminPassword(), body, "application/json", "key-1");
        Reply again = rest("POST", "/networks", "admin", adminPassword(), body, "application/json", "key-1");
        assertEquals(201, first.status());
        assertEquals(201, again.status());
        assertEquals(id(first.json()), id(again.json()));
        int named = 0;
        for (JsonElement n : expect(200, "GET", "/networks", null).getAsJsonArray()) {
            named += n.getAsJsonObject().get("name").getAsString().equals("idem") ? 1 : 0;
        }
        assertEquals("one network, not two", 1, named);
        assertError(rest("POST", "/networks", "admin", adminPassword(), "{\"name\":\"other\",\"cidrs\":"
                + "[\"10.205.0.0/16\"]}", "application/json", "key-1"), 409, "IDEMPOTENCY_KEY_REUSED");
        expect(204, "DELETE", "/networks/" + id(first.json()), null);
    }

    @Test
    public void everyChangeIsAudited() throws Exception {
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"audited\",\"cidrs\":[\"10.206.0.0/16\"]}"));
        expect(204, "DELETE", "/networks/" + net, null);
        JsonArray entries = expect(200, "GET", "/audit?limit=20", null).getAsJsonArray();
        List<String> actions = new ArrayList<>();
        for (JsonElement e : entries) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("objectId").getAsString().equals(net)) {
                actions.add(o.get("action").getAsString());
                assertEquals("admin", o.get("user").getAsString());
                assertEquals("rest", o.get("via").getAsString());
            }
        }
        assertEquals(List.of("network.delete", "network.create"), actions);
        JsonObject deletion = entries.get(0).getAsJsonObject();
        assertTrue(deletion.has("before"));
        assertFalse(deletion.has("after"));
    }

    @Test
    public void portsAreCreatedInBulkAllOrNoneAndWaitedForTogether() throws Exception {
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"bulk\",\"cidrs\":[\"10.200.160.0/20\"],"
                + "\"driver\":\"sim\"}"));
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s\",\"cidr\":\"10.200.160.0/24\"}");
        try {
            // One bad element refuses the whole request, naming the element; nothing is created.
            Reply bad = asAdmin("POST", "/ports", "[{\"name\":\"b0\",\"network\":\"" + net + "\"},"
                    + "{\"name\":\"b1\",\"network\":\"" + net + "\",\"mac\":\"zz\"}]");
            assertError(bad, 400, "INVALID_MAC");
            assertEquals("[1].mac", JsonParser.parseString(bad.body()).getAsJsonObject().get("field").getAsString());
            assertError(asAdmin("POST", "/ports", "[{\"name\":\"b0\",\"network\":\"" + net + "\"}, 7]"), 400,
                    "INVALID_TYPE");
            assertError(asAdmin("POST", "/ports", "[{\"name\":\"b0\",\"network\":\"" + net + "\",\"id\":\"x\"}]"),
                    400, "READ_ONLY_FIELD");
            assertEquals(0, expect(200, "GET", "/ports?network=" + net, null).getAsJsonArray().size());

            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                body.append(i == 0 ? "" : ",").append("{\"name\":\"b").append(i).append("\",\"network\":\"")
                        .append(net).append("\"}");
            }
            JsonArray created = expect(201, "POST", "/ports?wait=30s", body.append("]").toString()).getAsJsonArray();
            assertEquals(50, created.size());
            Set<String> ips = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                JsonObject port = created.get(i).getAsJsonObject();
                assertEquals("b" + i, port.get("name").getAsString());
                assertEquals("answered once every port is on the data plane", "ACTIVE",
                        port.get("status").getAsString());
                ips.add(port.get("ip").getAsString());
            }
            assertEquals("50 distinct addresses", 50, ips.size());
            assertEquals(50, expect(200, "GET", "/ports?network=" + net, null).getAsJsonArray().size());
            long audited = 0;
            for (JsonElement e : expect(200, "GET", "/audit?limit=60", null).getAsJsonArray()) {
                audited += e.getAsJsonObject().get("action").getAsString().equals("port.create") ? 1 : 0;
            }
            assertTrue("each port audited: " + audited, audited >= 50);
        } finally {
            for (JsonElement port : expect(200, "GET", "/ports?network=" + net, null).getAsJsonArray()) {
                expect(204, "DELETE", "/ports/" + id(port), null);
            }
            expect(204, "DELETE", "/networks/" + net, null);
        }
    }

    private static String field(Reply reply) {
        return JsonParser.parseString(reply.body()).getAsJsonObject().get("field").getAsString();
    }

    @Test
    public void portsWithoutAnAddressSubnetOptionsAndAdministrativeStateThroughRest() throws Exception {
        String net = id(expect(201, "POST", "/networks", "{\"name\":\"opts\",\"cidrs\":[\"10.200.176.0/20\"]}"));
        try {
            assertError(asAdmin("POST", "/ports", "{\"name\":\"p\",\"network\":\"" + net + "\"}"), 409,
                    "NO_SUBNET");
            JsonObject l2 = expect(201, "POST", "/ports", "{\"name\":\"l2\",\"network\":\"" + net
                    + "\",\"noAddress\":true}").getAsJsonObject();
            assertFalse(l2.toString(), l2.has("ip") && !l2.get("ip").isJsonNull());
            Reply bound = asAdmin("POST", "/ports", "{\"name\":\"l2b\",\"network\":\"" + net + "\",\"noAddress\":true,"
                    + "\"binding\":{\"type\":\"netns\",\"target\":\"ns-l2b\"}}");
            assertError(bound, 400, "ADDRESS_REQUIRED");
            assertEquals("binding", field(bound));

            Reply pool = asAdmin("POST", "/networks/" + net + "/subnets", "{\"name\":\"q\",\"cidr\":"
                    + "\"10.200.177.0/24\",\"allocationPools\":[{\"start\":\"10.200.177.1\","
                    + "\"end\":\"10.200.177.9\"}]}");
            assertError(pool, 400, "INVALID_ALLOCATION_POOL");
            assertEquals("allocationPools[0]", field(pool));
            JsonObject quiet = expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"quiet\",\"cidr\":"
                    + "\"10.200.177.0/24\",\"noGateway\":true,\"allocationPools\":[{\"start\":\"10.200.177.10\","
                    + "\"end\":\"10.200.177.19\"}],\"dnsNameservers\":[\"10.200.177.53\"],\"hostRoutes\":"
                    + "[{\"destination\":\"10.9.0.0/16\",\"nexthop\":\"10.200.177.254\"}]}").getAsJsonObject();
            assertFalse(quiet.toString(), quiet.has("gateway") && !quiet.get("gateway").isJsonNull());
            assertEquals("10.200.177.53", quiet.getAsJsonArray("dnsNameservers").get(0).getAsString());
            JsonObject changed = expect(200, "PATCH", "/subnets/" + id(quiet), "{\"dnsNameservers\":[],"
                    + "\"hostRoutes\":[]}").getAsJsonObject();
            assertEquals(0, changed.getAsJsonArray("dnsNameservers").size());
            assertEquals(0, changed.getAsJsonArray("hostRoutes").size());
            assertError(asAdmin("PATCH", "/subnets/" + id(quiet), "{\"allocationPools\":[]}"), 400,
                    "IMMUTABLE_FIELD");

            JsonObject p = expect(201, "POST", "/ports", "{\"name\":\"p\",\"network\":\"" + net + "\"}")
                    .getAsJsonObject();
            assertEquals("the pool's first address", "10.200.177.10", p.get("ip").getAsString());
            Reply gw = asAdmin("POST", "/ports", "{\"name\":\"pb\",\"network\":\"" + net + "\","
                    + "\"binding\":{\"type\":\"netns\",\"target\":\"ns-pb\"}}");
            assertError(gw, 400, "GATEWAY_REQUIRED");
            JsonObject down = expect(200, "PATCH", "/ports/" + id(p), "{\"adminDown\":true,\"ip\":\"10.200.177.77\"}")
                    .getAsJsonObject();
            assertTrue(down.get("adminDown").getAsBoolean());
            assertEquals("10.200.177.77", down.get("ip").getAsString());
            expect(200, "PATCH", "/ports/" + id(l2), "{\"name\":\"l2-renamed\"}");
        } finally {
            for (JsonElement port : expect(200, "GET", "/ports?network=" + net, null).getAsJsonArray()) {
                expect(204, "DELETE", "/ports/" + id(port), null);
            }
            expect(204, "DELETE", "/networks/" + net, null);
        }
    }
}
