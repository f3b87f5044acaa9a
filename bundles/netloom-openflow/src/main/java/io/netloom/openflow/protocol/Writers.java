package io.netloom.openflow.protocol;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * How the values of one sealed family (messages, instructions, actions) are written: one entry per concrete type,
 * holding its encoded length and its encoder, looked up by the value's class. A type without an entry is refused
 * with an exception, never written with a guessed length; {@code OpenFlowCodecTest} checks that every permitted
 * type of each family has its entry, so a new type fails the build until it has one.
 *
 * @param <T> the family
 */
final class Writers<T> {

    /**
     * Writes one value.
     *
     * @param <V> its type
     */
    @FunctionalInterface
    interface Encoder<V> {
        /**
         * @param value the value
         * @param xid the transaction id of the message being written (for messages that hold messages)
         * @param out the buffer, with at least the value's length remaining
         */
        void write(V value, int xid, ByteBuffer out);
    }

    private record Entry<V>(ToIntFunction<V> length, Encoder<V> encoder) {
    }

    private final String family;
    private final Map<Class<?>, Entry<?>> entries = new HashMap<>();

    /**
     * @param family what the values are, for messages
     */
    Writers(String family) {
        this.family = family;
    }

    /**
     * @param type a concrete type of the family
     * @param length its encoded length (header included for instructions and actions; the body only for messages)
     * @param encoder writes it
     * @return this table
     */
    <V extends T> Writers<T> add(Class<V> type, ToIntFunction<V> length, Encoder<V> encoder) {
        if (entries.put(type, new Entry<>(length, encoder)) != null) {
            throw new IllegalStateException(type + " has two entries");
        }
        return this;
    }

    /**
     * @param value a value
     * @return its encoded length
     * @throws IllegalArgumentException when its type has no entry
     */
    int length(T value) {
        return entry(value).length().applyAsInt(value);
    }

    /**
     * @param value a value
     * @param xid the transaction id of the message being written
     * @param out the buffer
     * @throws IllegalArgumentException when its type has no entry
     */
    void write(T value, int xid, ByteBuffer out) {
        entry(value).encoder().write(value, xid, out);
    }

    /**
     * @return the types that have an entry
     */
    Set<Class<?>> types() {
        return Set.copyOf(entries.keySet());
    }

    @SuppressWarnings("unchecked")
    private <V extends T> Entry<V> entry(V value) {
        Entry<?> entry = entries.get(value.getClass());
        if (entry == null) {
            throw new IllegalArgumentException("No encoder for the " + family + " " + value.getClass().getName());
        }
        return (Entry<V>) entry;
    }
}
