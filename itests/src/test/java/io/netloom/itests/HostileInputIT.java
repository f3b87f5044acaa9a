package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Hostile and malformed input: every request gets a 4xx with the JSON error body, none a 5xx, and the model does
 * not change at all.
 */
public class HostileInputIT extends NetloomTestSupport {

    private String net;
    private String sg;

    /** One malformed request. */
    private record Case(String method, String path, String body, String contentType) {
    }

    @Before
    public void ready() throws Exception {
        waitForRest();
        if (net == null) {
            net = id(expect(201, "POST", "/networks", "{\"name\":\"hostile\",\"cidrs\":[\"10.220.0.0/16\"]}"));
            expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"s1\",\"cidr\":\"10.220.1.0/24\"}");
            sg = id(expect(201, "POST", "/security-groups", "{\"name\":\"hostile-sg\"}"));
            expect(201, "POST", "/ports", "{\"name\":\"taken\",\"network\":\"" + net + "\",\"ip\":\"10.220.1.9\"}");
        }
    }

    private static String q(String s) {
        return new JsonPrimitive(s).toString();
    }

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String json = "application/json";
        // Malformed JSON.
        for (String body : new String[] {"{", "}", "{\"name\":}", "{\"name\":\"a\",}", "[1,]", "{'name':'a'}",
                "{name:\"a\"}", "// c\n{}", "/* c */{}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}",
                "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\":nul}",
                "{} {}", "{\"name\":\"a\",\"cidrs\":[\"10.1.0.0/16\"]} trailing", "{\"a\":\"unterminated}",
                "{\"a\":\"tab\there\"}", "", "   ", "{\"name\":\"a\",\"name\":\"b\",\"cidrs\":[\"10.1.0.0/16\"]}",
                "\"just a string\"", "42", "null", "[]", "true"}) {
            cases.add(new Case("POST", "/networks", body, json));
        }
        cases.add(new Case("POST", "/networks", "[".repeat(10_000) + "]".repeat(10_000), json));
        cases.add(new Case("POST", "/networks", "{\"name\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}", json));
        // Bad CIDRs.
        for (String cidr : new String[] {"10.0.258.0/24", "10.1.0.0/33", "10.1.0.5/16", "010.1.0.0/16", "10.1/16",
                "10.1.0.0", "10.1.0.0/", "/16", "10.1.0.0/16 ", " 10.1.0.0/16", "10.1.0.0/-1", "localhost/8",
                "example.com/24", "0x0a.0.0.0/8", "1.2.3.4.5/32", "fd00::/129", "fd00::1/64", "gggg::/64",
                "10.1.0.0/16/8", "", "10.1.0.0\n/16", "1e3.0.0.0/8", "10.1.0.0/1 6", "10..1.0/16", "10.1.0.0/016"}) {
            cases.add(new Case("POST", "/networks", "{\"name\":\"n\",\"cidrs\":[" + q(cidr) + "]}", json));
        }
        cases.add(new Case("POST", "/networks", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\",\"10.1.2.0/24\"]}", json));
        // Names with shell metacharacters and other bad names.
        for (String name : new String[] {"a;rm -rf /", "$(id)", "`id`", "a|b", "a&b", "a>b", "../etc", "-rf", "a b",
                "", "x".repeat(64), "a\nb", "\u00f1ame", "a'b", "a\"b", ".hidden"}) {
            cases.add(new Case("POST", "/networks", "{\"name\":" + q(name) + ",\"cidrs\":[\"10.1.0.0/16\"]}", json));
        }
        // Unknown and read-only fields.
        for (String field : new String[] {"extra", "id", "createdAt", "status", "tenant", "Name", "cidr",
                "driver_type"}) {
            cases.add(new Case("POST", "/networks", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"]," + q(field)
                    + ":\"x\"}", json));
        }
        // Wrong types.
        for (String body : new String[] {"{\"name\":1,\"cidrs\":[\"10.1.0.0/16\"]}",
                "{\"name\":true,\"cidrs\":[\"10.1.0.0/16\"]}", "{\"name\":null,\"cidrs\":[\"10.1.0.0/16\"]}",
                "{\"name\":[],\"cidrs\":[\"10.1.0.0/16\"]}", "{\"name\":{},\"cidrs\":[\"10.1.0.0/16\"]}",
                "{\"name\":\"n\",\"cidrs\":\"10.1.0.0/16\"}", "{\"name\":\"n\",\"cidrs\":[1]}",
                "{\"name\":\"n\",\"cidrs\":{}}", "{\"name\":\"n\",\"cidrs\":[null]}", "{\"name\":\"n\",\"cidrs\":[]}",
                "{\"name\":\"n\"}", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"],\"driver\":5}",
                "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"],\"driver\":\"Bad Driver!\"}"}) {
            cases.add(new Case("POST", "/networks", body, json));
        }
        // Media types.
        cases.add(new Case("POST", "/networks", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"]}", null));
        cases.add(new Case("POST", "/networks", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"]}", "text/plain"));
        cases.add(new Case("POST", "/networks", "<network/>", "application/xml"));
        cases.add(new Case("POST", "/networks", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"]}",
                "application/json; charset=iso-8859-1"));
        // Rules.
        String rules = "/security-groups/" + sg + "/rules";
        for (String body : new String[] {"{\"direction\":\"ingress\",\"protocol\":\"icmp\",\"ports\":\"80\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"0\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"65536\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"80-70\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"http\"}",
                "{\"direction\":\"in\",\"protocol\":\"tcp\"}", "{\"direction\":\"ingress\",\"protocol\":\"sctp\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"priority\":0}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"priority\":5000}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"priority\":\"10\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"priority\":1.5}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"remoteCidr\":\"10.1.0.0/16\",\"remoteGroup\":\""
                        + sg + "\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"remoteGroup\":\"no-such-group\"}",
                "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"action\":\"drop\"}",
                "{\"direction\":\"ingress\"}", "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"id\":\"r\"}"}) {
            cases.add(new Case("POST", rules, body, json));
        }
        // Ports.
        for (String extra : new String[] {"\"ip\":\"10.221.0.5\"", "\"ip\":\"10.220.1.0\"", "\"ip\":\"10.220.1.255\"",
                "\"ip\":\"10.220.1.1\"", "\"ip\":\"10.220.1.9\"", "\"ip\":\"10.220.1.300\"",
                "\"mac\":\"01:00:5e:00:00:01\"", "\"mac\":\"02:00:00:00:00\"", "\"mac\":\"ff:ff:ff:ff:ff:ff\"",
                "\"binding\":{\"type\":\"tap\",\"target\":\"x\"}", "\"binding\":{\"type\":\"netns\",\"target\":\"a;b\"}",
                "\"binding\":{\"type\":\"netns\"}", "\"binding\":\"ns-a\"", "\"subnet\":\"no-such-subnet\"",
                "\"securityGroups\":[\"no-such-group\"]", "\"securityGroups\":\"" + sg + "\""}) {
            cases.add(new Case("POST", "/ports", "{\"name\":\"p\",\"network\":\"" + net + "\"," + extra + "}", json));
        }
        cases.add(new Case("POST", "/ports", "{\"name\":\"p\",\"network\":\"no-such-network\"}", json));
        // Bulk creation: all or none, so one bad element must leave every other one uncreated too.
        cases.add(new Case("POST", "/ports", "[]", json));
        cases.add(new Case("POST", "/ports", "[\"p\"]", json));
        cases.add(new Case("POST", "/ports", "[[{\"name\":\"p\",\"network\":\"" + net + "\"}]]", json));
        cases.add(new Case("POST", "/ports", "[{\"name\":\"p\",\"network\":\"" + net + "\"},{\"name\":\"q\","
                + "\"network\":\"" + net + "\",\"ip\":\"10.1.1.300\"}]", json));
        cases.add(new Case("POST", "/ports", "[{\"name\":\"p\",\"network\":\"" + net + "\"},{\"name\":\"q\","
                + "\"network\":\"no-such-network\"}]", json));
        // Subnets.
        String subnets = "/networks/" + net + "/subnets";
        for (String body : new String[] {"{\"name\":\"s\",\"cidr\":\"10.99.0.0/24\"}",
                "{\"name\":\"s\",\"cidr\":\"10.220.1.128/25\"}",
                "{\"name\":\"s\",\"cidr\":\"10.220.2.0/24\",\"gateway\":\"10.220.3.1\"}",
                "{\"name\":\"s\",\"cidr\":\"10.220.2.0/24\",\"gateway\":\"10.220.2.0\"}",
                "{\"name\":\"s\",\"cidr\":\"10.220.2.0/24\",\"gateway\":\"gw\"}"}) {
            cases.add(new Case("POST", subnets, body, json));
        }
        // Peerings.
        for (String body : new String[] {"{\"name\":\"p\",\"network\":\"" + net + "\",\"peerNetwork\":\"" + net + "\"}",
                "{\"name\":\"p\",\"network\":\"" + net + "\",\"peerNetwork\":\"no-such-network\"}",
                "{\"name\":\"p\",\"network\":\"" + net + "\",\"peerNetwork\":\"x\",\"autoAccept\":\"yes\"}",
                "{\"name\":\"p\",\"network\":\"" + net + "\"}"}) {
            cases.add(new Case("POST", "/peerings", body, json));
        }
        // Merge patches: immutable, read-only, unknown, removed-required and invalid fields; unknown objects.
        for (String body : new String[] {"{\"driver\":\"ovs\"}", "{\"id\":\"net-000000000000\"}",
                "{\"colour\":\"red\"}", "{\"name\":null}", "{\"cidrs\":null}", "{\"cidrs\":[]}",
                "{\"cidrs\":[\"10.1.0.0/33\"]}", "{\"cidrs\":[\"127.0.0.0/8\"]}", "{\"cidrs\":\"10.1.0.0/16\"}",
                "{\"name\":\"no spaces\"}", "{\"description\":\"a\\nb\"}", "[]",
                "{\"name\":\"ok\",\"driver\":\"ovs\"}"}) {
            cases.add(new Case("PATCH", "/networks/" + net, body, json));
        }
        cases.add(new Case("PATCH", "/networks/" + net, "{\"name\":\"ok\"}", "text/plain"));
        cases.add(new Case("PATCH", "/subnets/no-such-subnet", "{\"name\":\"x\"}", json));
        cases.add(new Case("PATCH", "/security-groups/no-such-group", "{\"name\":\"x\"}", json));
        cases.add(new Case("PATCH", "/peerings/no-such-peering", "{\"autoSync\":true}", json));
        cases.add(new Case("POST", "/peerings/no-such-peering/sync", null, null));
        cases.add(new Case("GET", "/networks?limit=0", null, null));
        cases.add(new Case("GET", "/networks?limit=many", null, null));
        cases.add(new Case("GET", "/ports?marker=no-such-port", null, null));
        // Unknown ids, methods and paths.
        cases.add(new Case("GET", "/networks/no-such-network", null, null));
        cases.add(new Case("DELETE", "/ports/no-such-port", null, null));
        cases.add(new Case("PATCH", "/networks", "{}", json));
        cases.add(new Case("GET", "/networks/" + net + "/nothing", null, null));
        cases.add(new Case("POST", "/networks?wait=forever", "{\"name\":\"n\",\"cidrs\":[\"10.1.0.0/16\"]}", json));
        cases.add(new Case("PUT", "/ports/no-such-port/security-groups", "[]", json));
        return cases;
    }

    private JsonObject snapshot() throws Exception {
        JsonObject all = new JsonObject();
        for (String path : new String[] {"/networks", "/ports", "/security-groups", "/peerings",
                "/networks/" + net + "/subnets", "/audit?limit=1"}) {
            all.add(path, withoutStatus(expect(200, "GET", path, null)));
        }
        return all;
    }

    @Test
    public void malformedRequestsGetA4xxWithTheErrorBodyAndChangeNothing() throws Exception {
        JsonObject before = snapshot();
        List<Case> cases = cases();
        assertTrue("at least 100 malformed requests, got " + cases.size(), cases.size() >= 100);
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Reply reply = rest(c.method(), c.path(), "admin", adminPassword(), c.body(), c.contentType(), null);
            String label = c.method() + " " + c.path() + " " + (c.body() == null ? ""
                    : c.body().substring(0, Math.min(80, c.body().length()))) + " -> " + reply.status();
            if (reply.status() < 400 || reply.status() >= 500) {
                failures.add(label + " " + reply.body());
                continue;
            }
            try {
                JsonObject error = JsonParser.parseString(reply.body()).getAsJsonObject();
                if (!error.has("code") || !error.has("message") || !reply.contentType().startsWith("application/json")) {
                    failures.add(label + " without the error body: " + reply.body());
                }
            } catch (RuntimeException e) {
                failures.add(label + " not JSON: " + reply.body());
            }
        }
        assertEquals(String.join("\n", failures), List.of(), failures);
        JsonElement after = snapshot();
        assertEquals("the model changed", before, after);
    }
}
