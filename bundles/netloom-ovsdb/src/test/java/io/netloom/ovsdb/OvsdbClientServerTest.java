package io.netloom.ovsdb;

import static io.netloom.ovsdb.OvsdbTestSupport.createBridgeIfAbsent;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.netloom.ovsdb.monitor.MonitorRequest;
import io.netloom.ovsdb.monitor.TableUpdates;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.operations.Condition;
import io.netloom.ovsdb.operations.Insert;
import io.netloom.ovsdb.operations.OperationResult;
import io.netloom.ovsdb.operations.Select;
import io.netloom.ovsdb.schema.DatabaseSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/** {@link OvsdbClient} against a real ovsdb-server, shared by the tests of this class. */
public class OvsdbClientServerTest {
    private static OvsdbServerFixture server;
    private OvsdbClient client;

    @BeforeClass
    public static void startServer() throws Exception {
        server = OvsdbServerFixture.start(true);
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Before
    public void connect() {
        client = OvsdbClient.connect(server.unixEndpoint(), Duration.ofSeconds(2));
    }

    @After
    public void disconnect() {
        client.close();
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(5, TimeUnit.SECONDS);
    }

    private List<Row> bridgesNamed(String name) throws Exception {
        return get(client.transact("Open_vSwitch",
                List.of(Select.from("Bridge").where(Condition.equal("name", name))))).get(0).rows();
    }

    @Test
    public void listDbsContainsOpenVswitch() throws Exception {
        assertTrue(get(client.listDbs()).contains("Open_vSwitch"));
    }

    @Test
    public void getSchemaParsesTheVswitchSchema() throws Exception {
        DatabaseSchema schema = get(client.getSchema("Open_vSwitch"));

        assertEquals("Open_vSwitch", schema.name());
        assertTrue(schema.version().matches("\\d+\\.\\d+\\.\\d+"));
        assertTrue(schema.requireColumn("Interface", "ofport").type().isOptional());
        assertTrue(schema.requireColumn("Interface", "external_ids").type().isMap());
        assertEquals(Optional.of("Port"), schema.requireColumn("Bridge", "ports").type().key().refTable());
        assertTrue(schema.requireTable("Open_vSwitch").isRoot());
    }

    @Test
    public void anUnknownDatabaseIsAnRpcError() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.getSchema("Nope")));
        assertEquals("unknown database", ((OvsdbRpcException) e.getCause()).error());
    }

    @Test
    public void transactInsertsBridgePortAndInterfaceLinkedToTheRoot() throws Exception {
        List<OperationResult> results = get(client.transact("Open_vSwitch",
                createBridgeIfAbsent("br-client", "tap-client", Map.of("iface-id", "vm-1"))));

        assertEquals(5, results.size());
        Row bridge = bridgesNamed("br-client").get(0);
        assertEquals(results.get(3).insertedUuid(), bridge.uuid());
        assertEquals(1, bridge.getUuidSet("ports").size());
        Row root = get(client.transact("Open_vSwitch", List.of(Select.from("Open_vSwitch")))).get(0).rows().get(0);
        assertTrue(root.getUuidSet("bridges").contains(bridge.uuid()));
        Row iface = get(client.transact("Open_vSwitch", List.of(Select.from("Interface")
                .where(Condition.equal("name", "tap-client"))))).get(0).rows().get(0);
        assertEquals(Map.of("iface-id", "vm-1"), iface.getStringMap("external_ids"));
        assertEquals(Optional.empty(), iface.getOptionalLong("ofport"));
    }

    @Test
    public void aWaitPrerequisiteMakesARetriedCreateFailCleanlyInsteadOfDuplicating() throws Exception {
        get(client.transact("Open_vSwitch", createBridgeIfAbsent("br-twice", "tap-twice", Map.of())));

        ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.transact("Open_vSwitch",
                createBridgeIfAbsent("br-twice", "tap-twice", Map.of()))));

        OvsdbTransactionException failure = (OvsdbTransactionException) e.getCause();
        assertEquals(0, failure.operationIndex());
        assertEquals("wait", failure.operation());
        assertEquals("timed out", failure.error());
        assertEquals(1, bridgesNamed("br-twice").size());
    }

    @Test
    public void aCommitFailureIsReportedAfterTheLastOperation() {
        // A Port needs an Interface; the default all-zero reference points nowhere: the insert succeeds, the commit
        // does not.
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.transact("Open_vSwitch",
                List.of(Insert.into("Port").value("name", "lonely")))));

        OvsdbTransactionException failure = (OvsdbTransactionException) e.getCause();
        assertTrue(failure.isCommitFailure());
        assertEquals(1, failure.operationIndex());
        assertEquals("referential integrity violation", failure.error());
    }

    @Test
    public void monitorCondDeliversTheInitialContentsThenUpdates() throws Exception {
        List<TableUpdates> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        TableUpdates initial = get(client.monitorCond("Open_vSwitch", "m", List.of(MonitorRequest.of("Bridge",
                "name")), received::add));
        assertTrue(initial.initial());

        get(client.transact("Open_vSwitch", createBridgeIfAbsent("br-mon", "tap-mon", Map.of())));

        OvsdbTestSupport.awaitTrue("an update2 for br-mon", Duration.ofSeconds(5), () -> received.stream()
                .flatMap(updates -> updates.updates().stream())
                .anyMatch(update -> update.row().map(row -> row.get("name").equals("br-mon")).orElse(false)));
        assertTrue(received.get(0).initial());
    }

    @Test
    public void theTcpEndpointWorksLikeTheUnixSocket() throws Exception {
        try (OvsdbClient tcp = OvsdbClient.connect(server.tcpEndpoint(), Duration.ofSeconds(2))) {
            assertTrue(get(tcp.listDbs()).contains("Open_vSwitch"));
            get(tcp.echo());
        }
    }

    @Test
    public void closingTheClientFailsLaterRequestsAndEndsItsThread() throws Exception {
        client.close();

        assertTrue(client.disconnected().isDone());
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.listDbs()));
        assertTrue(e.getCause() instanceof OvsdbConnectionException);
        assertEquals(List.of(), OvsdbTestSupport.liveOvsdbThreads());
    }
}
