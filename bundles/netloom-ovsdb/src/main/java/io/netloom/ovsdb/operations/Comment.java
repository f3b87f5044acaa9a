package io.netloom.ovsdb.operations;

import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * The {@code comment} operation: records a text in ovsdb-server's log with the transaction; changes nothing.
 *
 * @param comment the text
 */
public record Comment(String comment) implements Operation {

    /**
     * Validates the text.
     *
     * @param comment not null
     */
    public Comment {
        Objects.requireNonNull(comment, "comment");
    }

    /**
     * Creates a comment.
     *
     * @param comment the text
     * @return the operation
     */
    public static Comment of(String comment) {
        return new Comment(comment);
    }

    @Override
    public String op() {
        return "comment";
    }

    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("op", op());
        json.addProperty("comment", comment);
        return json;
    }
}
