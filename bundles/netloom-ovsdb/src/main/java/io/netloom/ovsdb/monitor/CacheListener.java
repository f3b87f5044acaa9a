package io.netloom.ovsdb.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told after each change of a {@link TableCache} has been applied, so reads from the listener see the new contents.
 * Called on the thread that applied the change (the connection's reader thread for a session); must not block:
 * hand work that transacts or waits to another executor.
 */
@ConsumerType
@FunctionalInterface
public interface CacheListener {

    /**
     * Handles a cache change.
     *
     * @param event the change
     */
    void onCacheEvent(CacheEvent event);
}
