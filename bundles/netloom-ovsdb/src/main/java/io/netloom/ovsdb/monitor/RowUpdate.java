package io.netloom.ovsdb.monitor;

import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import java.util.Objects;
import java.util.Optional;

/**
 * The change of one row reported by a monitor.
 *
 * @param table the table
 * @param uuid  the row's UUID
 * @param kind  what happened to the row
 * @param row   for {@link Kind#INITIAL} and {@link Kind#INSERT} the row (with {@code update2}, columns holding their
 *              default are left out); for {@link Kind#MODIFY} the new row ({@code update}) or the difference
 *              ({@code update2}, see {@link #diff}); empty for {@link Kind#DELETE}
 * @param diff  whether {@code row} is an {@code update2} difference: for columns that may hold more than one element,
 *              set elements to toggle and map entries to add, remove or replace; for the others the new value
 */
public record RowUpdate(String table, Uuid uuid, Kind kind, Optional<Row> row, boolean diff) {

    /** What happened to a row. */
    public enum Kind {
        /** The row exists when the monitor starts. */
        INITIAL,
        /** The row was inserted. */
        INSERT,
        /** The row was deleted. */
        DELETE,
        /** The row was modified. */
        MODIFY
    }

    /**
     * Validates the components.
     *
     * @param table not null
     * @param uuid  not null
     * @param kind  not null
     * @param row   present unless the kind is {@link Kind#DELETE}
     * @param diff  only with {@link Kind#MODIFY}
     */
    public RowUpdate {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(row, "row");
        if (row.isEmpty() != (kind == Kind.DELETE)) {
            throw new IllegalArgumentException(kind + " update of " + table + " row " + uuid
                    + (row.isEmpty() ? " needs" : " cannot have") + " a row");
        }
        if (diff && kind != Kind.MODIFY) {
            throw new IllegalArgumentException("only a MODIFY update carries a difference");
        }
    }
}
