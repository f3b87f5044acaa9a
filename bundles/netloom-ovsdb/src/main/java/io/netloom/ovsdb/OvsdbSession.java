package io.netloom.ovsdb;

import io.netloom.ovsdb.monitor.MonitorHandler;
import io.netloom.ovsdb.monitor.MonitorRequest;
import io.netloom.ovsdb.monitor.TableCache;
import io.netloom.ovsdb.monitor.TableUpdates;
import io.netloom.ovsdb.operations.Operation;
import io.netloom.ovsdb.operations.OperationResult;
import io.netloom.ovsdb.schema.DatabaseSchema;
import io.netloom.ovsdb.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived connection to one database of an OVSDB server, with a replicated {@link TableCache}.
 *
 * <p>The session connects in the background and, on every (re)connection, reads the schema, starts a monitor
 * ({@code monitor_cond} when the server supports it, otherwise {@code monitor}) and <em>replaces</em> the cache with
 * the server's current contents, so changes made while disconnected are never missed. A lost connection is retried
 * forever, after 1 s, then 2, 4 and 8 s between attempts (configurable), until {@link #close()}. An {@code echo} is
 * sent every echo interval (default 5 s); when the previous one is still unanswered the connection is considered
 * dead and is reconnected. The server's own {@code echo} requests are answered.
 *
 * <p>Threads: one daemon scheduler thread named {@code ovsdb-<endpoint>} (connection attempts, keep-alive, connection
 * events) and one daemon reader thread {@code ovsdb-<endpoint>-reader} per connection (replies, cache updates, cache
 * listeners). {@link #close()} stops both. Transaction futures complete on the reader thread: see {@link OvsdbClient}
 * for what that means for dependent stages.
 *
 * <pre>{@code
 * OvsdbSession session = OvsdbSession.builder(OvsdbEndpoint.parse("unix:/var/run/openvswitch/db.sock"))
 *         .monitor("Open_vSwitch", "Bridge", "Port", "Interface")
 *         .start();
 * session.awaitConnected(Duration.ofSeconds(10));
 * }</pre>
 */
public final class OvsdbSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbSession.class);
    private static final String MONITOR_ID = "netloom-cache";

    private final OvsdbEndpoint endpoint;
    private final String database;
    private final List<MonitorRequest> requested;
    private final Duration echoInterval;
    private final Duration connectTimeout;
    private final boolean useMonitorCond;
    private final Backoff backoff;
    private final TableCache cache = new TableCache();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger reconnects = new AtomicInteger();
    private final Object stateLock = new Object();

    private volatile OvsdbClient client;
    private volatile OvsdbClient connecting;
    private volatile OvsdbClient feeding;
    private volatile DatabaseSchema schema;
    private volatile Throwable lastFailure;
    private volatile Thread schedulerThread;
    private boolean closed;
    private boolean everConnected;
    private ScheduledFuture<?> keepAliveTask;
    private CompletableFuture<Void> pendingEcho;

    OvsdbSession(OvsdbSessionBuilder builder) {
        this.endpoint = builder.endpoint;
        this.database = builder.database;
        this.requested = List.copyOf(builder.requests);
        this.echoInterval = builder.echoInterval;
        this.connectTimeout = builder.connectTimeout;
        this.useMonitorCond = builder.useMonitorCond;
        this.backoff = new Backoff(builder.initialBackoff, builder.maxBackoff);
        this.connectionListeners.addAll(builder.connectionListeners);
        builder.cacheListeners.forEach(cache::addListener);
        String threadName = "ovsdb-" + endpoint;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            schedulerThread = thread;
            return thread;
        });
    }

    /**
     * Starts configuring a session.
     *
     * @param endpoint where the server listens
     * @return the builder
     */
    public static OvsdbSessionBuilder builder(OvsdbEndpoint endpoint) {
        return new OvsdbSessionBuilder(endpoint);
    }

    /** Starts connecting in the background; called once, by the builder. */
    void start() {
        scheduler.execute(this::attemptConnect);
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
     * Returns the database the session monitors and transacts on.
     *
     * @return the database name
     */
    public String database() {
        return database;
    }

    /**
     * Tells whether the session is connected, monitoring and its cache synchronized.
     *
     * @return true when transactions can be sent
     */
    public boolean isConnected() {
        OvsdbClient current = client;
        return current != null && current.isConnected();
    }

    /**
     * Returns how many times the session reconnected after losing a connection.
     *
     * @return 0 until the first reconnection
     */
    public int reconnectCount() {
        return reconnects.get();
    }

    /**
     * Waits until the session is connected and its cache synchronized. Connection listeners run on the scheduler
     * thread and may get the matching {@code CONNECTED} event just after this method returns.
     *
     * @param timeout how long to wait
     * @throws OvsdbConnectionException when not connected within the timeout (with the last connection failure as
     *                                  cause) or when the session is closed
     * @throws InterruptedException     when the calling thread is interrupted
     */
    public void awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (!isConnected()) {
                if (closed) {
                    throw new OvsdbConnectionException("session to " + endpoint + " is closed");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    Throwable failure = lastFailure;
                    throw new OvsdbConnectionException("not connected to " + endpoint + " within " + timeout
                            + (failure == null ? "" : ": " + failure.getMessage()), failure);
                }
                TimeUnit.NANOSECONDS.timedWait(stateLock, remaining);
            }
        }
    }

    /**
     * Returns the replicated tables. The cache keeps the last known contents while disconnected and is replaced as
     * a whole after each reconnection.
     *
     * @return the cache, the same object for the life of the session
     */
    public TableCache cache() {
        return cache;
    }

    /**
     * Returns the schema read on the last connection.
     *
     * @return the schema, empty before the first connection
     */
    public Optional<DatabaseSchema> schema() {
        return Optional.ofNullable(schema);
    }

    /**
     * Registers a connection listener. Register in {@link Builder#connectionListener} to be sure to see the first
     * connection.
     *
     * @param listener the listener
     */
    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters a connection listener.
     *
     * @param listener the listener
     */
    public void removeConnectionListener(ConnectionListener listener) {
        connectionListeners.remove(listener);
    }

    /**
     * Executes operations as one transaction on the session's database.
     *
     * @param operations the operations
     * @return the results, see {@link OvsdbClient#transact}; already failed with {@link OvsdbConnectionException}
     *         when the session is not connected
     * @throws IllegalStateException when an operation is incomplete
     */
    public CompletableFuture<List<OperationResult>> transact(List<? extends Operation> operations) {
        OvsdbClient current = client;
        if (current == null || !current.isConnected()) {
            return CompletableFuture.failedFuture(new OvsdbConnectionException("not connected to " + endpoint
                    + (closed() ? " (session closed)" : " (reconnecting)")));
        }
        return current.transact(database, operations);
    }

    /**
     * Executes operations as one transaction on the session's database.
     *
     * @param operations the operations
     * @return the results, see {@link #transact(List)}
     */
    public CompletableFuture<List<OperationResult>> transact(Operation... operations) {
        return transact(Arrays.asList(operations));
    }

    private boolean closed() {
        synchronized (stateLock) {
            return closed;
        }
    }

    /**
     * Stops the session: no more reconnection, the connection is closed, pending transactions fail with
     * {@link OvsdbConnectionException} and the session's threads have ended when this returns (unless called from
     * one of them). Listeners get a last {@code DISCONNECTED} event when the session was connected. Idempotent.
     */
    @Override
    public void close() {
        OvsdbClient current;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            current = client;
            client = null;
            stateLock.notifyAll();
        }
        scheduler.shutdownNow();
        OvsdbClient attempt = connecting;
        if (attempt != null) {
            attempt.close();
        }
        if (current != null) {
            current.close();
        }
        if (Thread.currentThread() != schedulerThread) {
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("scheduler of session to {} did not stop within 5 s", endpoint);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (current != null) {
            fire(new ConnectionEvent(endpoint, ConnectionEvent.State.DISCONNECTED, reconnects.get(),
                    Optional.empty()));
        }
        LOG.info("closed OVSDB session to {}", endpoint);
    }

    private void attemptConnect() {
        OvsdbClient candidate = null;
        try {
            candidate = OvsdbClient.connect(endpoint, connectTimeout);
            synchronized (stateLock) {
                if (closed) {
                    candidate.close();
                    return;
                }
                connecting = candidate;
            }
            DatabaseSchema databaseSchema = await(candidate.getSchema(database));
            List<MonitorRequest> requests = resolve(databaseSchema);
            OvsdbClient source = candidate;
            feeding = candidate;
            startMonitor(candidate, requests, updates -> onMonitorUpdate(source, databaseSchema, requests, updates));
            established(candidate, databaseSchema);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (candidate != null) {
                candidate.close();
            }
        } catch (ExecutionException e) {
            failed(candidate, e.getCause());
        } catch (TimeoutException e) {
            failed(candidate, new OvsdbConnectionException("no reply from " + endpoint + " within " + connectTimeout
                    + " while starting the session"));
        } catch (RuntimeException e) {
            failed(candidate, e);
        } finally {
            connecting = null;
        }
    }

    private <T> T await(CompletableFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startMonitor(OvsdbClient candidate, List<MonitorRequest> requests, MonitorHandler handler)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (useMonitorCond) {
            try {
                await(candidate.monitorCond(database, MONITOR_ID, requests, handler));
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof OvsdbRpcException rpc && "unknown method".equals(rpc.error()))) {
                    throw e;
                }
                LOG.info("{} does not support monitor_cond, using monitor", endpoint);
            }
        }
        await(candidate.monitor(database, MONITOR_ID, requests, handler));
    }

    private List<MonitorRequest> resolve(DatabaseSchema databaseSchema) {
        if (requested.isEmpty()) {
            return databaseSchema.tables().keySet().stream().map(table -> MonitorRequest.of(table)).toList();
        }
        List<MonitorRequest> resolved = new ArrayList<>();
        for (MonitorRequest request : requested) {
            Optional<TableSchema> table = databaseSchema.table(request.table());
            if (table.isEmpty()) {
                LOG.warn("{}: database {} has no table {}; not monitoring it", endpoint, database, request.table());
                continue;
            }
            List<String> columns = request.columns().stream().filter(c -> table.get().column(c).isPresent()).toList();
            if (columns.size() != request.columns().size()) {
                LOG.warn("{}: table {} lacks some of the columns {}; monitoring {}", endpoint, request.table(),
                        request.columns(), columns);
                if (columns.isEmpty()) {
                    continue;
                }
            }
            resolved.add(new MonitorRequest(request.table(), columns, request.where()));
        }
        return resolved;
    }

    private void onMonitorUpdate(OvsdbClient source, DatabaseSchema databaseSchema, List<MonitorRequest> requests,
            TableUpdates updates) {
        if (source != feeding) {
            return;
        }
        try {
            if (updates.initial()) {
                cache.replaceAll(databaseSchema, requests, updates);
            } else {
                cache.apply(updates);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: cache out of step with the server ({}); reconnecting to resynchronize", endpoint,
                    e.getMessage());
            source.abort(new OvsdbConnectionException("cache out of step with " + endpoint + ": " + e.getMessage(),
                    e));
        }
    }

    private void established(OvsdbClient candidate, DatabaseSchema databaseSchema) {
        int count;
        synchronized (stateLock) {
            if (closed) {
                candidate.close();
                return;
            }
            count = everConnected ? reconnects.incrementAndGet() : 0;
            everConnected = true;
            schema = databaseSchema;
            lastFailure = null;
            client = candidate;
            stateLock.notifyAll();
        }
        backoff.reset();
        pendingEcho = null;
        long echoMillis = echoInterval.toMillis();
        keepAliveTask = scheduler.scheduleWithFixedDelay(() -> keepAlive(candidate), echoMillis, echoMillis,
                TimeUnit.MILLISECONDS);
        candidate.disconnected().whenComplete((ignored, error) -> execute(() -> lost(candidate, error)));
        LOG.info("connected to {} (database {}, schema {}){}", endpoint, database, databaseSchema.version(),
                count > 0 ? ", reconnection #" + count : "");
        fire(new ConnectionEvent(endpoint, ConnectionEvent.State.CONNECTED, count, Optional.empty()));
    }

    private void keepAlive(OvsdbClient candidate) {
        if (client != candidate) {
            return;
        }
        CompletableFuture<Void> previous = pendingEcho;
        if (previous != null && !previous.isDone()) {
            LOG.warn("{}: no echo reply within {} ms; reconnecting", endpoint, echoInterval.toMillis());
            candidate.abort(new OvsdbConnectionException("no echo reply from " + endpoint + " within "
                    + echoInterval));
            return;
        }
        pendingEcho = candidate.echo();
    }

    private void lost(OvsdbClient candidate, Throwable error) {
        synchronized (stateLock) {
            if (client != candidate || closed) {
                return;
            }
            client = null;
            stateLock.notifyAll();
        }
        if (keepAliveTask != null) {
            keepAliveTask.cancel(false);
        }
        pendingEcho = null;
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                : error;
        if (cause == null) {
            cause = new OvsdbConnectionException("connection to " + endpoint + " closed");
        }
        lastFailure = cause;
        Duration delay = backoff.next();
        LOG.warn("lost connection to {} ({}); reconnecting in {} ms", endpoint, cause.getMessage(), delay.toMillis());
        fire(new ConnectionEvent(endpoint, ConnectionEvent.State.DISCONNECTED, reconnects.get(), Optional.of(cause)));
        schedule(delay);
    }

    private void failed(OvsdbClient candidate, Throwable cause) {
        if (candidate != null) {
            candidate.close();
        }
        lastFailure = cause;
        if (closed()) {
            return;
        }
        Duration delay = backoff.next();
        LOG.info("cannot connect to {} ({}); retrying in {} ms", endpoint, cause.getMessage(), delay.toMillis());
        schedule(delay);
    }

    private void schedule(Duration delay) {
        try {
            scheduler.schedule(this::attemptConnect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: session closed, not reconnecting", endpoint);
        }
    }

    private void execute(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: session closed, dropping a connection-state task", endpoint);
        }
    }

    private void fire(ConnectionEvent event) {
        for (ConnectionListener listener : connectionListeners) {
            try {
                listener.onConnectionEvent(event);
            } catch (RuntimeException e) {
                LOG.error("connection listener {} failed on {}", listener, event, e);
            }
        }
    }
}
