package io.netloom.ovsdb.monitor;

import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import java.util.Objects;
import java.util.Optional;

/**
 * The change of one row in the {@link TableCache}, with the complete row before and after.
 *
 * @param table  the table
 * @param uuid   the row's UUID
 * @param before the row before the change, empty for an inserted row
 * @param after  the row after the change, empty for a deleted row
 */
public record RowChange(String table, Uuid uuid, Optional<Row> before, Optional<Row> after) {

    /** What happened to the row. */
    public enum Kind {
        /** The row appeared. */
        INSERTED,
        /** The row's columns changed. */
        MODIFIED,
        /** The row disappeared. */
        DELETED
    }

    /**
     * Validates the components.
     *
     * @param table  not null
     * @param uuid   not null
     * @param before not null
     * @param after  not null; at least one of before and after is present
     */
    public RowChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(uuid, "uuid");
        if (before.isEmpty() && after.isEmpty()) {
            throw new IllegalArgumentException("a row change needs a row before or after");
        }
    }

    /**
     * Tells what happened to the row.
     *
     * @return inserted, modified or deleted
     */
    public Kind kind() {
        if (before.isEmpty()) {
            return Kind.INSERTED;
        }
        return after.isEmpty() ? Kind.DELETED : Kind.MODIFIED;
    }
}
