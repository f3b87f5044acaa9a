package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.ops4j.pax.exam.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile and malformed input: every request gets a 4xx with the JSON error body, none a 5xx, and the model does
 * not change at all; and the abuse suite: more than a thousand hostile requests of every kind, alongside the two
 * denial-of-service attacks (writes waiting for a driver that never comes, bodies sent a byte at a time), while a
 * viewer measures how quickly it is served.
 */
public class HostileInputIT extends NetloomTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HostileInputIT.class);
    /** Sends the hostile requests of the abuse suite. */
    private static final String MALLORY = "mallory";
    /** Holds writes waiting for a driver that never comes. */
    private static final String WAITER = "waiter";
    /** Sends bodies a byte at a time. */
    private static final String SLOWPOKE = "slowpoke";
    private static final String ABUSER_PASSWORD = "abuse-Pw-3";

    private static String net;
    private static String sg;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/users.properties", MALLORY, ABUSER_PASSWORD + ",netloom-admin"),
            editConfigurationFilePut("etc/users.properties", WAITER, ABUSER_PASSWORD + ",netloom-admin"),
            editConfigurationFilePut("etc/users.properties", SLOWPOKE, ABUSER_PASSWORD + ",netloom-admin"),
        };
    }

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
                "\"binding\":{\"type\":\"tap\",\"target\":\"x\"}",
                "\"binding\":{\"type\":\"netns\",\"target\":\"a;b\"}",
                "\"binding\":{\"type\":\"netns\"}", "\"binding\":\"ns-a\"", "\"subnet\":\"no-such-subnet\"",
                "\"securityGroups\":[\"no-such-group\"]", "\"securityGroups\":\"" + sg + "\""}) {
            cases.add(new Case("POST", "/ports", "{\"name\":\"p\",\"network\":\"" + net + "\"," + extra + "}", json));
        }
        cases.add(new Case("POST", "/ports", "{\"name\":\"p\",\"network\":\"no-such-network\"}", json));
        // Allowed address pairs, at creation and by PATCH.
        StringBuilder eleven = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("{\"ipAddress\":\"10.9.").append(i).append(".0/24\"}");
        }
        List<String> pairs = List.of("[{\"ipAddress\":\"0.0.0.0/0\"}]", "[{\"ipAddress\":\"10.0.0.0/7\"}]",
                "[{\"ipAddress\":\"10.1.1.1/16\"}]", "[{\"macAddress\":\"02:00:00:00:00:01\"}]",
                "[{\"ipAddress\":\"10.2.0.0/16\",\"macAddress\":\"ff:ff:ff:ff:ff:ff\"}]", "\"10.2.0.0/16\"",
                "[\"10.2.0.0/16\"]", "[{\"ipAddress\":\"10.2.0.0/16\",\"colour\":1}]", "[{\"ipAddress\":\"::/0\"}]",
                "[{\"ipAddress\":\"10.2.0.7\"},{\"ipAddress\":\"10.2.0.7/32\"}]", eleven.append("]").toString());
        for (String pair : pairs) {
            cases.add(new Case("POST", "/ports", "{\"name\":\"p\",\"network\":\"" + net
                    + "\",\"allowedAddressPairs\":" + pair + "}", json));
            cases.add(new Case("PATCH", "/ports/taken", "{\"allowedAddressPairs\":" + pair + "}", json));
        }
        // A port that is not bound may change its address, but only to a valid free one.
        for (String body : new String[] {"{\"ip\":\"10.220.1.300\"}", "{\"ip\":\"10.220.1.9\",\"subnet\":\"nope\"}",
                "{\"mac\":\"02:00:00:00:00:09\"}", "{\"network\":\"x\"}",
                "{\"allowedAddressPairs\":null}", "{\"colour\":1}", "{\"status\":\"ACTIVE\"}", "{\"name\":null}"}) {
            cases.add(new Case("PATCH", "/ports/taken", body, json));
        }
        cases.add(new Case("PATCH", "/ports/no-such-port", "{\"name\":\"x\"}", json));
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

    /** Sends one malformed request as this user; a problem with its answer is added to {@code failures}. */
    private void send(Case c, String user, String password, List<String> failures) throws Exception {
        Reply reply;
        try {
            reply = rest(c.method(), c.path(), user, password, c.body(), c.contentType(), null);
        } catch (IOException e) {
            // A body over the 1 MiB limit is refused (413) before it is read, and the connection closed: the client
            // may still be writing it then, and see its connection broken instead of the answer.
            if (c.body() != null && c.body().length() > 1024 * 1024) {
                return;
            }
            throw e;
        }
        String label = c.method() + " " + c.path() + " " + (c.body() == null ? ""
                : c.body().substring(0, Math.min(80, c.body().length()))) + " -> " + reply.status();
        if (reply.status() < 400 || reply.status() >= 500) {
            failures.add(label + " " + reply.body());
            return;
        }
        checkErrorBody(label, reply.contentType(), reply.body(), failures);
    }

    private static void checkErrorBody(String label, String contentType, String body, List<String> failures) {
        try {
            JsonObject error = JsonParser.parseString(body).getAsJsonObject();
            if (!error.has("code") || !error.has("message") || !contentType.startsWith("application/json")) {
                failures.add(label + " without the error body: " + body);
            }
        } catch (RuntimeException e) {
            failures.add(label + " not JSON: " + body);
        }
    }

    @Test
    public void malformedRequestsGetA4xxWithTheErrorBodyAndChangeNothing() throws Exception {
        JsonObject before = snapshot();
        List<Case> cases = cases();
        assertTrue("at least 100 malformed requests, got " + cases.size(), cases.size() >= 100);
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            send(c, "admin", adminPassword(), failures);
        }
        assertEquals(String.join("\n", failures), List.of(), failures);
        JsonElement after = snapshot();
        assertEquals("the model changed", before, after);
    }

    /** A request Jetty or the API's path rules refuse before any route: written raw, as an attacker would. */
    private record RawCase(String requestHead, String body, int status) {
        RawCase(String requestHead, int status) {
            this(requestHead, "", status);
        }
    }

    private static List<RawCase> rawCases(String authorization) {
        String v1 = "/netloom/api/v1";
        String auth = "Authorization: " + authorization + "\r\n";
        List<RawCase> cases = new ArrayList<>();
        for (String method : new String[] {"TRACE", "TRACK", "CONNECT", "PROPFIND", "FOO"}) {
            cases.add(new RawCase(method + " " + v1 + "/networks HTTP/1.1\r\n" + auth, 405));
        }
        for (String path : new String[] {"/..;/networks", "/networks/..;x", "/networks%00", "/%00/ports",
                "/networks/..%2fports", "/networks/%2e%2e/ports", "/./networks", "/networks;x=1", "/networks%5cx"}) {
            cases.add(new RawCase("GET " + v1 + path + " HTTP/1.1\r\n" + auth, 400));
        }
        cases.add(new RawCase("GET " + v1 + "/networks?q=" + "a".repeat(9000) + " HTTP/1.1\r\n" + auth, 414));
        cases.add(new RawCase("GET " + v1 + "/networks HTTP/1.1\r\n" + auth + "X-Big: " + "b".repeat(9000)
                + "\r\n", 431));
        cases.add(new RawCase("GET " + v1 + "/networks HTTP/1.1\r\n" + auth + "Bad Header\r\n", 400));
        // An unknown protocol version is the one refusal of a client's input in the 5xx class: Jetty's parser answers
        // 505 HTTP_VERSION_NOT_SUPPORTED (as RFC 9110 asks), with the API's JSON body; it is expected as such.
        cases.add(new RawCase("GET " + v1 + "/networks HTTP/7.1\r\n" + auth, 505));
        cases.add(new RawCase("GET /netloom/api/v9/networks HTTP/1.1\r\n" + auth, 404));
        cases.add(new RawCase("GET " + v1 + "/networks HTTP/1.1\r\nAuthorization: Basic !!!\r\n", 401));
        cases.add(new RawCase("GET " + v1 + "/networks HTTP/1.1\r\nAuthorization: Bearer x\r\n", 401));
        // Jetty hands a request with a body to the API once its first bytes are in.
        cases.add(new RawCase("POST " + v1 + "/networks HTTP/1.1\r\n" + auth
                + "Content-Type: application/json\r\nContent-Length: 2000000\r\n", "{\"name\":", 413));
        return cases;
    }

    /**
     * Sends a raw request from a local address of the test's choice and returns its status, or adds a problem to
     * {@code failures}.
     */
    private static int sendRaw(String local, String head, List<String> failures) throws Exception {
        return sendRaw(local, head, "", 0, failures);
    }

    /** As above, with a body and the one 5xx status that is expected (0: none). */
    private static int sendRaw(String local, String head, String body, int expected5xx, List<String> failures)
            throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), httpPort(), InetAddress.getByName(local),
                0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head.replaceFirst("\r\n", "\r\nHost: 127.0.0.1\r\n")
                    + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            // The head up to its blank line, then as many bytes as it declares (a CONNECT's connection stays open).
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder headers = new StringBuilder();
            int b;
            while (headers.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0) {
                headers.append((char) b);
            }
            String label = head.substring(0, Math.min(70, head.length())).replace("\r\n", " ");
            if (headers.indexOf("\r\n\r\n") < 0) {
                failures.add(label + " -> no answer: " + headers);
                return 0;
            }
            int status = Integer.parseInt(headers.substring(9, 12));
            String lower = headers.toString().toLowerCase(Locale.ROOT);
            Matcher length = Pattern.compile("content-length: *(\\d+)").matcher(lower);
            String answer = length.find() ? new String(in.readNBytes(Integer.parseInt(length.group(1))),
                    StandardCharsets.UTF_8) : "";
            String contentType = lower.contains("content-type: application/json") ? "application/json" : lower;
            if (status >= 500 && status != expected5xx) {
                failures.add(label + " -> " + status);
            }
            checkErrorBody(label + " -> " + status, contentType, answer, failures);
            return status;
        }
    }

    /** GET /drivers as the viewer, again and again until stopped: each answer's time in ms, or -status if not 200. */
    private Future<List<Long>> viewer(AtomicBoolean stop) {
        return Executors.newSingleThreadExecutor().submit(() -> {
            List<Long> samples = new ArrayList<>();
            while (!stop.get()) {
                long start = System.nanoTime();
                int status = rest("GET", "/drivers", VIEWER, VIEWER_PASSWORD, null).status();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                samples.add(status == 200 ? millis : -status);
                Thread.sleep(20);
            }
            return samples;
        });
    }

    /** Opens a POST that declares a 100,000-byte body and sends its first byte. */
    private static Socket slowBody(String authorization) throws Exception {
        Socket socket = new Socket("127.0.0.1", httpPort());
        socket.getOutputStream().write(("POST /netloom/api/v1/networks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + authorization + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * Sends a byte a second on each slow body until the server has answered or closed each one: the statuses
     * answered (0 for a connection closed without an answer), or fails after {@code limit}.
     */
    private static Map<Integer, Integer> dribble(List<Socket> sockets, Duration limit) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Socket> open = new ArrayList<>(sockets);
        long deadline = System.nanoTime() + limit.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (Iterator<Socket> it = open.iterator(); it.hasNext();) {
                Socket socket = it.next();
                try {
                    if (socket.getInputStream().available() > 0) {
                        socket.setSoTimeout(5000);
                        String line = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                        statuses.merge(Integer.parseInt(line.substring(9, 12)), 1, Integer::sum);
                        socket.close();
                        it.remove();
                        continue;
                    }
                    socket.getOutputStream().write(' ');
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    statuses.merge(0, 1, Integer::sum);
                    socket.close();
                    it.remove();
                }
            }
            Thread.sleep(1000);
        }
        assertEquals("slow bodies still open after " + limit + ": " + statuses, List.of(), open);
        return statuses;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void aThousandHostileRequestsAndTwoDenialOfServiceAttacksLeaveTheModelAndAViewerUnharmed()
            throws Exception {
        String orphan = id(expect(201, "POST", "/networks", "{\"name\":\"never-realised\",\"cidrs\":"
                + "[\"10.252.0.0/16\"],\"driver\":\"nodriver-h\",\"pendingDriver\":true}"));
        AtomicBoolean stop = new AtomicBoolean();
        long started = System.nanoTime();
        Future<List<Long>> viewer = viewer(stop);
        List<String> failures = new ArrayList<>();
        int requests = 0;
        List<Socket> waiting = new ArrayList<>();
        List<Socket> slow = new ArrayList<>();
        try {
            // Each abuser logs in once first, as a client would, so that its requests are not 200 first logins.
            for (String user : new String[] {WAITER, SLOWPOKE, MALLORY}) {
                assertEquals(200, rest("GET", "/drivers", user, ABUSER_PASSWORD, null).status());
            }
            // Attack 1: 200 writes of one caller that wait five minutes for a driver that never comes.
            String waiter = basic(WAITER, ABUSER_PASSWORD);
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket("127.0.0.1", httpPort());
                String body = "{\"name\":\"w" + i + "\",\"cidr\":\"10.252." + i + ".0/24\"}";
                socket.getOutputStream().write(("POST /netloom/api/v1/networks/" + orphan + "/subnets?wait=5m HTTP/1.1"
                        + "\r\nHost: 127.0.0.1\r\nAuthorization: " + waiter + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                waiting.add(socket);
            }
            requests += 200;
            // Every write is either refused at once (429) or accepted and waiting: once all are one or the other,
            // the refused ones must have created nothing.
            Set<Socket> refused = new HashSet<>();
            int[] subnets = new int[1];
            waitFor("each waiting write accepted or refused", () -> {
                try {
                    for (Socket socket : waiting) {
                        if (!refused.contains(socket) && socket.getInputStream().available() > 0) {
                            String line = new String(socket.getInputStream().readNBytes(12),
                                    StandardCharsets.US_ASCII);
                            int status = Integer.parseInt(line.substring(9, 12));
                            if (status != 429) {
                                failures.add("a waiting write answered " + status + " before its time");
                            }
                            refused.add(socket);
                        }
                    }
                    subnets[0] = expect(200, "GET", "/networks/" + orphan + "/subnets", null).getAsJsonArray()
                            .size();
                    return refused.size() + subnets[0] == 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            assertEquals("each write refused (429) created nothing", 200 - refused.size(), expect(200, "GET",
                    "/networks/" + orphan + "/subnets", null).getAsJsonArray().size());
            assertTrue("at most 64 writes of one caller wait: " + subnets[0], subnets[0] > 0 && subnets[0] <= 64);
            JsonObject before = snapshot();

            // Attack 2: 230 bodies sent a byte a second by one caller; they are cut off by the minimum data rate
            // (408) or refused by the caller's limit of writes in progress (429).
            String slowpoke = basic(SLOWPOKE, ABUSER_PASSWORD);
            for (int i = 0; i < 230; i++) {
                slow.add(slowBody(slowpoke));
            }
            requests += 230;
            CompletableFuture<Map<Integer, Integer>> slowStatuses = CompletableFuture.supplyAsync(() -> {
                try {
                    return dribble(slow, Duration.ofSeconds(15));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // Meanwhile, hostile requests of every kind.
            List<Case> cases = cases();
            for (int round = 0; round < 4; round++) {
                for (Case c : cases) {
                    send(c, MALLORY, ABUSER_PASSWORD, failures);
                    requests++;
                }
            }
            String mallory = basic(MALLORY, ABUSER_PASSWORD);
            for (int round = 0; round < 5; round++) {
                for (RawCase c : rawCases(mallory)) {
                    int status = sendRaw("127.0.0.1", c.requestHead(), c.body(), c.status() == 505 ? 505 : 0,
                            failures);
                    requests++;
                    if (status != c.status()) {
                        failures.add(c.requestHead().substring(0, 60) + " -> " + status + ", not " + c.status());
                    }
                }
            }
            // Password guessing from another address: refused, then locked out, never a 5xx.
            Map<Integer, Integer> guesses = new TreeMap<>();
            for (int i = 0; i < 60; i++) {
                int status = sendRaw("127.0.0.9", "GET /netloom/api/v1/networks HTTP/1.1\r\nAuthorization: "
                        + basic(i % 2 == 0 ? "admin" : "user" + i, "guess-" + i) + "\r\n", failures);
                guesses.merge(status, 1, Integer::sum);
                requests++;
            }
            assertEquals("guesses refused, then the guessing address locked out: " + guesses, Set.of(401, 429),
                    guesses.keySet());

            Map<Integer, Integer> cut = slowStatuses.get(60, TimeUnit.SECONDS);
            LOG.info("Slow bodies ended: {}", cut);
            assertFalse("a slow body answered 5xx: " + cut, cut.keySet().stream().anyMatch(s -> s >= 500));
            assertTrue("slow bodies cut off by the minimum data rate (408): " + cut, cut.getOrDefault(408, 0) > 0);
            assertTrue("slow bodies over the caller's limit refused (429): " + cut, cut.getOrDefault(429, 0) > 0);

            assertEquals("hostile requests changed the model", before, snapshot());
        } finally {
            stop.set(true);
            for (Socket socket : waiting) {
                socket.close();
            }
            for (Socket socket : slow) {
                socket.close();
            }
        }
        List<Long> samples = viewer.get(30, TimeUnit.SECONDS);
        requests += samples.size();
        List<Long> failed = samples.stream().filter(m -> m < 0).toList();
        List<Long> millis = samples.stream().filter(m -> m >= 0).sorted().toList();
        long median = millis.get(millis.size() / 2);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        LOG.info("Abuse suite: {} requests in {} s; viewer: {} answers, median {} ms, 95th percentile {} ms, max {} ms,"
                + " failed {}", requests, seconds, millis.size(), median, millis.get(millis.size() * 95 / 100),
                millis.get(millis.size() - 1), failed);
        assertEquals(String.join("\n", failures), List.of(), failures);
        assertEquals("the viewer was always answered 200", List.of(), failed);
        assertTrue("viewer median " + median + " ms", median < 200);
        assertTrue("at least 1,000 requests, got " + requests, requests >= 1000);
    }
}
