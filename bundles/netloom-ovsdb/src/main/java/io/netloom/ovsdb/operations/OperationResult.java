package io.netloom.ovsdb.operations;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.netloom.ovsdb.notation.Notation;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one operation of a transaction (RFC 7047 section 5.2): the new row's UUID for an insert, the rows
 * for a select, the number of matching rows for an update, mutate or delete, nothing for wait and comment. Results
 * handed to callers of {@code transact} never carry an error: a failing operation fails the whole transaction with
 * an {@link io.netloom.ovsdb.OvsdbTransactionException}.
 *
 * @param uuid    the UUID of the inserted row
 * @param rows    the selected rows, empty for other operations
 * @param count   the number of rows updated, mutated or deleted
 * @param error   the error string of a failed operation
 * @param details the details of a failed operation
 */
public record OperationResult(Optional<Uuid> uuid, List<Row> rows, Optional<Long> count, Optional<String> error,
        Optional<String> details) {

    /**
     * Validates and copies the components.
     *
     * @param uuid    not null
     * @param rows    not null
     * @param count   not null
     * @param error   not null
     * @param details not null
     */
    public OperationResult {
        Objects.requireNonNull(uuid, "uuid");
        rows = List.copyOf(rows);
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(details, "details");
    }

    /**
     * Decodes one element of a {@code transact} result array.
     *
     * @param json a JSON object with any of {@code uuid}, {@code rows}, {@code count}, {@code error},
     *             {@code details}
     * @return the result
     * @throws IllegalArgumentException when the JSON is not an operation result
     */
    public static OperationResult fromJson(JsonElement json) {
        if (json == null || !json.isJsonObject()) {
            throw new IllegalArgumentException("not an OVSDB operation result: " + json);
        }
        JsonObject object = json.getAsJsonObject();
        Optional<Uuid> uuid = Optional.empty();
        if (object.has("uuid")) {
            Object value = Notation.fromJson(object.get("uuid"));
            if (!(value instanceof Uuid u)) {
                throw new IllegalArgumentException("operation result uuid is not a UUID: " + object.get("uuid"));
            }
            uuid = Optional.of(u);
        }
        List<Row> rows = new ArrayList<>();
        if (object.has("rows")) {
            for (JsonElement row : object.getAsJsonArray("rows")) {
                rows.add(Row.fromJson(row.getAsJsonObject()));
            }
        }
        Optional<Long> count = object.has("count") ? Optional.of(object.get("count").getAsLong()) : Optional.empty();
        return new OperationResult(uuid, rows, count, string(object, "error"), string(object, "details"));
    }

    private static Optional<String> string(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value == null || value.isJsonNull() ? Optional.empty() : Optional.of(value.getAsString());
    }

    /**
     * Tells whether the operation failed.
     *
     * @return true when an error is present
     */
    public boolean isError() {
        return error.isPresent();
    }

    /**
     * Returns the UUID of the inserted row.
     *
     * @return the UUID
     * @throws IllegalStateException when the result is not that of an insert
     */
    public Uuid insertedUuid() {
        return uuid.orElseThrow(() -> new IllegalStateException("operation result has no uuid: not an insert"));
    }
}
