package io.netloom.ovsdb.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the updates of one monitor: first the initial contents (the reply to the monitor request, with
 * {@link TableUpdates#initial()} true), then each {@code update}/{@code update2} notification, in order. Called on
 * the connection's reader thread (or, for the initial contents, on the thread that saw the reply first); must not
 * block. {@link TableCache} is the usual implementation target.
 */
@ConsumerType
@FunctionalInterface
public interface MonitorHandler {

    /**
     * Handles one batch of row updates, all from one committed transaction (or the initial contents).
     *
     * @param updates the updates
     */
    void onUpdate(TableUpdates updates);
}
