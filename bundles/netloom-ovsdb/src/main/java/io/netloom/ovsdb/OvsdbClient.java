package io.netloom.ovsdb;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.netloom.ovsdb.jsonrpc.JsonRpcConnection;
import io.netloom.ovsdb.jsonrpc.JsonRpcHandler;
import io.netloom.ovsdb.monitor.MonitorHandler;
import io.netloom.ovsdb.monitor.MonitorRequest;
import io.netloom.ovsdb.monitor.TableUpdates;
import io.netloom.ovsdb.operations.Operation;
import io.netloom.ovsdb.operations.OperationResult;
import io.netloom.ovsdb.schema.DatabaseSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to an OVSDB server and the RFC 7047 methods over it. It does not reconnect: for a long-lived,
 * self-healing connection with a replicated cache use {@link OvsdbSession}.
 *
 * <p>Every method is asynchronous and thread-safe. Futures fail with {@link OvsdbRpcException} when the server
 * answers with an error and with {@link OvsdbConnectionException} when the connection is closed or lost first.
 * <b>They are completed on the connection's reader thread</b> (named {@code ovsdb-<endpoint>-reader}): dependent
 * stages attached without an executor must not block, in particular not on another request of this client; use the
 * {@code ...Async} variants for such work. The server's {@code echo} requests are answered automatically.
 */
public final class OvsdbClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbClient.class);

    private final OvsdbEndpoint endpoint;
    private final Map<String, MonitorRegistration> monitors = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final JsonRpcConnection connection;

    private OvsdbClient(OvsdbEndpoint endpoint, Duration connectTimeout) {
        this.endpoint = endpoint;
        this.connection = JsonRpcConnection.open(endpoint.socketAddress(), connectTimeout, "ovsdb-" + endpoint,
                new Handler());
    }

    /**
     * Connects to a server.
     *
     * @param endpoint       where the server listens
     * @param connectTimeout how long to wait for the socket connection
     * @return the connected client
     * @throws OvsdbConnectionException when the connection cannot be established
     */
    public static OvsdbClient connect(OvsdbEndpoint endpoint, Duration connectTimeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        return new OvsdbClient(endpoint, connectTimeout);
    }

    /**
     * Returns the server's endpoint.
     *
     * @return the endpoint
     */
    public OvsdbEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Tells whether the connection is open.
     *
     * @return false once closed or lost
     */
    public boolean isConnected() {
        return connection.isOpen();
    }

    /**
     * Returns a future that completes when the connection ends: normally after {@link #close()}, exceptionally with
     * an {@link OvsdbConnectionException} when the connection is lost.
     *
     * @return the future
     */
    public CompletableFuture<Void> disconnected() {
        return disconnected;
    }

    /**
     * Lists the databases of the server ({@code list_dbs}, RFC 7047 section 4.1.1).
     *
     * @return the database names, such as {@code Open_vSwitch} and {@code _Server}
     */
    public CompletableFuture<List<String>> listDbs() {
        return connection.call("list_dbs", new JsonArray()).thenApply(result -> {
            List<String> names = new ArrayList<>();
            result.getAsJsonArray().forEach(name -> names.add(name.getAsString()));
            return List.copyOf(names);
        });
    }

    /**
     * Reads a database's schema ({@code get_schema}, RFC 7047 section 4.1.2).
     *
     * @param database the database
     * @return the schema; fails with {@link OvsdbRpcException} ({@code unknown database}) for an unknown database
     */
    public CompletableFuture<DatabaseSchema> getSchema(String database) {
        return connection.call("get_schema", params(database)).thenApply(DatabaseSchema::parse);
    }

    /**
     * Executes operations as one atomic transaction ({@code transact}, RFC 7047 section 4.1.3).
     *
     * @param database   the database
     * @param operations the operations, executed in order
     * @return one result per operation; fails with {@link OvsdbTransactionException} when an operation or the
     *         commit fails (nothing was committed), with {@link OvsdbConnectionException} when the connection is lost
     *         before the reply (the transaction may or may not have been committed)
     * @throws IllegalStateException when an operation is incomplete (see {@link Operation#toJson()})
     */
    public CompletableFuture<List<OperationResult>> transact(String database, List<? extends Operation> operations) {
        List<Operation> ops = List.copyOf(operations);
        JsonArray params = params(database);
        ops.forEach(operation -> params.add(operation.toJson()));
        return connection.call("transact", params).thenApply(result -> results(database, ops, result));
    }

    private static List<OperationResult> results(String database, List<Operation> ops, JsonElement result) {
        if (!result.isJsonArray()) {
            throw new OvsdbException("transact on " + database + " returned " + result + " instead of an array");
        }
        JsonArray array = result.getAsJsonArray();
        List<OperationResult> results = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).isJsonNull()) {
                continue;
            }
            OperationResult operationResult = OperationResult.fromJson(array.get(i));
            if (operationResult.isError()) {
                boolean commit = i >= ops.size();
                throw new OvsdbTransactionException(database, i, commit ? "commit" : ops.get(i).op(),
                        operationResult.error().orElseThrow(), operationResult.details().orElse(null), results,
                        commit);
            }
            results.add(operationResult);
        }
        if (results.size() != ops.size()) {
            throw new OvsdbException("transact on " + database + " returned " + results.size() + " results for "
                    + ops.size() + " operations");
        }
        return List.copyOf(results);
    }

    /**
     * Starts an RFC 7047 {@code monitor} (section 4.1.5): the initial contents, then {@code update} notifications.
     *
     * @param database  the database
     * @param monitorId identifies the monitor on this connection
     * @param requests  the tables and columns to monitor; a request with a where clause is rejected
     * @param handler   receives the initial contents first, then every update, in order
     * @return the initial contents
     * @throws IllegalStateException when a request has a where clause
     */
    public CompletableFuture<TableUpdates> monitor(String database, String monitorId, List<MonitorRequest> requests,
            MonitorHandler handler) {
        JsonObject byTable = new JsonObject();
        for (MonitorRequest request : requests) {
            tableRequests(byTable, request.table()).add(request.toMonitorJson());
        }
        return startMonitor("monitor", TableUpdates.Format.UPDATE, database, monitorId, byTable, handler);
    }

    /**
     * Starts a {@code monitor_cond} (ovsdb-server extension, section 4.1.12 of ovsdb-server(7)): the initial
     * contents, then {@code update2} notifications whose modifications carry only the difference.
     *
     * @param database  the database
     * @param monitorId identifies the monitor on this connection
     * @param requests  the tables, columns and row conditions to monitor
     * @param handler   receives the initial contents first, then every update, in order
     * @return the initial contents; fails with {@link OvsdbRpcException} ({@code unknown method}) on a server
     *         without the extension
     */
    public CompletableFuture<TableUpdates> monitorCond(String database, String monitorId,
            List<MonitorRequest> requests, MonitorHandler handler) {
        JsonObject byTable = new JsonObject();
        for (MonitorRequest request : requests) {
            tableRequests(byTable, request.table()).add(request.toMonitorCondJson());
        }
        return startMonitor("monitor_cond", TableUpdates.Format.UPDATE2, database, monitorId, byTable, handler);
    }

    private static JsonArray tableRequests(JsonObject byTable, String table) {
        if (!byTable.has(table)) {
            byTable.add(table, new JsonArray());
        }
        return byTable.getAsJsonArray(table);
    }

    private CompletableFuture<TableUpdates> startMonitor(String method, TableUpdates.Format format, String database,
            String monitorId, JsonObject byTable, MonitorHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String key = monitorKey(new JsonPrimitive(monitorId));
        MonitorRegistration registration = new MonitorRegistration(format, handler);
        if (monitors.putIfAbsent(key, registration) != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "monitor id '" + monitorId + "' is already in use on " + endpoint));
        }
        JsonArray params = params(database);
        params.add(monitorId);
        params.add(byTable);
        CompletableFuture<TableUpdates> initial = connection.call(method, params).thenApply(result -> {
            TableUpdates updates = TableUpdates.parse(result, format, true);
            registration.deliverInitial(updates);
            return updates;
        });
        initial.whenComplete((updates, error) -> {
            if (error != null) {
                monitors.remove(key, registration);
            }
        });
        return initial;
    }

    /**
     * Cancels a monitor ({@code monitor_cancel}, RFC 7047 section 4.1.7); its handler gets no more updates.
     *
     * @param monitorId the id given when the monitor was started
     * @return completes when the server confirmed
     */
    public CompletableFuture<Void> monitorCancel(String monitorId) {
        monitors.remove(monitorKey(new JsonPrimitive(monitorId)));
        JsonArray params = new JsonArray();
        params.add(monitorId);
        return connection.call("monitor_cancel", params).thenApply(result -> null);
    }

    /**
     * Sends an {@code echo} request (RFC 7047 section 4.1.11), to check that the server is alive.
     *
     * @return completes when the server replied
     */
    public CompletableFuture<Void> echo() {
        return connection.call("echo", new JsonArray()).thenApply(result -> null);
    }

    /**
     * Closes the connection; pending requests fail with {@link OvsdbConnectionException}. Waits briefly for the
     * reader thread to end. Idempotent.
     */
    @Override
    public void close() {
        connection.close();
    }

    /** Closes the connection as lost, for example when the server stopped answering echo requests. */
    void abort(Throwable cause) {
        connection.abort(cause);
    }

    @Override
    public String toString() {
        return "OvsdbClient[" + endpoint + "]";
    }

    private static JsonArray params(String database) {
        JsonArray params = new JsonArray();
        params.add(Objects.requireNonNull(database, "database"));
        return params;
    }

    private static String monitorKey(JsonElement monitorId) {
        return monitorId.toString();
    }

    private final class Handler implements JsonRpcHandler {
        @Override
        public void onNotification(String method, JsonArray params) {
            if (("update".equals(method) || "update2".equals(method)) && params.size() == 2) {
                MonitorRegistration registration = monitors.get(monitorKey(params.get(0)));
                if (registration == null) {
                    LOG.debug("{}: {} for unknown monitor {}", endpoint, method, params.get(0));
                    return;
                }
                registration.deliverUpdate(TableUpdates.parse(params.get(1), registration.format, false));
            } else if ("monitor_canceled".equals(method) && params.size() == 1) {
                monitors.remove(monitorKey(params.get(0)));
                LOG.warn("{}: the server canceled monitor {}", endpoint, params.get(0));
            } else {
                LOG.debug("{}: ignoring notification {}", endpoint, method);
            }
        }

        @Override
        public void onClosed(Optional<Throwable> cause) {
            monitors.clear();
            if (cause.isPresent()) {
                disconnected.completeExceptionally(cause.get());
            } else {
                disconnected.complete(null);
            }
        }
    }

    /**
     * Orders a monitor's deliveries: notifications that the reader thread sees before the initial contents have
     * been handed over (possible when the reply completed before the parsing stage was attached) wait for them.
     */
    private static final class MonitorRegistration {
        private final TableUpdates.Format format;
        private final MonitorHandler handler;
        private final List<TableUpdates> early = new ArrayList<>();
        private boolean initialDelivered;

        MonitorRegistration(TableUpdates.Format format, MonitorHandler handler) {
            this.format = format;
            this.handler = handler;
        }

        synchronized void deliverInitial(TableUpdates initial) {
            handler.onUpdate(initial);
            initialDelivered = true;
            early.forEach(handler::onUpdate);
            early.clear();
        }

        synchronized void deliverUpdate(TableUpdates updates) {
            if (initialDelivered) {
                handler.onUpdate(updates);
            } else {
                early.add(updates);
            }
        }
    }
}
