package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The policy bundles through the distribution: peering lifecycle, routes following peering state, explain verdicts
 * with the deciding element, and each policy bundle stopped and started while Netloom keeps serving.
 */
public class PolicyIT extends NetloomTestSupport {

    @Before
    public void ready() throws Exception {
        waitForRest();
        for (String b : List.of("io.netloom.routing", "io.netloom.firewall", "io.netloom.peering",
                "io.netloom.topology", "io.netloom.explain")) {
            waitFor(b + " active", () -> bundle(b).getState() == Bundle.ACTIVE);
        }
    }

    private String net(String name, String cidr) throws Exception {
        return id(expect(201, "POST", "/networks", "{\"name\":\"" + name + "\",\"cidrs\":[\"" + cidr + "\"]}"));
    }

    private void subnet(String net, String name, String cidr) throws Exception {
        expect(201, "POST", "/networks/" + net + "/subnets", "{\"name\":\"" + name + "\",\"cidr\":\"" + cidr + "\"}");
    }

    private JsonObject port(String name, String net, String subnet, String groups) throws Exception {
        return expect(201, "POST", "/ports", "{\"name\":\"" + name + "\",\"network\":\"" + net + "\",\"subnet\":\""
                + subnet + "\"" + (groups == null ? "" : ",\"securityGroups\":" + groups) + "}").getAsJsonObject();
    }

    /** Derived state follows a write within moments (it is recomputed from the model's events): wait for it. */
    private void awaitRoutes(String net, Predicate<List<String>> condition) throws Exception {
        waitFor("routes of " + net, () -> {
            try {
                return condition.test(routes(net));
            } catch (Exception e) {
                return false;
            }
        });
    }

    private List<String> routes(String net) throws Exception {
        List<String> result = new ArrayList<>();
        for (JsonElement r : expect(200, "GET", "/networks/" + net + "/routes", null).getAsJsonArray()) {
            JsonObject o = r.getAsJsonObject();
            result.add(o.get("destination").getAsString() + " " + o.get("target").getAsString());
        }
        return result;
    }

    /** Asks explain and checks the verdict and that the deciding (last) hop is in {@code layer} naming element. */
    private JsonObject explain(String from, String to, String protocol, int port, String verdict, String layer,
            String element) throws Exception {
        String query = "/explain?from=" + from + "&to=" + to + "&protocol=" + protocol + (port > 0 ? "&port=" + port
                : "");
        JsonObject e = expect(200, "GET", query, null).getAsJsonObject();
        String label = query + " -> " + e;
        assertEquals(label, verdict, e.get("verdict").getAsString());
        var hops = e.getAsJsonArray("hops");
        JsonObject last = hops.get(hops.size() - 1).getAsJsonObject();
        assertEquals(label, layer, last.get("layer").getAsString());
        assertTrue(label, last.get("element").getAsString().contains(element));
        return e;
    }

    private static String cookieOf(JsonObject group, int rule) {
        return id(group) + "/" + id(group.getAsJsonArray("rules").get(rule));
    }

    @Test
    public void routesFollowPeeringStateAndExplainNamesWhatDecides() throws Exception {
        String a = net("pol-a", "10.230.0.0/16");
        subnet(a, "a1", "10.230.1.0/24");
        subnet(a, "a2", "10.230.2.0/24");
        String b = net("pol-b", "10.231.0.0/16");
        subnet(b, "b1", "10.231.1.0/24");
        String c = net("pol-c", "10.232.0.0/16");
        subnet(c, "c1", "10.232.1.0/24");
        JsonObject web = expect(201, "POST", "/security-groups", "{\"name\":\"pol-web\"}").getAsJsonObject();
        expect(201, "POST", "/security-groups/" + id(web) + "/rules", "{\"direction\":\"ingress\",\"protocol\":\"tcp\","
                + "\"ports\":\"80\",\"remoteCidr\":\"10.230.0.0/16\"}");
        web = expect(200, "GET", "/security-groups/" + id(web), null).getAsJsonObject();
        String pa1 = id(port("pa1", a, "a1", null));
        String pa1b = id(port("pa1b", a, "a1", null));
        String pa2 = id(port("pa2", a, "a2", null));
        JsonObject pb = port("pb", b, "b1", "[\"" + id(web) + "\"]");
        String pc = id(port("pc", c, "c1", null));

        assertEquals(List.of("10.230.0.0/16 local"), routes(a));
        waitFor("ports compiled by the firewall", () -> {
            try {
                return asAdmin("GET", "/explain?from=" + pa1 + "&to=" + pc, null).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        explain(pa1, pa1b, "icmp", 0, "ALLOW", "ingress-firewall", "/");
        explain(pa1, pa2, "icmp", 0, "ALLOW", "ingress-firewall", "/");
        explain(pa1, id(pb), "tcp", 80, "NO_ROUTE", "routing", "no-route");

        JsonObject ab = expect(201, "POST", "/peerings", "{\"name\":\"pol-ab\",\"network\":\"" + a
                + "\",\"peerNetwork\":\"" + b + "\"}").getAsJsonObject();
        assertEquals("a pending peering adds no route", List.of("10.230.0.0/16 local"), routes(a));
        explain(pa1, id(pb), "tcp", 80, "NO_ROUTE", "routing", "no-route");

        expect(200, "POST", "/peerings/" + id(ab) + "/accept", null);
        awaitRoutes(a, r -> r.contains("10.231.0.0/16 peering:" + id(ab)));
        awaitRoutes(b, r -> r.contains("10.230.0.0/16 peering:" + id(ab)));
        JsonObject allowed = explain(pa1, id(pb), "tcp", 80, "ALLOW", "ingress-firewall", cookieOf(web, 0));
        assertTrue(allowed.toString(), allowed.toString().contains("\"layer\":\"peering\""));
        explain(pa1, id(pb), "tcp", 81, "DENY", "ingress-firewall", "default-ingress-deny");
        // The shell takes options after the arguments too, as written in the API contract.
        String shell = executeCommand("vnet:explain pa1 " + id(pb) + " --protocol tcp --port 80", "netloom-viewer");
        assertTrue(shell, shell.contains("Verdict: ALLOW") && shell.contains(cookieOf(web, 0)));
        assertTrue(executeCommand("vnet:explain pa1 pb --protocol tcp --port 81", "netloom-admin")
                .contains("Verdict: DENY"));
        explain(id(pb), pa1, "icmp", 0, "DENY", "ingress-firewall", "default-ingress-deny");
        explain(pa1, pb.get("ip").getAsString(), "tcp", 80, "ALLOW", "ingress-firewall", cookieOf(web, 0));
        explain(pa1, "10.231.1.200", "tcp", 80, "NO_ROUTE", "destination", "10.231.1.200");

        String bc = id(expect(201, "POST", "/peerings", "{\"name\":\"pol-bc\",\"network\":\"" + b
                + "\",\"peerNetwork\":\"" + c + "\",\"autoAccept\":true}"));
        awaitRoutes(b, r -> r.contains("10.232.0.0/16 peering:" + bc));
        explain(pa1, pc, "icmp", 0, "NO_ROUTE", "routing", "no-route");
        explain(id(pb), pc, "icmp", 0, "DENY", "ingress-firewall", "default-ingress-deny");
        assertFalse("non-transitive", routes(a).stream().anyMatch(r -> r.startsWith("10.232.")));

        JsonObject noTls = expect(201, "POST", "/security-groups", "{\"name\":\"pol-no-tls\"}").getAsJsonObject();
        expect(201, "POST", "/security-groups/" + id(noTls) + "/rules", "{\"direction\":\"egress\",\"protocol\":"
                + "\"tcp\",\"ports\":\"443\",\"action\":\"deny\",\"priority\":10}");
        noTls = expect(200, "GET", "/security-groups/" + id(noTls), null).getAsJsonObject();
        expect(200, "PUT", "/ports/" + pa2 + "/security-groups", "[\"" + id(noTls) + "\"]");
        String denied = cookieOf(noTls, 0);
        waitFor("egress rule compiled", () -> {
            try {
                return asAdmin("GET", "/explain?from=" + pa2 + "&to=" + id(pb) + "&protocol=tcp&port=443", null)
                        .body().contains(denied);
            } catch (Exception e) {
                return false;
            }
        });
        explain(pa2, id(pb), "tcp", 443, "DENY", "egress-firewall", denied);

        expect(204, "DELETE", "/peerings/" + id(ab), null);
        awaitRoutes(a, r -> r.equals(List.of("10.230.0.0/16 local")));
        explain(pa1, id(pb), "tcp", 80, "NO_ROUTE", "routing", "no-route");
        expect(204, "DELETE", "/peerings/" + bc, null);
    }

    /**
     * Routes and explain read derived state, yet reflect every write acknowledged before them: no waiting between a
     * write and the read that depends on it, many times over.
     */
    @Test
    public void routesAndExplainReflectTheWriteJustAcknowledged() throws Exception {
        String n = net("ryw", "10.241.0.0/16");
        subnet(n, "s", "10.241.0.0/20");
        String first = id(port("ryw-0", n, "s", null));
        // A bulk create keeps the policy bundles busy for a while after the write is acknowledged.
        for (int round = 0; round < 3; round++) {
            StringBuilder bulk = new StringBuilder("[");
            for (int i = 0; i < 200; i++) {
                bulk.append(i == 0 ? "" : ",").append("{\"name\":\"ryw-").append(round).append('-').append(i)
                        .append("\",\"network\":\"").append(n).append("\"}");
            }
            JsonArray created = expect(201, "POST", "/ports", bulk.append(']').toString()).getAsJsonArray();
            explain(id(created.get(created.size() - 1)), first, "tcp", 22, "ALLOW", "ingress-firewall", "/rule-");
        }
        for (int i = 1; i <= 30; i++) {
            String created = id(port("ryw-" + i, n, "s", null));
            explain(created, first, "tcp", 22, "ALLOW", "ingress-firewall", "/rule-");
            String prefix = "172.16." + i + ".0/24";
            expect(201, "POST", "/networks/" + n + "/static-routes", "{\"destination\":\"" + prefix
                    + "\",\"nextHop\":\"10.241.15.250\"}");
            assertTrue(prefix + " routed at once", routes(n).contains(prefix + " 10.241.15.250"));
        }
    }

    @Test
    public void staticRoutesJoinTheRouteTable() throws Exception {
        String n = net("static-n", "10.238.0.0/16");
        subnet(n, "s", "10.238.1.0/24");
        JsonObject route = expect(201, "POST", "/networks/" + n + "/static-routes",
                "{\"destination\":\"192.168.0.0/16\",\"nextHop\":\"10.238.1.10\"}").getAsJsonObject();
        awaitRoutes(n, r -> r.contains("192.168.0.0/16 10.238.1.10"));
        assertError(asAdmin("POST", "/networks/" + n + "/static-routes",
                "{\"destination\":\"172.16.0.0/12\",\"nextHop\":\"10.239.0.1\"}"), 400, "NEXT_HOP_OUTSIDE_SUBNETS");
        assertError(asAdmin("DELETE", "/subnets/" + id(expect(200, "GET", "/networks/" + n + "/subnets", null)
                .getAsJsonArray().get(0)), null), 409, "IN_USE");
        String shell = executeCommand("vnet:route-add --destination 172.16.0.0/12 --next-hop 10.238.1.11 static-n",
                "netloom-admin");
        assertTrue(shell, shell.contains("172.16.0.0/12 via 10.238.1.11"));
        awaitRoutes(n, r -> r.contains("172.16.0.0/12 10.238.1.11"));
        assertTrue(executeCommand("vnet:route-list static-n", "netloom-admin").contains("static"));
        assertEquals(expect(200, "GET", "/networks/" + n + "/routes", null),
                JsonParser.parseString(executeCommand("vnet:route-list static-n --json", "netloom-admin")));
        expect(204, "DELETE", "/networks/" + n + "/static-routes/" + id(route), null);
        awaitRoutes(n, r -> !r.contains("192.168.0.0/16 10.238.1.10"));
        expect(204, "DELETE", "/networks/" + n, null);
    }

    @Test
    public void peeringLifecycleFromTheShellAndExpiry() throws Exception {
        String x = net("life-x", "10.233.0.0/16");
        String y = net("life-y", "10.234.0.0/16");
        String created = executeCommand("vnet:peering-create --json life-xy " + x + " " + y, "netloom-admin");
        String peering = id(JsonParser.parseString(created));
        assertTrue(executeCommand("vnet:peering-reject " + peering, "netloom-admin").contains("REJECTED"));
        assertTrue(executeCommand("vnet:route-list life-x", "netloom-admin").contains("10.233.0.0/16"));
        assertFalse(executeCommand("vnet:route-list life-x", "netloom-admin").contains("10.234.0.0/16"));
        executeCommand("vnet:peering-delete " + peering, "netloom-admin");

        ConfigurationAdmin cm = assertServiceAvailable(ConfigurationAdmin.class);
        Configuration config = cm.getConfiguration("io.netloom.peering", null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("expiry", "PT2S");
        config.update(props);
        try {
            String pending = id(expect(201, "POST", "/peerings", "{\"name\":\"life-exp\",\"network\":\"" + x
                    + "\",\"peerNetwork\":\"" + y + "\"}"));
            waitFor("peering to expire", () -> {
                try {
                    return asAdmin("GET", "/peerings/" + pending, null).json().getAsJsonObject().get("state")
                            .getAsString().equals("EXPIRED");
                } catch (Exception e) {
                    return false;
                }
            });
            assertError(asAdmin("POST", "/peerings/" + pending + "/accept", null), 409, "INVALID_STATE");
            expect(204, "DELETE", "/peerings/" + pending, null);
        } finally {
            config.delete();
        }
    }

    @Test
    public void eachPolicyBundleStopsAndStartsWhileNetloomKeepsServing() throws Exception {
        String n = net("hot-a", "10.235.0.0/16");
        subnet(n, "s", "10.235.1.0/24");
        String p1 = id(port("hot-p1", n, "s", null));
        String p2 = id(port("hot-p2", n, "s", null));
        waitFor("ports compiled by the firewall", () -> {
            try {
                return asAdmin("GET", "/explain?from=" + p1 + "&to=" + p2, null).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        // Requests go on throughout: reads of every kind and writes, none of which may fail with a 5xx.
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger served = new AtomicInteger();
        Thread load = new Thread(() -> {
            int k = 0;
            while (running.get()) {
                try {
                    for (String path : List.of("/networks", "/ports", "/peerings", "/security-groups",
                            "/networks/" + n + "/routes", "/topology", "/explain?from=" + p1 + "&to=" + p2)) {
                        int status = asAdmin("GET", path, null).status();
                        if (status != 200 && status != 503 && status != 409) {
                            failures.add("GET " + path + " -> " + status);
                        }
                        served.incrementAndGet();
                    }
                    Reply created = asAdmin("POST", "/networks", "{\"name\":\"hot-load-" + k + "\",\"cidrs\":"
                            + "[\"10.237." + (k % 250) + ".0/24\"]}");
                    if (created.status() != 201) {
                        failures.add("POST /networks -> " + created.status() + " " + created.body());
                    } else {
                        asAdmin("DELETE", "/networks/" + id(created.json()), null);
                    }
                    k++;
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "policy-it-load");
        load.start();
        int i = 0;
        try {
            for (String symbolicName : List.of("io.netloom.routing", "io.netloom.firewall", "io.netloom.peering",
                    "io.netloom.topology", "io.netloom.explain")) {
                Bundle policy = bundle(symbolicName);
                policy.stop();
                // Writes go on while the policy bundle is away.
                String during = net("hot-during-" + i, "10.236." + i + ".0/24");
                expect(200, "GET", "/networks/" + during, null);
                if (symbolicName.equals("io.netloom.routing")) {
                    assertError(asAdmin("GET", "/networks/" + n + "/routes", null), 503, "SERVICE_UNAVAILABLE");
                }
                if (symbolicName.equals("io.netloom.topology")) {
                    assertError(asAdmin("GET", "/topology", null), 503, "SERVICE_UNAVAILABLE");
                }
                policy.start();
                waitFor(symbolicName + " serving again", () -> {
                    try {
                        return asAdmin("GET", "/networks/" + during + "/routes", null).status() == 200
                                && asAdmin("GET", "/topology", null).status() == 200
                                && asAdmin("GET", "/explain?from=" + p1 + "&to=" + p2, null).status() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
                // Derived state was recomputed: the network written while the bundle was away has its route.
                String expected = "10.236." + i + ".0/24 local";
                awaitRoutes(during, r -> r.equals(List.of(expected)));
                explain(p1, p2, "icmp", 0, "ALLOW", "ingress-firewall", "/");
                assertTrue(expect(200, "GET", "/topology", null).toString().contains(during));
                i++;
            }
        } finally {
            running.set(false);
            load.join(30_000);
        }
        assertEquals(String.join("\n", failures), List.of(), failures);
        assertTrue("requests were served during the restarts", served.get() > 20);
    }
}
