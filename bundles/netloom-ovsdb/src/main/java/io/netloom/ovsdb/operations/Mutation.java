package io.netloom.ovsdb.operations;

import com.google.gson.JsonArray;
import io.netloom.ovsdb.notation.Notation;
import java.util.Objects;

/**
 * A mutation of a {@code mutate} operation (RFC 7047 section 5.1 {@code <mutation>}):
 * {@code [column, mutator, value]}.
 *
 * @param column  the column to change
 * @param mutator how to change it
 * @param value   the operand in the Java model of {@link Notation}
 */
public record Mutation(String column, Mutator mutator, Object value) {

    /** The mutators of RFC 7047. */
    public enum Mutator {
        /** {@code +=} on integers and reals (element-wise on sets). */
        ADD("+="),
        /** {@code -=}. */
        SUBTRACT("-="),
        /** {@code *=}. */
        MULTIPLY("*="),
        /** {@code /=}. */
        DIVIDE("/="),
        /** {@code %=} on integers. */
        MODULO("%="),
        /** Adds elements to a set, or key-value pairs whose key is absent to a map. */
        INSERT("insert"),
        /** Removes elements from a set; removes keys (a set) or key-value pairs (a map) from a map. */
        DELETE("delete");

        private final String symbol;

        Mutator(String symbol) {
            this.symbol = symbol;
        }

        /**
         * Returns the mutator as written in JSON.
         *
         * @return such as {@code +=} or {@code insert}
         */
        public String symbol() {
            return symbol;
        }
    }

    /**
     * Validates the components.
     *
     * @param column  not null
     * @param mutator not null
     * @param value   not null
     */
    public Mutation {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(mutator, "mutator");
        Objects.requireNonNull(value, "value of mutation on " + column);
    }

    /**
     * Encodes the mutation.
     *
     * @return {@code [column, mutator, value]}
     */
    public JsonArray toJson() {
        JsonArray json = new JsonArray(3);
        json.add(column);
        json.add(mutator.symbol());
        json.add(Notation.toJson(value));
        return json;
    }
}
