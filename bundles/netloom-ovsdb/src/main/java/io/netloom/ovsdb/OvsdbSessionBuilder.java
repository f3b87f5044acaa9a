package io.netloom.ovsdb;

import io.netloom.ovsdb.monitor.CacheListener;
import io.netloom.ovsdb.monitor.MonitorRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Configures and starts an {@link OvsdbSession}. Not thread-safe. */
public final class OvsdbSessionBuilder {
    final OvsdbEndpoint endpoint;
    final List<MonitorRequest> requests = new ArrayList<>();
    final List<ConnectionListener> connectionListeners = new ArrayList<>();
    final List<CacheListener> cacheListeners = new ArrayList<>();
    String database = "Open_vSwitch";
    Duration echoInterval = Duration.ofSeconds(5);
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration initialBackoff = Duration.ofSeconds(1);
    Duration maxBackoff = Duration.ofSeconds(8);
    boolean useMonitorCond = true;

    OvsdbSessionBuilder(OvsdbEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Sets the database; default {@code Open_vSwitch}.
     *
     * @param name the database name
     * @return this builder
     */
    public OvsdbSessionBuilder database(String name) {
        this.database = Objects.requireNonNull(name, "database");
        return this;
    }

    /**
     * Monitors every column of tables. Without any {@code monitor} call, every table of the schema is monitored.
     * Tables the server's schema lacks are skipped with a warning.
     *
     * @param tables the tables
     * @return this builder
     */
    public OvsdbSessionBuilder monitor(String... tables) {
        for (String table : tables) {
            requests.add(MonitorRequest.of(table));
        }
        return this;
    }

    /**
     * Monitors what the requests say. Columns the server's schema lacks are skipped with a warning.
     *
     * @param monitorRequests the requests
     * @return this builder
     */
    public OvsdbSessionBuilder monitor(MonitorRequest... monitorRequests) {
        requests.addAll(Arrays.asList(monitorRequests));
        return this;
    }

    /**
     * Sets the keep-alive interval: an echo is sent at this interval and a connection whose previous echo is
     * unanswered is reconnected. Default 5 s.
     *
     * @param interval positive
     * @return this builder
     */
    public OvsdbSessionBuilder echoInterval(Duration interval) {
        this.echoInterval = positive(interval, "echo interval");
        return this;
    }

    /**
     * Sets how long to wait for the socket connection and for each reply while starting the session (schema,
     * monitor). Default 5 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public OvsdbSessionBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connect timeout");
        return this;
    }

    /**
     * Sets the reconnection delays: {@code initial}, doubled after each failed attempt up to {@code max}.
     * Default 1 s and 8 s.
     *
     * @param initial positive
     * @param max     at least {@code initial}
     * @return this builder
     */
    public OvsdbSessionBuilder backoff(Duration initial, Duration max) {
        this.initialBackoff = positive(initial, "initial backoff");
        this.maxBackoff = positive(max, "max backoff");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial backoff " + initial);
        }
        return this;
    }

    /**
     * Chooses between {@code monitor_cond} (default, with a fallback to {@code monitor} on servers without it)
     * and plain {@code monitor}.
     *
     * @param enabled false to always use {@code monitor}
     * @return this builder
     */
    public OvsdbSessionBuilder useMonitorCond(boolean enabled) {
        this.useMonitorCond = enabled;
        return this;
    }

    /**
     * Adds a connection listener, registered before the first connection attempt.
     *
     * @param listener the listener
     * @return this builder
     */
    public OvsdbSessionBuilder connectionListener(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Adds a cache listener, registered before the first synchronization.
     *
     * @param listener the listener
     * @return this builder
     */
    public OvsdbSessionBuilder cacheListener(CacheListener listener) {
        cacheListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Creates the session and starts connecting in the background; use {@link OvsdbSession#awaitConnected} to
     * wait for the first connection.
     *
     * @return the session
     */
    public OvsdbSession start() {
        OvsdbSession session = new OvsdbSession(this);
        session.start();
        return session;
    }

    private static Duration positive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }
}
