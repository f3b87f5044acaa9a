package io.netloom.ovsdb.operations;

import com.google.gson.JsonArray;
import io.netloom.ovsdb.notation.Notation;
import io.netloom.ovsdb.notation.Uuid;
import java.util.Objects;

/**
 * A condition of a where clause (RFC 7047 section 5.1 {@code <condition>}): {@code [column, function, value]}.
 *
 * @param column   the column, {@code _uuid} included
 * @param function the comparison
 * @param value    the value in the Java model of {@link Notation}
 */
public record Condition(String column, Function function, Object value) {

    /** The comparison functions of RFC 7047. */
    public enum Function {
        /** Equal. */
        EQUAL("=="),
        /** Not equal. */
        NOT_EQUAL("!="),
        /** Less than (integers and reals). */
        LESS_THAN("<"),
        /** Less than or equal (integers and reals). */
        LESS_THAN_OR_EQUAL("<="),
        /** Greater than (integers and reals). */
        GREATER_THAN(">"),
        /** Greater than or equal (integers and reals). */
        GREATER_THAN_OR_EQUAL(">="),
        /** The column's set or map contains every element of the value. */
        INCLUDES("includes"),
        /** The column's set or map contains no element of the value. */
        EXCLUDES("excludes");

        private final String symbol;

        Function(String symbol) {
            this.symbol = symbol;
        }

        /**
         * Returns the function as written in JSON.
         *
         * @return such as {@code ==} or {@code includes}
         */
        public String symbol() {
            return symbol;
        }
    }

    /**
     * Validates the components.
     *
     * @param column   not null
     * @param function not null
     * @param value    not null
     */
    public Condition {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(value, "value of condition on " + column);
    }

    /**
     * Creates {@code column == value}.
     *
     * @param column the column
     * @param value  the value
     * @return the condition
     */
    public static Condition equal(String column, Object value) {
        return new Condition(column, Function.EQUAL, value);
    }

    /**
     * Creates {@code column != value}.
     *
     * @param column the column
     * @param value  the value
     * @return the condition
     */
    public static Condition notEqual(String column, Object value) {
        return new Condition(column, Function.NOT_EQUAL, value);
    }

    /**
     * Creates {@code column includes value}.
     *
     * @param column a set or map column
     * @param value  the elements (or an atom, or a map) that must all be present
     * @return the condition
     */
    public static Condition includes(String column, Object value) {
        return new Condition(column, Function.INCLUDES, value);
    }

    /**
     * Creates {@code column excludes value}.
     *
     * @param column a set or map column
     * @param value  the elements (or an atom, or a map) that must all be absent
     * @return the condition
     */
    public static Condition excludes(String column, Object value) {
        return new Condition(column, Function.EXCLUDES, value);
    }

    /**
     * Creates {@code column < value}.
     *
     * @param column an integer or real column
     * @param value  the bound
     * @return the condition
     */
    public static Condition lessThan(String column, Number value) {
        return new Condition(column, Function.LESS_THAN, value);
    }

    /**
     * Creates {@code column <= value}.
     *
     * @param column an integer or real column
     * @param value  the bound
     * @return the condition
     */
    public static Condition lessThanOrEqual(String column, Number value) {
        return new Condition(column, Function.LESS_THAN_OR_EQUAL, value);
    }

    /**
     * Creates {@code column >= value}.
     *
     * @param column an integer or real column
     * @param value  the bound
     * @return the condition
     */
    public static Condition greaterThanOrEqual(String column, Number value) {
        return new Condition(column, Function.GREATER_THAN_OR_EQUAL, value);
    }

    /**
     * Creates {@code column > value}.
     *
     * @param column an integer or real column
     * @param value  the bound
     * @return the condition
     */
    public static Condition greaterThan(String column, Number value) {
        return new Condition(column, Function.GREATER_THAN, value);
    }

    /**
     * Creates {@code _uuid == uuid}, selecting one row.
     *
     * @param uuid the row's UUID
     * @return the condition
     */
    public static Condition uuidIs(Uuid uuid) {
        return new Condition("_uuid", Function.EQUAL, uuid);
    }

    /**
     * Encodes the condition.
     *
     * @return {@code [column, function, value]}
     */
    public JsonArray toJson() {
        JsonArray json = new JsonArray(3);
        json.add(column);
        json.add(function.symbol());
        json.add(Notation.toJson(value));
        return json;
    }
}
