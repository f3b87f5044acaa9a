package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Peering as the clouds do it, through the distribution: the accepter sees the request, address spaces change by
 * PATCH and are routed over a peering once it is synced (or at once with autoSync), names, descriptions and flags
 * change, per-tenant quotas, and paged lists; the same through the shell.
 */
public class PeeringSyncIT extends NetloomTestSupport {

    private static final String ADMIN = "netloom-admin";

    @Before
    public void ready() throws Exception {
        waitForRest();
    }

    private JsonObject as(String user, int status, String method, String path, String body) throws Exception {
        Reply reply = rest(method, path, user, USER_PASSWORD, body);
        assertEquals(user + " " + method + " " + path + " -> " + reply.body(), status, reply.status());
        return reply.body().isEmpty() ? null : reply.json().getAsJsonObject();
    }

    private static List<String> strings(JsonObject object, String field) {
        List<String> values = new ArrayList<>();
        if (object.has(field)) {
            object.getAsJsonArray(field).forEach(e -> values.add(e.getAsString()));
        }
        return values;
    }

    private boolean routes(String user, String network, String destination) throws Exception {
        Reply reply = rest("GET", "/networks/" + network + "/routes", user, USER_PASSWORD, null);
        assertEquals(reply.body(), 200, reply.status());
        for (JsonElement route : reply.json().getAsJsonArray()) {
            if (route.getAsJsonObject().get("destination").getAsString().equals(destination)) {
                return true;
            }
        }
        return false;
    }

    /** Alice's network requests a peering with Bob's, by id. */
    private String[] requested(String prefix, String aliceCidr, String bobCidr) throws Exception {
        String mine = id(as(ALICE, 201, "POST", "/networks", "{\"name\":\"" + prefix + "-a\",\"cidrs\":[\"" + aliceCidr
                + "\"]}"));
        String theirs = id(as(BOB, 201, "POST", "/networks", "{\"name\":\"" + prefix + "-b\",\"cidrs\":[\"" + bobCidr
                + "\"]}"));
        String peering = id(as(ALICE, 201, "POST", "/peerings", "{\"name\":\"" + prefix + "-p\",\"network\":\"" + mine
                + "\",\"peerNetwork\":\"" + theirs + "\"}"));
        return new String[] {mine, theirs, peering};
    }

    @Test
    public void theAccepterReadsThePendingRequestWithTheRequestersAddressSpaceAndTenant() throws Exception {
        String[] ids = requested("see", "10.220.0.0/16", "10.221.0.0/16");
        Reply pending = rest("GET", "/peerings/" + ids[2], BOB, USER_PASSWORD, null);
        assertEquals(pending.body(), 200, pending.status());
        JsonObject p = pending.json().getAsJsonObject();
        assertEquals("PENDING_ACCEPTANCE", p.get("state").getAsString());
        assertEquals("alice", p.get("tenant").getAsString());
        assertEquals(List.of("10.220.0.0/16"), strings(p, "networkCidrs"));
        assertFalse("the requester's network name stays unknown to the accepter", pending.body().contains("see-a"));
        assertError(rest("GET", "/networks/" + ids[0], BOB, USER_PASSWORD, null), 404, "NOT_FOUND");
        assertTrue(strings(p, "peerCidrs").isEmpty());

        JsonObject before = as(ALICE, 200, "GET", "/peerings/" + ids[2], null);
        assertFalse("nothing of the accepter before it accepts", before.has("peerTenant"));
        as(BOB, 200, "POST", "/peerings/" + ids[2] + "/accept", null);
        JsonObject active = as(ALICE, 200, "GET", "/peerings/" + ids[2], null);
        assertEquals("bob", active.get("peerTenant").getAsString());
        assertEquals(List.of("10.221.0.0/16"), strings(active, "peerCidrs"));
        assertEquals("IN_SYNC", active.get("syncState").getAsString());
    }

    @Test
    public void anAddedPrefixIsRoutedOverThePeeringOnlyOnceItIsSynced() throws Exception {
        String[] ids = requested("sync", "10.222.0.0/16", "10.223.0.0/16");
        as(BOB, 200, "POST", "/peerings/" + ids[2] + "/accept?wait=10s", null);
        assertTrue(routes(BOB, ids[1], "10.222.0.0/16"));

        long revision = Long.parseLong(rest("GET", "/networks/" + ids[0], ALICE, USER_PASSWORD, null)
                .header("Netloom-Revision"));
        String patch = "{\"cidrs\":[\"10.222.0.0/16\",\"10.224.0.0/16\"],\"description\":\"grown\"}";
        Reply grown = rest("PATCH", "/networks/" + ids[0] + "?wait=10s", ALICE, USER_PASSWORD, patch,
                "application/merge-patch+json", "grow-1");
        assertEquals(grown.body(), 200, grown.status());
        assertEquals("one PATCH is one revision", revision + 1, Long.parseLong(grown.header("Netloom-Revision")));
        assertEquals(List.of("10.222.0.0/16", "10.224.0.0/16"), strings(grown.json().getAsJsonObject(), "cidrs"));
        Reply replayed = rest("PATCH", "/networks/" + ids[0], ALICE, USER_PASSWORD, patch, "application/json",
                "grow-1");
        assertEquals(grown.header("Netloom-Revision"), replayed.header("Netloom-Revision"));
        JsonObject audited = expect(200, "GET", "/audit?limit=1", null).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("network.update", audited.get("action").getAsString());

        assertEquals("LOCAL_NOT_IN_SYNC", as(ALICE, 200, "GET", "/peerings/" + ids[2], null).get("syncState")
                .getAsString());
        assertEquals("REMOTE_NOT_IN_SYNC", as(BOB, 200, "GET", "/peerings/" + ids[2], null).get("syncState")
                .getAsString());
        assertFalse("not routed before the sync", routes(BOB, ids[1], "10.224.0.0/16"));
        as(BOB, 201, "POST", "/networks/" + ids[1] + "/subnets", "{\"name\":\"bs\",\"cidr\":\"10.223.1.0/24\"}");
        String port = id(as(BOB, 201, "POST", "/ports", "{\"name\":\"bp\",\"network\":\"" + ids[1] + "\"}"));
        JsonObject explained = as(BOB, 200, "GET", "/explain?from=" + port + "&to=10.224.0.5&protocol=tcp&port=80",
                null);
        assertEquals(explained.toString(), "NO_ROUTE", explained.get("verdict").getAsString());
        assertTrue("explain says the peering is not in sync: " + explained, explained.toString()
                .contains("not in sync"));
        assertFalse("explain does not name the other tenant's network", explained.toString().contains("sync-a"));

        JsonObject synced = as(BOB, 200, "POST", "/peerings/" + ids[2] + "/sync?wait=10s", null);
        assertEquals("IN_SYNC", synced.get("syncState").getAsString());
        assertEquals(List.of("10.222.0.0/16", "10.224.0.0/16"), strings(synced, "networkCidrs"));
        assertTrue("routed once synced", routes(BOB, ids[1], "10.224.0.0/16"));
        // The address has no port, so explain ends at the destination; but the traffic now crosses the peering.
        boolean crosses = false;
        for (JsonElement hop : as(BOB, 200, "GET", "/explain?from=" + port + "&to=10.224.0.5&protocol=tcp&port=80",
                null).getAsJsonArray("hops")) {
            JsonObject h = hop.getAsJsonObject();
            crosses |= h.get("layer").getAsString().equals("peering") && h.get("decision").getAsString().equals("PASS");
        }
        assertTrue("explain crosses the synced peering", crosses);

        assertError(rest("PATCH", "/networks/" + ids[0], ALICE, USER_PASSWORD, "{\"cidrs\":[\"10.222.0.0/16\"]}"),
                409, "CIDR_IN_USE");
        assertError(rest("PATCH", "/networks/" + ids[0], ALICE, USER_PASSWORD, "{\"cidrs\":[\"10.222.0.0/16\","
                + "\"10.224.0.0/16\",\"10.223.128.0/17\"]}"), 409, "OVERLAPPING_CIDRS");
        assertError(rest("PATCH", "/networks/" + ids[0], ALICE, USER_PASSWORD, "{\"driver\":\"ovs\"}"), 400,
                "IMMUTABLE_FIELD");
        assertError(rest("PATCH", "/networks/" + ids[0], ALICE, USER_PASSWORD, "{\"name\":null}"), 400, "REQUIRED");
        assertError(rest("PATCH", "/networks/" + ids[0], BOB, USER_PASSWORD, "{\"name\":\"x\"}"), 404, "NOT_FOUND");

        JsonObject auto = as(BOB, 200, "PATCH", "/peerings/" + ids[2], "{\"autoSync\":true}");
        assertTrue(auto.get("autoSync").getAsBoolean());
        as(ALICE, 200, "PATCH", "/networks/" + ids[0] + "?wait=10s", "{\"cidrs\":[\"10.222.0.0/16\","
                + "\"10.224.0.0/16\",\"10.225.0.0/16\"]}");
        assertEquals("IN_SYNC", as(BOB, 200, "GET", "/peerings/" + ids[2], null).get("syncState").getAsString());
        waitFor("the auto-synced prefix routed on the peer side", () -> {
            try {
                return routes(BOB, ids[1], "10.225.0.0/16");
            } catch (Exception e) {
                return false;
            }
        });

        JsonObject off = as(ALICE, 200, "PATCH", "/peerings/" + ids[2] + "?wait=10s",
                "{\"allowVirtualNetworkAccess\":false,\"allowForwardedTraffic\":true}");
        assertFalse(off.get("allowVirtualNetworkAccess").getAsBoolean());
        assertTrue(off.get("allowForwardedTraffic").getAsBoolean());
        waitFor("no peering route without virtual network access", () -> {
            try {
                return !routes(BOB, ids[1], "10.222.0.0/16");
            } catch (Exception e) {
                return false;
            }
        });
        assertError(rest("PATCH", "/peerings/" + ids[2], ALICE, USER_PASSWORD, "{\"peerNetwork\":\"x\"}"), 400,
                "IMMUTABLE_FIELD");
    }

    @Test
    public void subnetsAndGroupsAreRenamed() throws Exception {
        String net = id(as(ALICE, 201, "POST", "/networks", "{\"name\":\"ren\",\"cidrs\":[\"10.226.0.0/16\"]}"));
        String subnet = id(as(ALICE, 201, "POST", "/networks/" + net + "/subnets",
                "{\"name\":\"s\",\"cidr\":\"10.226.1.0/24\"}"));
        assertEquals("front", as(ALICE, 200, "PATCH", "/subnets/" + subnet, "{\"name\":\"front\"}").get("name")
                .getAsString());
        assertError(rest("PATCH", "/subnets/" + subnet, ALICE, USER_PASSWORD, "{\"cidr\":\"10.226.2.0/24\"}"), 400,
                "IMMUTABLE_FIELD");
        String group = id(as(ALICE, 201, "POST", "/security-groups", "{\"name\":\"g\",\"description\":\"old\"}"));
        JsonObject changed = as(ALICE, 200, "PATCH", "/security-groups/" + group,
                "{\"name\":\"web\",\"description\":null}");
        assertEquals("web", changed.get("name").getAsString());
        assertEquals("", changed.get("description").getAsString());
    }

    @Test
    public void aTenantsQuotaRefusesBeyondItsLimitAndABulkCreateAsAWhole() throws Exception {
        JsonObject quotas = as(BOB, 200, "GET", "/quotas", null);
        assertEquals("bob", quotas.get("tenant").getAsString());
        assertEquals(5, quotas.getAsJsonArray("quotas").size());
        assertError(rest("GET", "/quotas?tenant=alice", BOB, USER_PASSWORD, null), 403, "FORBIDDEN");
        String net = id(as(BOB, 201, "POST", "/networks", "{\"name\":\"quota\",\"cidrs\":[\"10.227.0.0/16\"]}"));
        as(BOB, 201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"qs\",\"cidr\":\"10.227.1.0/24\"}");
        long networks = used(BOB, "networks");
        long ports = used(BOB, "ports");

        Path config = karafHome().resolve("etc/io.netloom.quota.cfg");
        String shipped = Files.readString(config);
        try {
            Files.writeString(config, shipped + "\ntenant.bob.networks = " + networks + "\ntenant.bob.ports = "
                    + (ports + 2) + "\n");
            waitFor("bob's quotas applied", () -> {
                try {
                    return limit(BOB, "ports") == ports + 2;
                } catch (Exception e) {
                    return false;
                }
            });
            Reply refused = rest("POST", "/networks", BOB, USER_PASSWORD, "{\"name\":\"quota2\",\"cidrs\":["
                    + "\"10.228.0.0/16\"]}");
            assertError(refused, 409, "QUOTA_EXCEEDED");
            assertEquals("networks", refused.json().getAsJsonObject().get("field").getAsString());
            as(ALICE, 201, "POST", "/networks", "{\"name\":\"quota-other\",\"cidrs\":[\"10.228.0.0/16\"]}");

            String port = "{\"name\":\"q%d\",\"network\":\"" + net + "\"}";
            Reply bulk = rest("POST", "/ports", BOB, USER_PASSWORD, "[" + String.format(port, 1) + ","
                    + String.format(port, 2) + "," + String.format(port, 3) + "]");
            assertError(bulk, 409, "QUOTA_EXCEEDED");
            assertEquals("none of the bulk is created", ports, used(BOB, "ports"));
            assertEquals(201, rest("POST", "/ports", BOB, USER_PASSWORD, "[" + String.format(port, 1) + ","
                    + String.format(port, 2) + "]").status());
        } finally {
            Files.writeString(config, shipped);
            waitFor("bob's quotas lifted", () -> {
                try {
                    return limit(BOB, "networks") == 0 && limit(BOB, "ports") == 0;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private JsonObject quota(String user, String resource) throws Exception {
        for (JsonElement q : as(user, 200, "GET", "/quotas", null).getAsJsonArray("quotas")) {
            if (q.getAsJsonObject().get("resource").getAsString().equals(resource)) {
                return q.getAsJsonObject();
            }
        }
        throw new AssertionError("No quota of " + resource);
    }

    private long used(String user, String resource) throws Exception {
        return quota(user, resource).get("used").getAsLong();
    }

    private long limit(String user, String resource) throws Exception {
        return quota(user, resource).get("limit").getAsLong();
    }

    @Test
    public void everyListIsPagedByLimitAndMarkerWithALinkToTheNextPage() throws Exception {
        for (int i = 0; i < 5; i++) {
            expect(201, "POST", "/security-groups", "{\"name\":\"page-" + i + "\"}");
        }
        List<String> all = new ArrayList<>();
        expect(200, "GET", "/security-groups", null).getAsJsonArray().forEach(g -> all.add(id(g)));
        List<String> paged = new ArrayList<>();
        String next = "/security-groups?limit=2";
        int pages = 0;
        while (next != null) {
            Reply page = asAdmin("GET", next, null);
            assertEquals(page.body(), 200, page.status());
            JsonArray items = page.json().getAsJsonArray();
            assertTrue(items.size() <= 2);
            items.forEach(g -> paged.add(id(g)));
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf("/netloom/api/v1") + "/netloom/api/v1".length(),
                    link.indexOf('>'));
            pages++;
        }
        assertEquals(all, paged);
        assertEquals((all.size() + 1) / 2, pages);
        assertNull(asAdmin("GET", "/security-groups?limit=1000", null).header("Link"));
        assertNull("a list asked for without limit or marker comes whole", asAdmin("GET", "/security-groups", null)
                .header("Link"));
        assertError(asAdmin("GET", "/networks?limit=0", null), 400, "INVALID_LIMIT");
        assertError(asAdmin("GET", "/networks?limit=1001", null), 400, "INVALID_LIMIT");
        assertError(asAdmin("GET", "/ports?marker=port-000000000000", null), 400, "INVALID_MARKER");
    }

    @Test
    public void theShellChangesAddressSpacesSyncsPeeringsPagesListsAndShowsQuotas() throws Exception {
        executeCommand("vnet:network-create --cidr 10.229.0.0/16 sh-a", ADMIN);
        executeCommand("vnet:network-create --cidr 10.230.0.0/16 sh-b", ADMIN);
        executeCommand("vnet:peering-create --auto-accept sh-p sh-a sh-b", ADMIN);
        String grown = executeCommand("vnet:network-update --add-cidr 10.231.0.0/16 --description wider sh-a",
                ADMIN);
        assertTrue(grown, grown.contains("10.231.0.0/16"));
        String shown = executeCommand("vnet:peering-show sh-p", ADMIN);
        assertTrue(shown, shown.contains("NOT_IN_SYNC"));
        String synced = executeCommand("vnet:peering-sync sh-p", ADMIN);
        assertTrue(synced, synced.contains("IN_SYNC") && !synced.contains("NOT_IN_SYNC"));
        String flags = executeCommand("vnet:peering-update --auto-sync true --allow-forwarded-traffic true sh-p",
                ADMIN);
        assertTrue(flags, flags.contains("on"));
        try {
            executeCommand("vnet:network-update --remove-cidr 10.231.0.0/16 sh-a", ADMIN);
            fail("a prefix routed by an active peering was removed");
        } catch (Exception expected) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = expected; t != null; t = t.getCause()) {
                chain.append(t).append('\n');
            }
            assertTrue(chain.toString(), chain.toString().contains("CIDR_IN_USE")
                    || chain.toString().contains("is routed by the active peering"));
        }
        String page = executeCommand("vnet:network-list --limit 1", ADMIN);
        assertTrue(page, page.contains("More: add --marker "));
        String quotas = executeCommand("vnet:quota-list", ADMIN);
        assertTrue(quotas, quotas.contains("networks") && quotas.contains("peerings"));
        executeCommand("vnet:sg-create shg", ADMIN);
        String renamed = executeCommand("vnet:sg-update --name shweb --description web shg", ADMIN);
        assertTrue(renamed, renamed.contains("shweb"));

        executeCommand("vnet:subnet-create --network sh-a --cidr 10.229.1.0/24 sha1", ADMIN);
        String appliance = executeCommand("vnet:port-create --network sh-a --allowed-address-pair 10.9.0.0/16 "
                + "--allowed-address-pair 10.8.0.1,02:AA:00:00:00:99 --json shfw", ADMIN);
        assertTrue(appliance, appliance.contains("\"ipAddress\": \"10.9.0.0/16\"")
                && appliance.contains("\"ipAddress\": \"10.8.0.1/32\"")
                && appliance.contains("\"macAddress\": \"02:aa:00:00:00:99\""));
        String cleared = executeCommand("vnet:port-update --no-address-pairs --name shfw2 --json shfw", ADMIN);
        assertTrue(cleared, cleared.contains("\"allowedAddressPairs\": []") && cleared.contains("shfw2"));
        executeCommand("vnet:port-delete shfw2", ADMIN);
    }
}
