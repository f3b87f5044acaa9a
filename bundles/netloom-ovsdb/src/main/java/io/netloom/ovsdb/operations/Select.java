package io.netloom.ovsdb.operations;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code select} operation: reads the rows matching the where clause (every row without one). Its result carries
 * the rows, with the selected columns (all columns, {@code _uuid} and {@code _version} included, when none is named).
 */
public final class Select extends TableOperation<Select> implements Operation {
    private final List<String> columns = new ArrayList<>();

    private Select(String table) {
        super(table);
    }

    /**
     * Starts a select.
     *
     * @param table the table
     * @return the builder
     */
    public static Select from(String table) {
        return new Select(table);
    }

    /**
     * Restricts the columns returned.
     *
     * @param names the columns; add {@code _uuid} to read row UUIDs
     * @return this builder
     */
    public Select columns(String... names) {
        columns.addAll(Arrays.asList(names));
        return this;
    }

    @Override
    Select self() {
        return this;
    }

    @Override
    public String op() {
        return "select";
    }

    @Override
    public JsonObject toJson() {
        JsonObject json = start(op(), false);
        if (!columns.isEmpty()) {
            json.add("columns", strings(columns));
        }
        return json;
    }
}
