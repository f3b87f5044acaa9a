package io.netloom.ovsdb.monitor;

import io.netloom.ovsdb.notation.Notation;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import io.netloom.ovsdb.schema.ColumnSchema;
import io.netloom.ovsdb.schema.ColumnType;
import io.netloom.ovsdb.schema.DatabaseSchema;
import io.netloom.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local replica of monitored tables: rows by table and UUID, fed by a monitor's initial contents
 * ({@link #replaceAll}) and its notifications ({@link #apply}).
 *
 * <p>Reads are lock-free and consistent: the contents are immutable maps replaced as a whole on each change (copy on
 * write per changed table), so a map returned by {@link #rows} never changes under the reader; call again to see
 * later changes. Writes are serialized. Rows carry {@code _uuid} and every monitored column: columns the server left
 * out because they hold their default value are filled in from the schema, and values are stored in canonical form
 * (a {@link Set} for every column that is not a scalar, including optional ones; a {@link Map} for maps).
 */
public final class TableCache {
    private static final Logger LOG = LoggerFactory.getLogger(TableCache.class);

    private volatile Map<String, Map<Uuid, Row>> tables = Map.of();
    private final List<CacheListener> listeners = new CopyOnWriteArrayList<>();
    private DatabaseSchema schema;
    private Map<String, List<String>> monitoredColumns = Map.of();

    /** Creates an empty cache; it holds nothing until {@link #replaceAll} is called. */
    public TableCache() {
    }

    /**
     * Returns the monitored tables.
     *
     * @return the table names, empty before the first {@link #replaceAll}
     */
    public Set<String> tables() {
        return tables.keySet();
    }

    /**
     * Returns a snapshot of a table's rows.
     *
     * @param table the table
     * @return an immutable map from UUID to row; empty when the table has no rows or is not monitored
     */
    public Map<Uuid, Row> rows(String table) {
        return tables.getOrDefault(table, Map.of());
    }

    /**
     * Looks a row up by UUID.
     *
     * @param table the table
     * @param uuid  the row's UUID
     * @return the row, empty when absent
     */
    public Optional<Row> row(String table, Uuid uuid) {
        return Optional.ofNullable(rows(table).get(uuid));
    }

    /**
     * Returns the rows of a table that match a filter.
     *
     * @param table  the table
     * @param filter the filter, such as {@code r -> r.getString("name").equals("br0")}
     * @return the matching rows, in no particular order
     */
    public List<Row> select(String table, Predicate<? super Row> filter) {
        return rows(table).values().stream().filter(filter).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns a row of a table that matches a filter, for filters on a unique column such as a bridge name.
     *
     * @param table  the table
     * @param filter the filter
     * @return a matching row, empty when none matches
     */
    public Optional<Row> findFirst(String table, Predicate<? super Row> filter) {
        return rows(table).values().stream().filter(filter).findFirst();
    }

    /**
     * Registers a listener, told after each change.
     *
     * @param listener the listener
     */
    public void addListener(CacheListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters a listener.
     *
     * @param listener the listener
     */
    public void removeListener(CacheListener listener) {
        listeners.remove(listener);
    }

    /**
     * Replaces the whole contents with a monitor's initial contents (a full resynchronization) and tells the
     * listeners, with the difference between the old and new contents.
     *
     * @param schema   the schema of the monitored database, used to interpret later differences
     * @param requests what is monitored, to know which columns to fill in
     * @param initial  the initial contents
     * @return the event given to listeners
     * @throws IllegalArgumentException when the contents hold other updates than initial rows, or values that do
     *                                  not fit the schema
     */
    public synchronized CacheEvent replaceAll(DatabaseSchema schema, List<MonitorRequest> requests,
            TableUpdates initial) {
        Objects.requireNonNull(schema, "schema");
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (MonitorRequest request : requests) {
            columns.put(request.table(), request.columns());
        }
        this.schema = schema;
        this.monitoredColumns = columns;
        Map<String, Map<Uuid, Row>> next = new LinkedHashMap<>();
        columns.keySet().forEach(table -> next.put(table, new LinkedHashMap<>()));
        for (RowUpdate update : initial.updates()) {
            if (update.kind() != RowUpdate.Kind.INITIAL && update.kind() != RowUpdate.Kind.INSERT) {
                throw new IllegalArgumentException("initial contents hold a " + update.kind() + " update of "
                        + update.table() + " row " + update.uuid());
            }
            next.computeIfAbsent(update.table(), table -> new LinkedHashMap<>())
                    .put(update.uuid(), complete(update.table(), update.row().orElseThrow()));
        }
        Map<String, Map<Uuid, Row>> previous = tables;
        Map<String, Map<Uuid, Row>> frozen = new LinkedHashMap<>();
        next.forEach((table, rows) -> frozen.put(table, Collections.unmodifiableMap(rows)));
        tables = Collections.unmodifiableMap(frozen);
        CacheEvent event = new CacheEvent(CacheEvent.Type.RESYNC, difference(previous, tables));
        LOG.debug("cache resynchronized: {} tables, {} changed rows", frozen.size(), event.changes().size());
        notifyListeners(event);
        return event;
    }

    /**
     * Applies a monitor notification and tells the listeners. The change is atomic: when it fails, the contents
     * stay as they were and the caller should resynchronize.
     *
     * @param updates the updates of one notification
     * @return the event given to listeners
     * @throws IllegalStateException    when the cache was never filled, or an update modifies or deletes a row it
     *                                  does not hold (the cache is out of step with the server)
     * @throws IllegalArgumentException when a value does not fit the schema
     */
    public synchronized CacheEvent apply(TableUpdates updates) {
        if (schema == null) {
            throw new IllegalStateException("cache has no contents yet: replaceAll must come first");
        }
        Map<String, Map<Uuid, Row>> current = tables;
        Map<String, Map<Uuid, Row>> changed = new HashMap<>();
        List<RowChange> changes = new ArrayList<>();
        for (RowUpdate update : updates.updates()) {
            Map<Uuid, Row> rows = changed.computeIfAbsent(update.table(),
                    table -> new LinkedHashMap<>(current.getOrDefault(table, Map.of())));
            Row before = rows.get(update.uuid());
            Row after = switch (update.kind()) {
                case INITIAL, INSERT -> complete(update.table(), update.row().orElseThrow());
                case DELETE -> null;
                case MODIFY -> {
                    if (before == null) {
                        throw new IllegalStateException("modify of " + update.table() + " row " + update.uuid()
                                + " that the cache does not hold");
                    }
                    yield update.diff() ? applyDiff(update.table(), before, update.row().orElseThrow())
                            : complete(update.table(), overlay(before, update.row().orElseThrow()));
                }
            };
            if (after == null) {
                if (before == null) {
                    throw new IllegalStateException("delete of " + update.table() + " row " + update.uuid()
                            + " that the cache does not hold");
                }
                rows.remove(update.uuid());
            } else {
                rows.put(update.uuid(), after);
            }
            changes.add(new RowChange(update.table(), update.uuid(), Optional.ofNullable(before),
                    Optional.ofNullable(after)));
        }
        Map<String, Map<Uuid, Row>> next = new LinkedHashMap<>(current);
        changed.forEach((table, rows) -> next.put(table, Collections.unmodifiableMap(rows)));
        tables = Collections.unmodifiableMap(next);
        CacheEvent event = new CacheEvent(CacheEvent.Type.UPDATE, changes);
        notifyListeners(event);
        return event;
    }

    private void notifyListeners(CacheEvent event) {
        for (CacheListener listener : listeners) {
            try {
                listener.onCacheEvent(event);
            } catch (RuntimeException e) {
                LOG.error("cache listener {} failed on a {} event", listener, event.type(), e);
            }
        }
    }

    private static Row overlay(Row before, Row newer) {
        Map<String, Object> columns = new LinkedHashMap<>(before.columns());
        columns.putAll(newer.columns());
        return new Row(columns);
    }

    /** Canonicalizes the values and fills in monitored columns left out because they hold their default. */
    private Row complete(String table, Row row) {
        TableSchema tableSchema = schema.table(table).orElse(null);
        if (tableSchema == null) {
            return row;
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : row.columns().entrySet()) {
            Optional<ColumnSchema> column = tableSchema.column(entry.getKey());
            columns.put(entry.getKey(), column.isPresent()
                    ? canonical(table, column.get(), entry.getValue()) : entry.getValue());
        }
        List<String> monitored = monitoredColumns.getOrDefault(table, List.of());
        for (ColumnSchema column : tableSchema.columns().values()) {
            boolean isMonitored = monitored.isEmpty() ? !column.name().startsWith("_")
                    : monitored.contains(column.name());
            if (isMonitored) {
                columns.putIfAbsent(column.name(), column.type().defaultValue());
            }
        }
        return new Row(columns);
    }

    private static Object canonical(String table, ColumnSchema column, Object value) {
        ColumnType type = column.type();
        try {
            if (type.isMap()) {
                return Notation.asMap(value);
            }
            if (type.isScalar()) {
                return Notation.asOptional(value).orElseThrow(
                        () -> new IllegalArgumentException("empty value for a scalar column"));
            }
            return Notation.asSet(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value " + value + " of " + table + "." + column.name()
                    + " does not fit its type: " + e.getMessage(), e);
        }
    }

    /**
     * Applies an {@code update2} difference as ovsdb-server defines it: for columns holding at most one element the
     * difference is the new value; for sets, elements present in the difference are toggled; for maps, a key absent
     * from the row is added, a key present with the same value is removed, a key present with another value gets
     * the new value.
     */
    private Row applyDiff(String table, Row before, Row diff) {
        TableSchema tableSchema = schema.requireTable(table);
        Map<String, Object> columns = new LinkedHashMap<>(before.columns());
        for (Map.Entry<String, Object> entry : diff.columns().entrySet()) {
            String name = entry.getKey();
            if ("_uuid".equals(name)) {
                continue;
            }
            ColumnSchema column = tableSchema.column(name).orElseThrow(() -> new IllegalStateException(
                    "difference for unknown column " + table + "." + name));
            Object old = columns.getOrDefault(name, column.type().defaultValue());
            columns.put(name, applyColumnDiff(table, column, old, entry.getValue()));
        }
        return new Row(columns);
    }

    private static Object applyColumnDiff(String table, ColumnSchema column, Object old, Object diff) {
        ColumnType type = column.type();
        if (!type.isComposite()) {
            return canonical(table, column, diff);
        }
        if (type.isMap()) {
            Map<Object, Object> result = new LinkedHashMap<>(Notation.asMap(old));
            for (Map.Entry<Object, Object> entry : Notation.asMap(diff).entrySet()) {
                if (entry.getValue().equals(result.get(entry.getKey()))) {
                    result.remove(entry.getKey());
                } else {
                    result.put(entry.getKey(), entry.getValue());
                }
            }
            return Collections.unmodifiableMap(result);
        }
        Set<Object> result = new LinkedHashSet<>(Notation.asSet(old));
        for (Object element : Notation.asSet(diff)) {
            if (!result.remove(element)) {
                result.add(element);
            }
        }
        return Collections.unmodifiableSet(result);
    }

    private static List<RowChange> difference(Map<String, Map<Uuid, Row>> before, Map<String, Map<Uuid, Row>> after) {
        List<RowChange> changes = new ArrayList<>();
        Set<String> tableNames = new LinkedHashSet<>(before.keySet());
        tableNames.addAll(after.keySet());
        for (String table : tableNames) {
            Map<Uuid, Row> oldRows = before.getOrDefault(table, Map.of());
            Map<Uuid, Row> newRows = after.getOrDefault(table, Map.of());
            for (Map.Entry<Uuid, Row> entry : oldRows.entrySet()) {
                Row now = newRows.get(entry.getKey());
                if (!entry.getValue().equals(now)) {
                    changes.add(new RowChange(table, entry.getKey(), Optional.of(entry.getValue()),
                            Optional.ofNullable(now)));
                }
            }
            for (Map.Entry<Uuid, Row> entry : newRows.entrySet()) {
                if (!oldRows.containsKey(entry.getKey())) {
                    changes.add(new RowChange(table, entry.getKey(), Optional.empty(), Optional.of(entry.getValue())));
                }
            }
        }
        return changes;
    }
}
