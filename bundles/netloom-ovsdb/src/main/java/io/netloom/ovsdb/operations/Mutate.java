package io.netloom.ovsdb.operations;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.netloom.ovsdb.notation.Notation;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mutate} operation: changes columns relative to their current value (add elements to a set or entries
 * to a map, remove them, add to a number) in every row matching the where clause, without reading them first. Its
 * result carries the number of matching rows. A where clause (or {@link #allRows()}) is required.
 */
public final class Mutate extends TableOperation<Mutate> implements Operation {
    private final List<Mutation> mutations = new ArrayList<>();

    private Mutate(String table) {
        super(table);
    }

    /**
     * Starts a mutate.
     *
     * @param table the table
     * @return the builder
     */
    public static Mutate table(String table) {
        return new Mutate(table);
    }

    /**
     * Adds a mutation.
     *
     * @param column  the column
     * @param mutator the mutator
     * @param value   the operand in the Java model of {@link Notation}
     * @return this builder
     */
    public Mutate mutation(String column, Mutation.Mutator mutator, Object value) {
        mutations.add(new Mutation(column, mutator, value));
        return this;
    }

    /**
     * Inserts elements into a set column (an atom, a {@link java.util.Set} or a named UUID) or entries into a map
     * column (a {@link java.util.Map}; keys already present keep their value).
     *
     * @param column the column
     * @param value  the elements or entries
     * @return this builder
     */
    public Mutate insert(String column, Object value) {
        return mutation(column, Mutation.Mutator.INSERT, value);
    }

    /**
     * Deletes elements from a set column, or from a map column either keys (a {@link java.util.Set} or an atom) or
     * exact key-value pairs (a {@link java.util.Map}).
     *
     * @param column the column
     * @param value  the elements, keys or entries
     * @return this builder
     */
    public Mutate delete(String column, Object value) {
        return mutation(column, Mutation.Mutator.DELETE, value);
    }

    /**
     * Adds to an integer or real column ({@code +=}).
     *
     * @param column the column
     * @param amount the amount
     * @return this builder
     */
    public Mutate add(String column, Number amount) {
        return mutation(column, Mutation.Mutator.ADD, amount);
    }

    @Override
    Mutate self() {
        return this;
    }

    @Override
    public String op() {
        return "mutate";
    }

    @Override
    public JsonObject toJson() {
        if (mutations.isEmpty()) {
            throw new IllegalStateException("mutate on table " + table() + " has no mutation");
        }
        JsonObject json = start(op(), true);
        JsonArray array = new JsonArray(mutations.size());
        mutations.forEach(mutation -> array.add(mutation.toJson()));
        json.add("mutations", array);
        return json;
    }
}
