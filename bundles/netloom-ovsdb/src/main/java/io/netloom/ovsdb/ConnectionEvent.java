package io.netloom.ovsdb;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of an {@link OvsdbSession}'s connection state.
 *
 * @param endpoint       the server
 * @param state          the new state
 * @param reconnectCount how many times the session has reconnected after losing a connection (0 on the first
 *                       connection)
 * @param cause          for {@link State#DISCONNECTED}, why the connection was lost; empty when the session was
 *                       closed
 */
public record ConnectionEvent(OvsdbEndpoint endpoint, State state, int reconnectCount, Optional<Throwable> cause) {

    /** The connection states reported to listeners. */
    public enum State {
        /** Connected, monitoring, and the cache holds the server's current contents. */
        CONNECTED,
        /** The connection was lost or the session closed; the cache keeps the last known contents. */
        DISCONNECTED
    }

    /**
     * Validates the components.
     *
     * @param endpoint       not null
     * @param state          not null
     * @param reconnectCount not negative
     * @param cause          not null
     */
    public ConnectionEvent {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(cause, "cause");
        if (reconnectCount < 0) {
            throw new IllegalArgumentException("reconnectCount must not be negative");
        }
    }
}
