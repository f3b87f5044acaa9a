package io.netloom.itests.openstack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.itests.openstack.OpenStackSetup.Account;
import io.netloom.itests.openstack.OpenStackSetup.Run;

/**
 * The {@code openstack} command-line client (python3-openstackclient) against the real distribution: a tenant
 * creates, lists, shows and deletes a network, subnet, port, security group and rule through Keystone and Neutron;
 * another tenant sees none of them; Netloom's own REST API sees the same objects.
 */
public class OpenStackCliIT {

    private static final String OPENSTACK = "/usr/bin/openstack";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static OpenStackSetup os;
    private static Path dir;
    private static Path clouds;

    @BeforeClass
    public static void start() throws Exception {
        os = OpenStackSetup.start(OPENSTACK);
        dir = Files.createTempDirectory(os.netloom.home(), "cli-");
        clouds = os.cloudsYaml(dir);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (os != null) {
            os.netloom.close();
        }
    }

    private static Run cli(Account who, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENSTACK, "--os-cloud", who.user()));
        command.addAll(List.of(args));
        return OpenStackSetup.run(command, dir, Map.of("OS_CLIENT_CONFIG_FILE", clouds.toString()), COMMAND_TIMEOUT);
    }

    /** Runs a command that must succeed with {@code -f json} and returns its output. */
    private static JsonElement json(Account who, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", "json"));
        Run run = cli(who, all.toArray(new String[0]));
        assertEquals("openstack " + all + " failed: " + run, 0, run.exit());
        return JsonParser.parseString(run.out());
    }

    private static List<String> names(JsonElement list) {
        List<String> names = new ArrayList<>();
        for (JsonElement e : (JsonArray) list) {
            names.add(e.getAsJsonObject().get("Name").getAsString());
        }
        return names;
    }

    @Test
    public void aTenantManagesItsObjectsWithTheClientAndAnotherTenantSeesNoneOfThem() throws Exception {
        Account alice = os.alice;
        Account bob = os.bob;
        JsonObject net = json(alice, "network", "create", "cli-net").getAsJsonObject();
        String netId = net.get("id").getAsString();
        assertTrue(netId, netId.matches(UUID));
        assertEquals("ACTIVE", net.get("status").getAsString());

        JsonObject subnet = json(alice, "subnet", "create", "--network", "cli-net", "--subnet-range",
                "10.31.1.0/24", "cli-sub").getAsJsonObject();
        assertEquals("10.31.1.0/24", subnet.get("cidr").getAsString());
        assertEquals("10.31.1.1", subnet.get("gateway_ip").getAsString());
        assertEquals(netId, subnet.get("network_id").getAsString());

        JsonObject group = json(alice, "security", "group", "create", "cli-web").getAsJsonObject();
        String groupId = group.get("id").getAsString();
        JsonObject rule = json(alice, "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port",
                "80", "--remote-ip", "10.0.0.0/8", "cli-web").getAsJsonObject();
        assertEquals(80, rule.get("port_range_min").getAsInt());
        assertEquals("10.0.0.0/8", rule.get("remote_ip_prefix").getAsString());
        assertEquals(groupId, rule.get("security_group_id").getAsString());

        JsonObject port = json(alice, "port", "create", "--network", "cli-net", "--security-group", "cli-web",
                "cli-port").getAsJsonObject();
        String portId = port.get("id").getAsString();
        assertTrue(port.toString(), port.get("fixed_ips").toString().contains("10.31.1."));
        assertEquals(List.of(groupId), List.of(port.get("security_group_ids").getAsJsonArray().get(0)
                .getAsString()));

        // A port without an address, and a subnet without a gateway, with a pool and a DNS server (the README's).
        JsonObject l2 = json(alice, "port", "create", "--network", "cli-net", "--no-fixed-ip", "cli-l2")
                .getAsJsonObject();
        assertFalse(l2.toString(), l2.get("fixed_ips").toString().contains("ip_address"));
        JsonObject quiet = json(alice, "subnet", "create", "--network", "cli-net", "--subnet-range", "10.31.2.0/24",
                "--gateway", "none", "--allocation-pool", "start=10.31.2.10,end=10.31.2.99", "--dns-nameserver",
                "10.31.2.53", "cli-quiet").getAsJsonObject();
        assertTrue(quiet.toString(), quiet.get("gateway_ip").isJsonNull()
                || quiet.get("gateway_ip").getAsString().isEmpty());
        assertTrue(quiet.toString(), quiet.get("allocation_pools").toString().contains("10.31.2.10")
                && quiet.get("allocation_pools").toString().contains("10.31.2.99"));
        assertTrue(quiet.toString(), quiet.get("dns_nameservers").toString().contains("10.31.2.53"));
        JsonObject pooled = json(alice, "port", "create", "--network", "cli-net", "--fixed-ip", "subnet=cli-quiet",
                "cli-pooled").getAsJsonObject();
        assertTrue(pooled.toString(), pooled.get("fixed_ips").toString().contains("10.31.2.10"));
        assertEquals(0, cli(alice, "port", "delete", "cli-l2", "cli-pooled").exit());
        assertEquals(0, cli(alice, "subnet", "delete", "cli-quiet").exit());

        assertTrue(names(json(alice, "network", "list")).contains("cli-net"));
        assertTrue(names(json(alice, "subnet", "list")).contains("cli-sub"));
        assertTrue(names(json(alice, "port", "list")).contains("cli-port"));
        List<String> groups = names(json(alice, "security", "group", "list"));
        assertTrue(groups.toString(), groups.contains("cli-web") && groups.contains("default"));
        assertEquals(1, ((JsonArray) json(alice, "security", "group", "rule", "list", "cli-web")).size());
        assertEquals(netId, json(alice, "network", "show", "cli-net").getAsJsonObject().get("id").getAsString());
        assertEquals(portId, json(alice, "port", "show", portId).getAsJsonObject().get("id").getAsString());

        // One model: Netloom's own API sees the network the client made, grown to hold its subnet.
        String networks = os.netloom.rest("GET", "/networks", null).body();
        assertTrue(networks, networks.contains("\"cli-net\"") && networks.contains("10.31.1.0/24"));

        // Another tenant: 404 by id and by name, and nothing in its lists.
        for (String[] show : List.of(new String[] {"network", "show", netId}, new String[] {"network", "show",
                "cli-net"}, new String[] {"subnet", "show", subnet.get("id").getAsString()},
                new String[] {"port", "show", portId}, new String[] {"security", "group", "show", groupId})) {
            Run run = cli(bob, show);
            assertNotEquals(run.toString(), 0, run.exit());
            assertTrue(run.toString(), run.err().contains("No ") && run.err().contains("found"));
        }
        assertFalse(names(json(bob, "network", "list")).contains("cli-net"));
        assertFalse(names(json(bob, "port", "list")).contains("cli-port"));
        assertFalse(names(json(bob, "security", "group", "list")).contains("cli-web"));
        Run delete = cli(bob, "network", "delete", netId);
        assertNotEquals(delete.toString(), 0, delete.exit());

        // A network with a port cannot go; then everything is deleted in order.
        Run busy = cli(alice, "network", "delete", "cli-net");
        assertNotEquals(busy.toString(), 0, busy.exit());
        assertEquals(0, cli(alice, "security", "group", "rule", "delete", rule.get("id").getAsString()).exit());
        assertEquals(0, cli(alice, "port", "delete", "cli-port").exit());
        assertEquals(0, cli(alice, "security", "group", "delete", "cli-web").exit());
        assertEquals(0, cli(alice, "subnet", "delete", "cli-sub").exit());
        assertEquals(0, cli(alice, "network", "delete", "cli-net").exit());
        assertFalse(names(json(alice, "network", "list")).contains("cli-net"));
        assertTrue(((JsonArray) json(alice, "port", "list")).isEmpty());
    }

    @Test
    public void keystoneRefusesAWrongPasswordWith401AndAnErrorBody() throws Exception {
        String body = authBody(os.alice.user(), "wrong", OpenStackSetup.ALPHA);
        HttpResponse<String> refused = post(body);
        assertEquals(401, refused.statusCode());
        assertEquals(401, JsonParser.parseString(refused.body()).getAsJsonObject().getAsJsonObject("error")
                .get("code").getAsInt());
        assertTrue(refused.headers().firstValue("X-Subject-Token").isEmpty());

        HttpResponse<String> issued = post(authBody(os.alice.user(), os.alice.password(), OpenStackSetup.ALPHA));
        assertEquals(201, issued.statusCode());
        assertTrue(issued.headers().firstValue("X-Subject-Token").isPresent());
        JsonObject token = JsonParser.parseString(issued.body()).getAsJsonObject().getAsJsonObject("token");
        assertEquals(OpenStackSetup.ALPHA, token.getAsJsonObject("project").get("name").getAsString());
        assertTrue(token.get("expires_at").getAsString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        assertTrue(token.get("catalog").toString().contains("/networking\""));

        // A project the user has no role in is refused.
        HttpResponse<String> otherProject = post(authBody(os.alice.user(), os.alice.password(), OpenStackSetup.BETA));
        assertEquals(401, otherProject.statusCode());
    }

    @Test
    public void keystoneLoginsAreThrottledLikeTheOtherLogins() throws Exception {
        String wrong = authBody(os.carol.user(), "wrong", OpenStackSetup.ALPHA);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, post(wrong).statusCode());
        }
        // Locked out at this address: the right password is refused too, and says why.
        HttpResponse<String> locked = post(authBody(os.carol.user(), os.carol.password(), OpenStackSetup.ALPHA));
        assertEquals(401, locked.statusCode());
        assertTrue(locked.body(), locked.body().contains("Too many failed logins"));
    }

    private static String authBody(String user, String password, String project) {
        return "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"" + user
                + "\",\"domain\":{\"name\":\"Default\"},\"password\":\"" + password + "\"}}},\"scope\":{\"project\":"
                + "{\"name\":\"" + project + "\",\"domain\":{\"name\":\"Default\"}}}}}";
    }

    @Test
    public void peeringsAreTheVendorExtensionNetloomPeering() throws Exception {
        String auth = authBody(os.alice.user(), os.alice.password(), OpenStackSetup.ALPHA);
        String token = post(auth).headers().firstValue("X-Subject-Token").orElseThrow();
        assertTrue(neutron("GET", "/extensions/netloom-peering", null, token).body().contains("netloom-peering"));
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> net = neutron("POST", "/networks", "{\"network\":{\"name\":\"peer-" + i + "\"}}",
                    token);
            assertEquals(net.body(), 201, net.statusCode());
            ids[i] = JsonParser.parseString(net.body()).getAsJsonObject().getAsJsonObject("network").get("id")
                    .getAsString();
            HttpResponse<String> subnet = neutron("POST", "/subnets", "{\"subnet\":{\"network_id\":\"" + ids[i]
                    + "\",\"cidr\":\"10.4" + i + ".0.0/24\",\"ip_version\":4}}", token);
            assertEquals(subnet.body(), 201, subnet.statusCode());
        }
        HttpResponse<String> peering = neutron("POST", "/netloom/peerings", "{\"peering\":{\"name\":\"p01\","
                + "\"network_id\":\"" + ids[0] + "\",\"peer_network_id\":\"" + ids[1] + "\",\"auto_accept\":true}}",
                token);
        assertEquals(peering.body(), 201, peering.statusCode());
        JsonObject p = JsonParser.parseString(peering.body()).getAsJsonObject().getAsJsonObject("peering");
        assertEquals("ACTIVE", p.get("state").getAsString());
        assertEquals("[\"10.41.0.0/24\"]", p.get("peer_cidrs").toString());
        String id = p.get("id").getAsString();
        assertEquals(200, neutron("GET", "/netloom/peerings/" + id, null, token).statusCode());
        assertEquals(404, neutron("GET", "/netloom/peerings/p01", null, token).statusCode());
        assertTrue(os.netloom.rest("GET", "/peerings", null).body().contains("\"p01\""));
        assertEquals(204, neutron("DELETE", "/netloom/peerings/" + id, null, token).statusCode());
        for (String net : ids) {
            assertEquals(204, neutron("DELETE", "/networks/" + net, null, token).statusCode());
        }
    }

    private static HttpResponse<String> neutron(String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + os.netloom.httpPort()
                + "/networking/v2.0" + path)).header("X-Auth-Token", token).timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(os.identityUrl() + "/v3/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
