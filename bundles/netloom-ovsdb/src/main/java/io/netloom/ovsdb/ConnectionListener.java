package io.netloom.ovsdb;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when an {@link OvsdbSession} becomes connected (schema read, monitor started, cache resynchronized) or loses
 * its connection. Called on the session's scheduler thread, in order; must not block for long, since keep-alive and
 * reconnection wait for it.
 */
@ConsumerType
@FunctionalInterface
public interface ConnectionListener {

    /**
     * Handles a change of connection state.
     *
     * @param event the change
     */
    void onConnectionEvent(ConnectionEvent event);
}
