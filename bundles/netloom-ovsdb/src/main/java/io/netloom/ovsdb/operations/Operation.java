package io.netloom.ovsdb.operations;

import com.google.gson.JsonObject;

/**
 * One operation of a {@code transact} request (RFC 7047 section 5.2). Build one with the static factory of its class:
 * {@link Insert#into}, {@link Update#table}, {@link Mutate#table}, {@link Delete#from}, {@link Select#from},
 * {@link Wait#on} or {@link Comment#of}. Builders are mutable and not thread-safe; {@link #toJson()} snapshots them.
 */
public sealed interface Operation permits Insert, Update, Mutate, Delete, Select, Wait, Comment {

    /**
     * Returns the RFC 7047 operation name.
     *
     * @return {@code insert}, {@code update}, {@code mutate}, {@code delete}, {@code select}, {@code wait} or
     *         {@code comment}
     */
    String op();

    /**
     * Encodes the operation.
     *
     * @return a new JSON object with {@code op} and the operation's members
     * @throws IllegalStateException when the operation is incomplete, such as an update without a where clause
     */
    JsonObject toJson();
}
