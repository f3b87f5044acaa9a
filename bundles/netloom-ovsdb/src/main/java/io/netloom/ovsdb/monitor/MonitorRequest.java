package io.netloom.ovsdb.monitor;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.netloom.ovsdb.operations.Condition;
import java.util.List;
import java.util.Objects;

/**
 * What to monitor in one table: some or all columns and, with {@code monitor_cond} only, the rows matching a where
 * clause. Initial contents, inserts, deletes and modifications are all requested.
 *
 * @param table   the table
 * @param columns the columns; empty for every column
 * @param where   conditions a row must all satisfy to be replicated; empty for every row
 */
public record MonitorRequest(String table, List<String> columns, List<Condition> where) {

    /**
     * Validates and copies the components.
     *
     * @param table   not null
     * @param columns not null
     * @param where   not null
     */
    public MonitorRequest {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        where = List.copyOf(where);
    }

    /**
     * Monitors columns of every row of a table.
     *
     * @param table   the table
     * @param columns the columns; none for every column
     * @return the request
     */
    public static MonitorRequest of(String table, String... columns) {
        return new MonitorRequest(table, List.of(columns), List.of());
    }

    /**
     * Returns a copy restricted to the rows matching the conditions (honoured by {@code monitor_cond} only).
     *
     * @param conditions the conditions
     * @return a new request
     */
    public MonitorRequest withWhere(Condition... conditions) {
        return new MonitorRequest(table, columns, List.of(conditions));
    }

    /**
     * Encodes the request as an RFC 7047 {@code <monitor-request>} ({@code monitor}).
     *
     * @return a new JSON object with {@code columns} when columns are given
     * @throws IllegalStateException when the request has a where clause, which {@code monitor} cannot express
     */
    public JsonObject toMonitorJson() {
        if (!where.isEmpty()) {
            throw new IllegalStateException("monitor request on " + table
                    + " has a where clause: only monitor_cond supports it");
        }
        return columnsJson();
    }

    /**
     * Encodes the request as a {@code <monitor-cond-request>} ({@code monitor_cond}).
     *
     * @return a new JSON object with {@code columns} and {@code where} when given
     */
    public JsonObject toMonitorCondJson() {
        JsonObject json = columnsJson();
        if (!where.isEmpty()) {
            JsonArray conditions = new JsonArray(where.size());
            where.forEach(condition -> conditions.add(condition.toJson()));
            json.add("where", conditions);
        }
        return json;
    }

    private JsonObject columnsJson() {
        JsonObject json = new JsonObject();
        if (!columns.isEmpty()) {
            JsonArray names = new JsonArray(columns.size());
            columns.forEach(names::add);
            json.add("columns", names);
        }
        return json;
    }
}
