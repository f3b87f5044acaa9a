package io.netloom.ovsdb.monitor;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link TableCache} change did.
 *
 * @param type    an incremental update or a full resynchronization
 * @param changes the rows that changed; for a resync, the difference between the old and the new contents
 */
public record CacheEvent(Type type, List<RowChange> changes) {

    /** The kind of cache change. */
    public enum Type {
        /** An {@code update}/{@code update2} notification was applied. */
        UPDATE,
        /** The whole contents were replaced by a monitor's initial contents, after a (re)connection. */
        RESYNC
    }

    /**
     * Validates and copies the components.
     *
     * @param type    not null
     * @param changes not null
     */
    public CacheEvent {
        Objects.requireNonNull(type, "type");
        changes = List.copyOf(changes);
    }
}
