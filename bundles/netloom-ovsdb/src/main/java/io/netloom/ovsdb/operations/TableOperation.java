package io.netloom.ovsdb.operations;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The where clause shared by update, mutate, delete, select and wait. Operations that change rows refuse to encode
 * without an explicit clause, so a forgotten {@code where} cannot touch every row of a table.
 *
 * @param <T> the concrete builder, returned by the fluent methods
 */
abstract class TableOperation<T extends TableOperation<T>> {
    private final String table;
    private final List<Condition> where = new ArrayList<>();
    private boolean allRows;

    TableOperation(String table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    abstract T self();

    /**
     * Returns the table the operation applies to.
     *
     * @return the table name
     */
    public String table() {
        return table;
    }

    /**
     * Adds conditions to the where clause; a row matches when it satisfies all of them.
     *
     * @param conditions the conditions
     * @return this builder
     */
    public T where(Condition... conditions) {
        where.addAll(Arrays.asList(conditions));
        return self();
    }

    /**
     * Applies the operation to every row of the table, with an empty where clause.
     *
     * @return this builder
     */
    public T allRows() {
        allRows = true;
        return self();
    }

    JsonObject start(String op, boolean requireWhere) {
        if (requireWhere && where.isEmpty() && !allRows) {
            throw new IllegalStateException(op + " on table " + table
                    + " has no where clause: call where(...) or allRows()");
        }
        JsonObject json = new JsonObject();
        json.addProperty("op", op);
        json.addProperty("table", table);
        JsonArray conditions = new JsonArray(where.size());
        where.forEach(condition -> conditions.add(condition.toJson()));
        json.add("where", conditions);
        return json;
    }

    static JsonArray strings(List<String> values) {
        JsonArray json = new JsonArray(values.size());
        values.forEach(json::add);
        return json;
    }
}
