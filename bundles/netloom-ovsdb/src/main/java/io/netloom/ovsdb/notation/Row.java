package io.netloom.ovsdb.notation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * A row (RFC 7047 section 5.1): column values in the Java model of {@link Notation}, read through typed getters.
 *
 * <p>Rows of the {@link io.netloom.ovsdb.monitor.TableCache} carry every monitored column (columns the server left out
 * because they hold their default are filled in) plus {@code _uuid}. Rows of a {@code select} result carry the
 * selected columns. Getters are strict: an absent column throws {@link NoSuchElementException}, a value of another
 * type throws {@link IllegalStateException}; none returns {@code null}.
 *
 * @param columns column name to decoded value
 */
public record Row(Map<String, Object> columns) {

    /**
     * Copies the columns.
     *
     * @param columns column name to decoded value, no null keys or values
     */
    public Row {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        if (columns.containsKey(null) || columns.containsValue(null)) {
            throw new IllegalArgumentException("row columns cannot be null: " + columns);
        }
    }

    /**
     * Decodes a {@code <row>} JSON object.
     *
     * @param json column name to value in OVSDB notation
     * @return the row
     * @throws IllegalArgumentException when a value is not OVSDB notation
     */
    public static Row fromJson(JsonObject json) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            columns.put(entry.getKey(), Notation.fromJson(entry.getValue()));
        }
        return new Row(columns);
    }

    /**
     * Returns a copy of this row with one column set.
     *
     * @param column the column name
     * @param value  the decoded value
     * @return a new row
     */
    public Row with(String column, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(columns);
        copy.put(column, value);
        return new Row(copy);
    }

    /**
     * Returns the row's UUID, the {@code _uuid} column.
     *
     * @return the UUID
     * @throws NoSuchElementException when the row has no {@code _uuid} column (a select without it)
     */
    public Uuid uuid() {
        return getUuid("_uuid");
    }

    /**
     * Tells whether the row has a column.
     *
     * @param column the column name
     * @return true when present
     */
    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /**
     * Returns a column's decoded value.
     *
     * @param column the column name
     * @return an atom, a {@link Set} or a {@link Map}
     * @throws NoSuchElementException when the column is absent
     */
    public Object get(String column) {
        Object value = columns.get(column);
        if (value == null) {
            throw new NoSuchElementException("row has no column '" + column + "' (columns: " + columns.keySet() + ")");
        }
        return value;
    }

    /**
     * Returns a string column.
     *
     * @param column the column name
     * @return the string
     * @throws NoSuchElementException when the column is absent or an empty optional
     * @throws IllegalStateException  when the value is not a string
     */
    public String getString(String column) {
        return scalar(column, String.class);
    }

    /**
     * Returns an integer column.
     *
     * @param column the column name
     * @return the integer
     * @throws NoSuchElementException when the column is absent or an empty optional
     * @throws IllegalStateException  when the value is not an integer
     */
    public long getLong(String column) {
        return scalar(column, Long.class);
    }

    /**
     * Returns a real column; an integer value is widened.
     *
     * @param column the column name
     * @return the number
     * @throws NoSuchElementException when the column is absent or an empty optional
     * @throws IllegalStateException  when the value is not a number
     */
    public double getDouble(String column) {
        return scalar(column, Number.class).doubleValue();
    }

    /**
     * Returns a boolean column.
     *
     * @param column the column name
     * @return the boolean
     * @throws NoSuchElementException when the column is absent or an empty optional
     * @throws IllegalStateException  when the value is not a boolean
     */
    public boolean getBoolean(String column) {
        return scalar(column, Boolean.class);
    }

    /**
     * Returns a UUID (reference) column.
     *
     * @param column the column name
     * @return the UUID
     * @throws NoSuchElementException when the column is absent or an empty optional
     * @throws IllegalStateException  when the value is not a UUID
     */
    public Uuid getUuid(String column) {
        return scalar(column, Uuid.class);
    }

    /**
     * Returns an optional string column ({@code "min": 0, "max": 1}).
     *
     * @param column the column name
     * @return the string, empty for the empty set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when the value is not a string or has more than one element
     */
    public Optional<String> getOptionalString(String column) {
        return optional(column, String.class);
    }

    /**
     * Returns an optional integer column, such as {@code Interface.ofport}.
     *
     * @param column the column name
     * @return the integer, empty for the empty set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when the value is not an integer or has more than one element
     */
    public Optional<Long> getOptionalLong(String column) {
        return optional(column, Long.class);
    }

    /**
     * Returns an optional UUID column.
     *
     * @param column the column name
     * @return the UUID, empty for the empty set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when the value is not a UUID or has more than one element
     */
    public Optional<Uuid> getOptionalUuid(String column) {
        return optional(column, Uuid.class);
    }

    /**
     * Returns a set of strings.
     *
     * @param column the column name
     * @return an unmodifiable set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when an element is not a string
     */
    public Set<String> getStringSet(String column) {
        return setOf(column, String.class);
    }

    /**
     * Returns a set of integers.
     *
     * @param column the column name
     * @return an unmodifiable set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when an element is not an integer
     */
    public Set<Long> getLongSet(String column) {
        return setOf(column, Long.class);
    }

    /**
     * Returns a set of UUIDs, such as {@code Bridge.ports}.
     *
     * @param column the column name
     * @return an unmodifiable set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when an element is not a UUID
     */
    public Set<Uuid> getUuidSet(String column) {
        return setOf(column, Uuid.class);
    }

    /**
     * Returns a map from strings to strings, such as {@code external_ids}.
     *
     * @param column the column name
     * @return an unmodifiable map
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when the value is not a map of strings
     */
    public Map<String, String> getStringMap(String column) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> entry : getMap(column).entrySet()) {
            if (!(entry.getKey() instanceof String key) || !(entry.getValue() instanceof String value)) {
                throw new IllegalStateException("column '" + column + "' is not a map of strings: " + get(column));
            }
            result.put(key, value);
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Returns a set column of any element type; a bare atom is read as a one-element set.
     *
     * @param column the column name
     * @return an unmodifiable set
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when the value is a map
     */
    public Set<Object> getSet(String column) {
        Object value = get(column);
        try {
            return Notation.asSet(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("column '" + column + "' is not a set: " + value, e);
        }
    }

    /**
     * Returns a map column of any key and value types; the empty set is read as the empty map.
     *
     * @param column the column name
     * @return an unmodifiable map
     * @throws NoSuchElementException when the column is absent
     * @throws IllegalStateException  when the value is not a map
     */
    public Map<Object, Object> getMap(String column) {
        Object value = get(column);
        try {
            return Notation.asMap(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("column '" + column + "' is not a map: " + value, e);
        }
    }

    private <T> T scalar(String column, Class<T> type) {
        return optional(column, type).orElseThrow(
                () -> new NoSuchElementException("column '" + column + "' is empty"));
    }

    private <T> Optional<T> optional(String column, Class<T> type) {
        Set<Object> set = getSet(column);
        if (set.size() > 1) {
            throw new IllegalStateException("column '" + column + "' has more than one value: " + set);
        }
        return set.stream().findFirst().map(value -> cast(column, value, type));
    }

    private <T> Set<T> setOf(String column, Class<T> type) {
        Set<T> result = new LinkedHashSet<>();
        for (Object element : getSet(column)) {
            result.add(cast(column, element, type));
        }
        return Collections.unmodifiableSet(result);
    }

    private static <T> T cast(String column, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalStateException("column '" + column + "' holds " + value.getClass().getSimpleName()
                    + " '" + value + "', not " + type.getSimpleName());
        }
        return type.cast(value);
    }
}
