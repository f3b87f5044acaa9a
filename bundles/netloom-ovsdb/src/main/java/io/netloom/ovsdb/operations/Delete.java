package io.netloom.ovsdb.operations;

import com.google.gson.JsonObject;

/**
 * The {@code delete} operation: removes every row matching the where clause. Its result carries the number of rows
 * deleted. A where clause (or {@link #allRows()}) is required. Rows of non-root tables are also removed by the server
 * once nothing references them.
 */
public final class Delete extends TableOperation<Delete> implements Operation {

    private Delete(String table) {
        super(table);
    }

    /**
     * Starts a delete.
     *
     * @param table the table
     * @return the builder
     */
    public static Delete from(String table) {
        return new Delete(table);
    }

    @Override
    Delete self() {
        return this;
    }

    @Override
    public String op() {
        return "delete";
    }

    @Override
    public JsonObject toJson() {
        return start(op(), true);
    }
}
