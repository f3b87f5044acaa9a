package io.netloom.ovsdb.monitor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The row updates of one monitor reply or notification.
 *
 * @param initial whether this is the initial contents (the reply to the monitor request)
 * @param updates the row updates, grouped by table in the order the server sent them
 */
public record TableUpdates(boolean initial, List<RowUpdate> updates) {

    /** The JSON format of the updates. */
    public enum Format {
        /** RFC 7047 {@code <table-updates>}: {@code monitor} replies and {@code update} notifications. */
        UPDATE,
        /** {@code <table-updates2>}: {@code monitor_cond} replies and {@code update2} notifications. */
        UPDATE2
    }

    /**
     * Copies the updates.
     *
     * @param initial as received
     * @param updates not null
     */
    public TableUpdates {
        updates = List.copyOf(updates);
    }

    /**
     * Parses a {@code <table-updates>} or {@code <table-updates2>} object.
     *
     * @param json    table name to row UUID to row update
     * @param format  the format of the object
     * @param initial whether it is the reply to the monitor request
     * @return the updates
     * @throws IllegalArgumentException when the JSON does not have the format
     */
    public static TableUpdates parse(JsonElement json, Format format, boolean initial) {
        if (json == null || !json.isJsonObject()) {
            throw new IllegalArgumentException("not a table-updates object: " + json);
        }
        List<RowUpdate> updates = new ArrayList<>();
        for (Map.Entry<String, JsonElement> table : json.getAsJsonObject().entrySet()) {
            for (Map.Entry<String, JsonElement> row : table.getValue().getAsJsonObject().entrySet()) {
                Uuid uuid = Uuid.of(row.getKey());
                JsonObject update = row.getValue().getAsJsonObject();
                updates.add(format == Format.UPDATE
                        ? parseUpdate(table.getKey(), uuid, update, initial)
                        : parseUpdate2(table.getKey(), uuid, update));
            }
        }
        return new TableUpdates(initial, updates);
    }

    private static RowUpdate parseUpdate(String table, Uuid uuid, JsonObject update, boolean initial) {
        Optional<Row> newRow = row(update, "new", uuid);
        if (newRow.isEmpty()) {
            return new RowUpdate(table, uuid, RowUpdate.Kind.DELETE, Optional.empty(), false);
        }
        RowUpdate.Kind kind = update.has("old") ? RowUpdate.Kind.MODIFY
                : initial ? RowUpdate.Kind.INITIAL : RowUpdate.Kind.INSERT;
        return new RowUpdate(table, uuid, kind, newRow, false);
    }

    private static RowUpdate parseUpdate2(String table, Uuid uuid, JsonObject update) {
        if (update.has("initial")) {
            return new RowUpdate(table, uuid, RowUpdate.Kind.INITIAL, row(update, "initial", uuid), false);
        }
        if (update.has("insert")) {
            return new RowUpdate(table, uuid, RowUpdate.Kind.INSERT, row(update, "insert", uuid), false);
        }
        if (update.has("modify")) {
            return new RowUpdate(table, uuid, RowUpdate.Kind.MODIFY, row(update, "modify", uuid), true);
        }
        if (update.has("delete")) {
            return new RowUpdate(table, uuid, RowUpdate.Kind.DELETE, Optional.empty(), false);
        }
        throw new IllegalArgumentException("row update of " + table + " " + uuid
                + " has none of initial, insert, modify, delete: " + update);
    }

    private static Optional<Row> row(JsonObject update, String member, Uuid uuid) {
        JsonElement json = update.get(member);
        if (json == null || json.isJsonNull()) {
            return Optional.empty();
        }
        return Optional.of(Row.fromJson(json.getAsJsonObject()).with("_uuid", uuid));
    }
}
