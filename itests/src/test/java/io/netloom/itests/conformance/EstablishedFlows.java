package io.netloom.itests.conformance;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.hostnet.testing.TcpSession;
import io.netloom.itests.conformance.ConformanceScenario.Answer;
import io.netloom.itests.conformance.ConformanceScenario.Rest;

/**
 * The conformance stage for established connections, through the distribution on a real data plane: the matrices of
 * {@link ConformanceRunner} start every flow anew (and may forget the data plane's connections first), so this
 * stage checks that connections running while the model changes obey the new rules. A server port admits TCP
 * 5001-5002 from the members of group {@code clients} and TCP 5003 and 5004 from one client's address each; clients
 * c1 and c2 hold long-lived sessions (a numbered line every 100 ms, {@link TcpSession}). Moving c1 out of
 * {@code clients}, then deleting the rule that admits c1 on 5003, must stop c1's session once the write's {@code ?wait}
 * answers (no line written after that arrives, even when the server then sends c1 a line), while c2's sessions, still
 * permitted, go on. Then quarantining c2 must stop its session on 5004 the same way, while client c3's session on
 * 5001 goes on.
 *
 * <p>Each change is written with {@code ?wait}: once it answers, the change is live, so from then on no line the
 * refused client writes may arrive, with no retry or wait of the test's own. Everything the stage makes is removed
 * in the end, even when it fails.
 */
public final class EstablishedFlows {

    /** How long the sessions may take to pass before a change. */
    static final Duration REALISED = Duration.ofSeconds(30);
    /** How long a write may wait until it is live. */
    private static final String WAIT = "60s";
    private static final long WATCH_MILLIS = 2000;

    private final Rest rest;
    private final String driver;
    private final String prefix;
    private final String cidr;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> ports = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private final List<TcpSession> sessions = new ArrayList<>();
    private String network;

    /**
     * @param rest the REST API as admin
     * @param driver the network's driver
     * @param prefix names of the stage's namespaces and objects, a few characters
     * @param cidr the network's /24 in 10.200.0.0/16, such as {@code 10.200.84.0/24}
     */
    public EstablishedFlows(Rest rest, String driver, String prefix, String cidr) {
        this.rest = rest;
        this.driver = driver;
        this.prefix = prefix;
        this.cidr = cidr;
    }

    /**
     * Runs the stage and removes what it made.
     *
     * @param madeNetwork told the network's id as soon as it exists, so the caller can check its removal
     * @throws Exception when the stage fails
     */
    public void run(Consumer<String> madeNetwork) throws Exception {
        try {
            stage(madeNetwork);
        } catch (Exception | AssertionError failure) {
            try {
                cleanUp();
            } catch (Exception | AssertionError also) {
                failure.addSuppressed(also);
            }
            throw failure;
        }
        cleanUp();
    }

    private void stage(Consumer<String> madeNetwork) throws Exception {
        network = id(expect(201, "POST", "/networks", "{\"name\":\"" + prefix + "\",\"cidrs\":[\"" + cidr
                + "\"],\"driver\":\"" + driver + "\"}"));
        madeNetwork.accept(network);
        String subnet = id(expect(201, "POST", "/networks/" + network + "/subnets", "{\"name\":\"s\",\"cidr\":\""
                + cidr + "\"}"));
        String clients = group("clients");
        String others = group("others");
        String server = group("server");
        rule(server, "5001-5002", "\"remoteGroup\":\"" + clients + "\"");
        JsonObject s = port("s", subnet, server);
        JsonObject c1 = port("c1", subnet, clients);
        JsonObject c2 = port("c2", subnet, clients);
        JsonObject c3 = port("c3", subnet, clients);
        String c1Rule = rule(server, "5003", "\"remoteCidr\":\"" + ip(c1) + "/32\"");
        rule(server, "5004", "\"remoteCidr\":\"" + ip(c2) + "/32\"");

        // c1 leaves the group the server admits: c1's session through the group rule is cut, c2's goes on.
        cutKeeping(s, c1, 5001, c2, 5002, () -> expect(200, "PUT", "/ports/" + id(c1) + "/security-groups?wait="
                + WAIT, "[\"" + others + "\"]"));
        // The rule that admits c1 by its address is deleted: c1's session on 5003 is cut, c2's on 5004 goes on.
        cutKeeping(s, c1, 5003, c2, 5004, () -> expect(204, "DELETE", "/security-groups/" + server + "/rules/"
                + c1Rule + "?wait=" + WAIT, null));
        // c2 is quarantined: its session (admitted by its address) is cut, c3's (admitted by the group) goes on.
        cutKeeping(s, c2, 5004, c3, 5001, () -> expect(200, "POST", "/ports/" + id(c2) + "/quarantine?wait="
                + WAIT, null));
    }

    /** A change to make, which may throw. */
    private interface Change {
        void make() throws Exception;
    }

    private void cutKeeping(JsonObject server, JsonObject cut, int cutPort, JsonObject kept, int keptPort,
            Change change) throws Exception {
        TcpSession refused = session(server, cut, cutPort);
        TcpSession permitted = session(server, kept, keptPort);
        // No wait of the test's own: once the write's ?wait has answered, nothing the refused client writes may
        // arrive.
        TcpSession.assertCutKeeping(refused, permitted, () -> {
            try {
                change.make();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, WATCH_MILLIS);
    }

    /**
     * A session that passes. Until the model's latest state is realised, a client may find no route or its first
     * packets dropped, and nc gives up: a session is started again until one passes, at most {@link #REALISED}.
     * (This is before the change whose realisation the stage checks.)
     */
    private TcpSession session(JsonObject server, JsonObject client, int port) throws Exception {
        long deadline = System.nanoTime() + REALISED.toNanos();
        while (true) {
            TcpSession s = TcpSession.start(namespace(server), ip(server), port, namespace(client));
            if (s.awaitReceived(3, 3000)) {
                sessions.add(s);
                return s;
            }
            s.close();
            assertTrue("no session to " + port + " passes before the change", System.nanoTime() < deadline);
        }
    }

    private String group(String name) throws Exception {
        String id = id(expect(201, "POST", "/security-groups", "{\"name\":\"" + prefix + "-" + name + "\"}"));
        groups.add(id);
        return id;
    }

    private String rule(String group, String portRange, String remote) throws Exception {
        return id(expect(201, "POST", "/security-groups/" + group + "/rules", "{\"direction\":\"ingress\","
                + "\"protocol\":\"tcp\",\"ports\":\"" + portRange + "\"," + remote + "}"));
    }

    private JsonObject port(String name, String subnet, String group) throws Exception {
        String ns = prefix + "-" + name;
        HostProcesses.execute(Duration.ofSeconds(30), List.of("ip", "netns", "del", ns));
        HostProcesses.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        JsonObject port = expect(201, "POST", "/ports?wait=" + WAIT, "{\"name\":\"" + ns + "\",\"network\":\"" + network
                + "\",\"subnet\":\"" + subnet + "\",\"binding\":{\"type\":\"netns\",\"target\":\"" + ns + "\"}}")
                .getAsJsonObject();
        ports.add(id(port));
        expect(200, "PUT", "/ports/" + id(port) + "/security-groups?wait=" + WAIT, "[\"" + group + "\"]");
        return port;
    }

    private void cleanUp() throws Exception {
        for (TcpSession s : sessions) {
            s.close();
        }
        List<String> paths = new ArrayList<>();
        ports.forEach(p -> paths.add("/ports/" + p));
        // Groups in reverse: a group's rules may refer to the groups made before it.
        List<String> reversed = new ArrayList<>(groups);
        Collections.reverse(reversed);
        reversed.forEach(g -> paths.add("/security-groups/" + g));
        if (network != null) {
            paths.add("/networks/" + network);
        }
        List<String> problems = ConformanceScenario.deleteAll(rest, paths);
        Collections.reverse(namespaces);
        for (String ns : namespaces) {
            HostProcesses.execute(Duration.ofSeconds(30), List.of("ip", "netns", "del", ns));
        }
        assertEquals("what the stage could not remove", List.of(), problems);
    }

    private JsonElement expect(int status, String method, String path, String body) throws Exception {
        Answer answer = rest.call(method, path, body);
        assertEquals(method + " " + path + ": " + answer.body(), status, answer.status());
        return answer.status() == 204 ? null : answer.json();
    }

    private static String id(JsonElement object) {
        return object.getAsJsonObject().get("id").getAsString();
    }

    private static String ip(JsonObject port) {
        return port.get("ip").getAsString();
    }

    private static String namespace(JsonObject port) {
        return port.get("name").getAsString(); // each port is named after its namespace
    }
}
