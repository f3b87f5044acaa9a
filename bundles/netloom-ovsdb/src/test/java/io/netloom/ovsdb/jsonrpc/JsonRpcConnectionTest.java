package io.netloom.ovsdb.jsonrpc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netloom.ovsdb.OvsdbConnectionException;
import io.netloom.ovsdb.OvsdbRpcException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** Exercises the JSON-RPC layer against an in-process peer on a Unix domain socket. */
public class JsonRpcConnectionTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    @Rule
    public Timeout timeout = Timeout.seconds(10);

    private final List<String> notifications = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    private final JsonStreamSplitter peerSplitter = new JsonStreamSplitter(1 << 20);
    private final Deque<String> peerInbox = new ArrayDeque<>();
    private ServerSocketChannel server;
    private SocketChannel peer;
    private JsonRpcConnection connection;

    @Before
    public void connect() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(tmp.getRoot().toPath().resolve("peer.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        connection = JsonRpcConnection.open(address, Duration.ofSeconds(2), "ovsdb-test", new JsonRpcHandler() {
            @Override
            public void onNotification(String method, JsonArray params) {
                notifications.add(method + params);
            }

            @Override
            public void onClosed(Optional<Throwable> cause) {
                closed.complete(cause);
            }
        });
        peer = server.accept();
    }

    @After
    public void disconnect() throws IOException {
        connection.close();
        peer.close();
        server.close();
    }

    private void peerWrite(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            peer.write(bytes);
        }
    }

    private JsonObject peerRead() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (peerInbox.isEmpty()) {
            buffer.clear();
            int count = peer.read(buffer);
            if (count < 0) {
                throw new IOException("connection closed");
            }
            peerInbox.addAll(peerSplitter.feed(buffer.array(), 0, count));
        }
        return JsonParser.parseString(peerInbox.poll()).getAsJsonObject();
    }

    @Test
    public void aReplySplitAcrossWritesCompletesTheRequestWithTheSameId() throws Exception {
        CompletableFuture<JsonElement> reply = connection.call("list_dbs", new JsonArray());
        JsonObject request = peerRead();
        assertEquals("list_dbs", request.get("method").getAsString());
        long id = request.get("id").getAsLong();

        peerWrite("{\"id\":" + id + ",\"result\":[\"Open_v");
        Thread.sleep(50);
        assertFalse(reply.isDone());
        peerWrite("Switch\",\"_Server\"],\"error\":null}");

        assertEquals(JsonParser.parseString("[\"Open_vSwitch\",\"_Server\"]"), reply.get(2, TimeUnit.SECONDS));
    }

    @Test
    public void anErrorReplyFailsTheRequestWithAnRpcException() throws Exception {
        CompletableFuture<JsonElement> reply = connection.call("get_schema", new JsonArray());
        long id = peerRead().get("id").getAsLong();
        peerWrite("{\"id\":" + id + ",\"result\":null,\"error\":{\"error\":\"unknown database\","
                + "\"details\":\"get_schema request specifies unknown database Nope\"}}");

        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(2, TimeUnit.SECONDS));
        OvsdbRpcException rpc = (OvsdbRpcException) e.getCause();
        assertEquals("unknown database", rpc.error());
        assertEquals("get_schema", rpc.method());
        assertTrue(rpc.details().orElseThrow().contains("Nope"));
    }

    @Test
    public void theServersEchoRequestIsAnsweredWithItsParams() throws Exception {
        peerWrite("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[\"ping\"]}");

        assertEquals(JsonParser.parseString("{\"result\":[\"ping\"],\"error\":null,\"id\":\"echo\"}"), peerRead());
    }

    @Test
    public void notificationsReachTheHandlerInStreamOrder() throws Exception {
        peerWrite("{\"id\":null,\"method\":\"update2\",\"params\":[\"m\",{\"a\":1}]}"
                + "{\"id\":null,\"method\":\"update2\",\"params\":[\"m\",{\"b\":2}]}");
        // A round trip after the notifications proves they were dispatched.
        peerWrite("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}");
        peerRead();

        assertEquals(List.of("update2[\"m\",{\"a\":1}]", "update2[\"m\",{\"b\":2}]"), notifications);
    }

    @Test
    public void aLostConnectionFailsPendingRequestsAndTellsTheHandler() throws Exception {
        CompletableFuture<JsonElement> reply = connection.call("echo", new JsonArray());
        peerRead();
        peer.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(2, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof OvsdbConnectionException);
        assertTrue(closed.get(2, TimeUnit.SECONDS).isPresent());
        assertFalse(connection.isOpen());
        CompletableFuture<JsonElement> late = connection.call("echo", new JsonArray());
        assertTrue(late.isCompletedExceptionally());
    }

    @Test
    public void closeEndsTheReaderThreadAndReportsNoCause() throws Exception {
        connection.close();

        assertEquals(Optional.empty(), closed.get(2, TimeUnit.SECONDS));
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("ovsdb-test-reader")));
    }

    @Test
    public void connectingToAMissingSocketFailsWithAConnectionException() {
        UnixDomainSocketAddress missing = UnixDomainSocketAddress.of(tmp.getRoot().toPath().resolve("none.sock"));

        OvsdbConnectionException e = assertThrows(OvsdbConnectionException.class,
                () -> JsonRpcConnection.open(missing, Duration.ofSeconds(1), "ovsdb-missing", new JsonRpcHandler() {
                    @Override
                    public void onNotification(String method, JsonArray params) {
                    }

                    @Override
                    public void onClosed(Optional<Throwable> cause) {
                    }
                }));
        assertTrue(e.getMessage().contains("none.sock"));
    }
}
