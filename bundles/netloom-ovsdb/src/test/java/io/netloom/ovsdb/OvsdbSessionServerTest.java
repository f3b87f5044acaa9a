package io.netloom.ovsdb;

import static io.netloom.ovsdb.OvsdbTestSupport.awaitTrue;
import static io.netloom.ovsdb.OvsdbTestSupport.createBridgeIfAbsent;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import io.netloom.ovsdb.monitor.CacheEvent;
import io.netloom.ovsdb.monitor.TableCache;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import io.netloom.ovsdb.operations.Condition;
import io.netloom.ovsdb.operations.Insert;
import io.netloom.ovsdb.operations.Mutate;
import io.netloom.ovsdb.operations.Operation;
import io.netloom.ovsdb.operations.Update;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@link OvsdbSession} against a real ovsdb-server, a fresh one per test since some tests kill it. */
public class OvsdbSessionServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private OvsdbServerFixture server;
    private OvsdbSession session;
    private final List<ConnectionEvent> connectionEvents = new CopyOnWriteArrayList<>();
    private final List<CacheEvent> cacheEvents = new CopyOnWriteArrayList<>();

    @Before
    public void startServer() throws Exception {
        server = OvsdbServerFixture.start(true);
    }

    @After
    public void stopEverything() {
        try {
            if (session != null) {
                session.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        assertEquals("threads left after close()", List.of(), OvsdbTestSupport.liveOvsdbThreads());
    }

    private OvsdbSessionBuilder builder(OvsdbEndpoint endpoint) {
        return OvsdbSession.builder(endpoint).monitor("Open_vSwitch", "Bridge", "Port", "Interface")
                .connectionListener(connectionEvents::add).cacheListener(cacheEvents::add);
    }

    private OvsdbSession startSession(OvsdbSessionBuilder builder) throws InterruptedException {
        session = builder.start();
        session.awaitConnected(WAIT);
        return session;
    }

    private List<?> transact(List<Operation> operations) throws Exception {
        return session.transact(operations).get(5, TimeUnit.SECONDS);
    }

    private Optional<Row> bridge(String name) {
        return session.cache().findFirst("Bridge", row -> row.getString("name").equals(name));
    }

    private Row awaitBridge(String name) throws InterruptedException {
        awaitTrue("bridge " + name + " in the cache", WAIT, () -> bridge(name).isPresent());
        return bridge(name).orElseThrow();
    }

    private Row iface(String name) {
        return session.cache().findFirst("Interface", row -> row.getString("name").equals(name)).orElseThrow();
    }

    @Test
    public void theCacheSeesCreatedRowsAndFollowsTheirReferences() throws Exception {
        startSession(builder(server.unixEndpoint()));
        transact(createBridgeIfAbsent("br0", "tap0", Map.of("iface-id", "vm-1")));

        TableCache cache = session.cache();
        Row bridge = awaitBridge("br0");
        Uuid portUuid = bridge.getUuidSet("ports").iterator().next();
        awaitTrue("port and interface", WAIT, () -> cache.row("Port", portUuid).isPresent());
        Row port = cache.row("Port", portUuid).orElseThrow();
        assertEquals("tap0", port.getString("name"));
        Row iface = cache.row("Interface", port.getUuidSet("interfaces").iterator().next()).orElseThrow();
        assertEquals(Map.of("iface-id", "vm-1"), iface.getStringMap("external_ids"));
        assertEquals(Optional.empty(), iface.getOptionalLong("ofport"));
        assertEquals("internal", iface.getString("type"));
        assertEquals(Optional.empty(), bridge.getOptionalString("fail_mode"));
        Row root = cache.rows("Open_vSwitch").values().iterator().next();
        assertEquals(Set.of(bridge.uuid()), root.getUuidSet("bridges"));
        assertEquals(CacheEvent.Type.RESYNC, cacheEvents.get(0).type());
    }

    @Test
    public void mapMutationsAndUpdatesAreReflectedInTheCache() throws Exception {
        startSession(builder(server.unixEndpoint()));
        transact(createBridgeIfAbsent("br0", "tap0", Map.of("iface-id", "vm-1")));
        awaitBridge("br0");
        Condition tap0 = Condition.equal("name", "tap0");

        transact(List.of(Mutate.table("Interface").where(tap0).insert("external_ids",
                Map.of("attached-mac", "02:00:00:00:00:01"))));
        awaitTrue("mutated map", WAIT, () -> iface("tap0").getStringMap("external_ids")
                .equals(Map.of("iface-id", "vm-1", "attached-mac", "02:00:00:00:00:01")));

        transact(List.of(Update.table("Interface").where(tap0).set("external_ids", Map.of("iface-id", "vm-2"))));
        awaitTrue("replaced map", WAIT, () -> iface("tap0").getStringMap("external_ids")
                .equals(Map.of("iface-id", "vm-2")));

        transact(List.of(Mutate.table("Interface").where(tap0).delete("external_ids", Set.of("iface-id")),
                Update.table("Interface").where(tap0).set("ofport_request", 7)));
        awaitTrue("emptied map and set optional", WAIT, () -> iface("tap0").getStringMap("external_ids").isEmpty()
                && iface("tap0").getOptionalLong("ofport_request").equals(Optional.of(7L)));

        server.vsctl("set", "Bridge", "br0", "fail_mode=secure");
        awaitTrue("fail_mode from ovs-vsctl", WAIT,
                () -> bridge("br0").orElseThrow().getOptionalString("fail_mode").equals(Optional.of("secure")));
    }

    @Test
    public void plainMonitorKeepsTheCacheAsWell() throws Exception {
        startSession(builder(server.unixEndpoint()).useMonitorCond(false));
        transact(createBridgeIfAbsent("br0", "tap0", Map.of("iface-id", "vm-1")));
        awaitBridge("br0");

        transact(List.of(Mutate.table("Interface").where(Condition.equal("name", "tap0"))
                .insert("external_ids", Map.of("k", "v"))));

        awaitTrue("monitor update", WAIT, () -> iface("tap0").getStringMap("external_ids")
                .equals(Map.of("iface-id", "vm-1", "k", "v")));
    }

    @Test
    public void aRetriedCreateThroughTheSessionFailsWithTheWaitPrerequisite() throws Exception {
        startSession(builder(server.unixEndpoint()));
        transact(createBridgeIfAbsent("br0", "tap0", Map.of()));

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> transact(createBridgeIfAbsent("br0", "tap0", Map.of())));

        assertTrue(e.getCause() instanceof OvsdbTransactionException);
        awaitBridge("br0");
        assertEquals(1, session.cache().select("Bridge", row -> row.getString("name").equals("br0")).size());
    }

    @Test
    public void afterAKillAndRestartTheSessionReconnectsAndResynchronizes() throws Exception {
        startSession(builder(server.unixEndpoint()));
        transact(createBridgeIfAbsent("br0", "tap0", Map.of()));
        Uuid br0 = awaitBridge("br0").uuid();

        server.kill9();
        awaitTrue("disconnected event", WAIT, () -> connectionEvents.stream()
                .anyMatch(event -> event.state() == ConnectionEvent.State.DISCONNECTED));
        assertFalse(session.isConnected());
        CompletableFuture<?> refused = session.transact(createBridgeIfAbsent("br1", "tap1", Map.of()));
        assertTrue("fails fast", refused.isCompletedExceptionally());
        ExecutionException notConnected = assertThrows(ExecutionException.class, refused::get);
        assertTrue(notConnected.getCause() instanceof OvsdbConnectionException);

        // Changed while the session cannot see it: br0 removed (its port and interface with it), br-offline added.
        Insert offline = Insert.into("Bridge").withUuidName("offline").value("name", "br-offline");
        JsonArray transaction = new JsonArray();
        transaction.add("Open_vSwitch");
        transaction.add(Mutate.table("Open_vSwitch").allRows().delete("bridges", br0).toJson());
        transaction.add(offline.toJson());
        transaction.add(Mutate.table("Open_vSwitch").allRows().insert("bridges", offline.ref()).toJson());
        server.toolTransact(transaction.toString());
        server.startServer();

        long restarted = System.nanoTime();
        session.awaitConnected(WAIT);
        awaitTrue("resynchronized cache", WAIT, () -> bridge("br-offline").isPresent());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - restarted);
        assertTrue("reconnected within " + seconds + " s", seconds <= 10);
        assertEquals(Optional.empty(), bridge("br0"));
        assertEquals(Map.of(), session.cache().rows("Port"));
        assertEquals(1, session.reconnectCount());
        awaitTrue("second connected event", WAIT, () -> connectionEvents.size() == 3);
        assertEquals(List.of(ConnectionEvent.State.CONNECTED, ConnectionEvent.State.DISCONNECTED,
                ConnectionEvent.State.CONNECTED), connectionEvents.stream().map(ConnectionEvent::state).toList());
        assertEquals(1, connectionEvents.get(2).reconnectCount());
        assertEquals(CacheEvent.Type.RESYNC, cacheEvents.get(cacheEvents.size() - 1).type());
        transact(createBridgeIfAbsent("br1", "tap1", Map.of()));
        awaitBridge("br1");
    }

    @Test
    public void aServerThatStopsAnsweringEchoIsDroppedAndReconnectedWhenItResumes() throws Exception {
        startSession(builder(server.unixEndpoint()).echoInterval(Duration.ofMillis(300))
                .connectTimeout(Duration.ofSeconds(1)).backoff(Duration.ofMillis(200), Duration.ofSeconds(1)));
        try {
            server.signal("STOP");
            awaitTrue("disconnected by keep-alive", WAIT, () -> connectionEvents.stream()
                    .anyMatch(event -> event.state() == ConnectionEvent.State.DISCONNECTED));
            ConnectionEvent lost = connectionEvents.get(1);
            assertTrue(lost.cause().orElseThrow().getMessage(), lost.cause().orElseThrow().getMessage()
                    .contains("no echo reply"));
        } finally {
            server.signal("CONT");
        }
        session.awaitConnected(WAIT);
        assertTrue(session.reconnectCount() >= 1);
    }

    @Test
    public void theSessionWorksOverTcp() throws Exception {
        startSession(builder(server.tcpEndpoint()));
        transact(createBridgeIfAbsent("br-tcp", "tap-tcp", Map.of()));

        awaitBridge("br-tcp");
        assertEquals("Open_vSwitch", session.schema().orElseThrow().name());
    }

    @Test
    public void closeStopsTheThreadsAndFailsLaterTransactions() throws Exception {
        startSession(builder(server.unixEndpoint()));
        session.close();

        assertFalse(session.isConnected());
        assertEquals(List.of(), OvsdbTestSupport.liveOvsdbThreads());
        assertTrue(session.transact(List.of()).isCompletedExceptionally());
        assertEquals(ConnectionEvent.State.DISCONNECTED, connectionEvents.get(connectionEvents.size() - 1).state());
        assertThrows(OvsdbConnectionException.class, () -> session.awaitConnected(Duration.ofMillis(10)));
    }

    @Test
    public void aSessionToAnAbsentServerKeepsRetryingAndReportsWhy() throws Exception {
        session = OvsdbSession.builder(OvsdbEndpoint.unix(server.socket().resolveSibling("absent.sock")))
                .backoff(Duration.ofMillis(100), Duration.ofMillis(200)).start();

        OvsdbConnectionException e = assertThrows(OvsdbConnectionException.class,
                () -> session.awaitConnected(Duration.ofMillis(600)));
        assertTrue(e.getMessage(), e.getMessage().contains("absent.sock"));
    }
}
