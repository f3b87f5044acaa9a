package io.netloom.ovsdb.jsonrpc;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.netloom.ovsdb.OvsdbConnectionException;
import io.netloom.ovsdb.OvsdbException;
import io.netloom.ovsdb.OvsdbRpcException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-RPC 1.0 connection over a stream socket (Unix domain or TCP), as used by OVSDB (RFC 7047 section 4).
 *
 * <p>One daemon reader thread per connection reads the stream, splits it into JSON texts, completes the futures of
 * requests by id, answers the server's {@code echo} requests and passes notifications to the {@link JsonRpcHandler}.
 * <b>Request futures are completed on the reader thread</b>: dependent stages attached without an executor run there
 * and must not block, in particular not on another request of this connection (use the {@code ...Async} variants).
 * Writes are serialized; every method is thread-safe.
 */
public final class JsonRpcConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcConnection.class);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    private static final long JOIN_MILLIS = 2000;

    private final SocketChannel channel;
    private final String name;
    private final JsonRpcHandler handler;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object writeLock = new Object();
    private final Thread reader;

    private record Pending(String method, CompletableFuture<JsonElement> future) {
    }

    private JsonRpcConnection(SocketChannel channel, String name, JsonRpcHandler handler) {
        this.channel = channel;
        this.name = name;
        this.handler = handler;
        this.reader = new Thread(this::readLoop, name + "-reader");
        reader.setDaemon(true);
    }

    /**
     * Connects and starts the reader thread.
     *
     * @param address        a {@link UnixDomainSocketAddress} or an {@link java.net.InetSocketAddress}
     * @param connectTimeout how long to wait for the connection to be established
     * @param name           names the connection in logs and the reader thread ({@code <name>-reader})
     * @param handler        receives notifications and the end of the connection
     * @return the open connection
     * @throws OvsdbConnectionException when the connection cannot be established within the timeout
     */
    public static JsonRpcConnection open(SocketAddress address, Duration connectTimeout, String name,
            JsonRpcHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        SocketChannel channel = null;
        try {
            channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX)
                    : SocketChannel.open();
            connect(channel, address, connectTimeout);
            JsonRpcConnection connection = new JsonRpcConnection(channel, name, handler);
            connection.reader.start();
            LOG.debug("{}: connected to {}", name, address);
            return connection;
        } catch (IOException | UnresolvedAddressException e) {
            closeQuietly(channel, name);
            throw new OvsdbConnectionException("cannot connect to " + address + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel, name);
            throw e;
        }
    }

    private static void connect(SocketChannel channel, SocketAddress address, Duration timeout) throws IOException {
        channel.configureBlocking(false);
        if (!channel.connect(address)) {
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(Math.max(1, timeout.toMillis())) == 0) {
                    throw new OvsdbConnectionException("cannot connect to " + address + " within " + timeout);
                }
                channel.finishConnect();
            }
        }
        // The selector is closed, which deregistered the channel: blocking mode is allowed again.
        channel.configureBlocking(true);
    }

    private static void closeQuietly(SocketChannel channel, String name) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("{}: closing the socket failed", name, e);
            }
        }
    }

    /**
     * Sends a request and returns its result.
     *
     * @param method the method
     * @param params the parameters
     * @return the {@code result} of the reply; fails with {@link OvsdbRpcException} when the reply has an error,
     *         with {@link OvsdbConnectionException} when the connection is closed or lost before the reply
     */
    public CompletableFuture<JsonElement> call(String method, JsonArray params) {
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonElement> future = new CompletableFuture<>();
        pending.put(id, new Pending(method, future));
        // A close that ran before the put did not see this request: fail it here.
        if (closed.get()) {
            pending.remove(id);
            future.completeExceptionally(new OvsdbConnectionException(name + ": connection closed"));
            return future;
        }
        JsonObject request = new JsonObject();
        request.addProperty("method", method);
        request.add("params", params);
        request.addProperty("id", id);
        try {
            send(request);
        } catch (IOException e) {
            pending.remove(id);
            OvsdbConnectionException failure = new OvsdbConnectionException(name + ": sending " + method
                    + " failed: " + e, e);
            future.completeExceptionally(failure);
            shutdown(failure);
        }
        return future;
    }

    private void send(JsonObject message) throws IOException {
        String text = GSON.toJson(message);
        LOG.trace("{} -> {}", name, text);
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /**
     * Tells whether the connection is open.
     *
     * @return false once closed or lost
     */
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the connection: fails pending requests with {@link OvsdbConnectionException}, calls
     * {@link JsonRpcHandler#onClosed} with no cause and waits up to 2 s for the reader thread to end (unless called
     * from it). Idempotent.
     */
    @Override
    public void close() {
        shutdown(null);
        joinReader();
    }

    /**
     * Closes the connection as lost, with a cause passed to {@link JsonRpcHandler#onClosed} and to pending requests.
     *
     * @param cause why the connection is given up, such as a missing echo reply
     */
    public void abort(Throwable cause) {
        shutdown(Objects.requireNonNull(cause, "cause"));
        joinReader();
    }

    private void joinReader() {
        if (Thread.currentThread() != reader) {
            try {
                reader.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive()) {
                LOG.warn("{}: reader thread did not stop within {} ms", name, JOIN_MILLIS);
            }
        }
    }

    private void shutdown(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(channel, name);
        OvsdbConnectionException failure = cause instanceof OvsdbConnectionException connection ? connection
                : new OvsdbConnectionException(name + (cause == null ? ": connection closed" : ": connection lost: "
                        + cause), cause);
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending request = it.next();
            it.remove();
            request.future().completeExceptionally(failure);
        }
        if (cause == null) {
            LOG.debug("{}: closed", name);
        } else {
            LOG.debug("{}: lost", name, cause);
        }
        try {
            handler.onClosed(Optional.ofNullable(cause));
        } catch (RuntimeException e) {
            LOG.error("{}: connection-closed handler failed", name, e);
        }
    }

    private void readLoop() {
        JsonStreamSplitter splitter = new JsonStreamSplitter(MAX_MESSAGE_BYTES);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (!closed.get()) {
                buffer.clear();
                int count = channel.read(buffer);
                if (count < 0) {
                    shutdown(new OvsdbConnectionException(name + ": connection closed by the server"));
                    return;
                }
                for (String text : splitter.feed(buffer.array(), 0, count)) {
                    dispatch(text);
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                shutdown(new OvsdbConnectionException(name + ": read failed: " + e, e));
            }
        } catch (OvsdbException e) {
            shutdown(e);
        } catch (RuntimeException e) {
            shutdown(new OvsdbConnectionException(name + ": reader failed: " + e, e));
        }
    }

    private void dispatch(String text) throws IOException {
        LOG.trace("{} <- {}", name, text);
        JsonObject message;
        try {
            message = JsonParser.parseString(text).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new OvsdbConnectionException(name + ": malformed JSON-RPC message: " + e.getMessage(), e);
        }
        JsonElement method = message.get("method");
        JsonElement id = message.get("id");
        if (method != null && !method.isJsonNull()) {
            JsonArray params = message.has("params") && message.get("params").isJsonArray()
                    ? message.getAsJsonArray("params") : new JsonArray();
            if (id == null || id.isJsonNull()) {
                notifyHandler(method.getAsString(), params);
            } else {
                answer(method.getAsString(), params, id);
            }
            return;
        }
        if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
            LOG.warn("{}: ignoring a reply with an id we never sent: {}", name, text);
            return;
        }
        Pending request = pending.remove(id.getAsLong());
        if (request == null) {
            LOG.warn("{}: ignoring a reply to unknown request {}", name, id);
            return;
        }
        JsonElement error = message.get("error");
        if (error != null && !error.isJsonNull()) {
            request.future().completeExceptionally(rpcError(request.method(), error));
        } else {
            JsonElement result = message.get("result");
            request.future().complete(result == null ? JsonNull.INSTANCE : result);
        }
    }

    private void notifyHandler(String method, JsonArray params) {
        try {
            handler.onNotification(method, params);
        } catch (RuntimeException e) {
            LOG.error("{}: handler of notification {} failed", name, method, e);
        }
    }

    private void answer(String method, JsonArray params, JsonElement id) throws IOException {
        JsonObject reply = new JsonObject();
        if ("echo".equals(method)) {
            reply.add("result", params);
            reply.add("error", JsonNull.INSTANCE);
        } else {
            LOG.warn("{}: the server sent an unsupported request '{}'", name, method);
            reply.add("result", JsonNull.INSTANCE);
            reply.addProperty("error", "unknown method");
        }
        reply.add("id", id);
        send(reply);
    }

    private static OvsdbRpcException rpcError(String method, JsonElement error) {
        if (error.isJsonObject()) {
            JsonObject object = error.getAsJsonObject();
            String text = object.has("error") ? object.get("error").getAsString() : object.toString();
            String details = object.has("details") && !object.get("details").isJsonNull()
                    ? object.get("details").getAsString() : null;
            return new OvsdbRpcException(method, text, details);
        }
        return new OvsdbRpcException(method, error.isJsonPrimitive() ? error.getAsString() : error.toString(), null);
    }

    @Override
    public String toString() {
        return name;
    }
}
