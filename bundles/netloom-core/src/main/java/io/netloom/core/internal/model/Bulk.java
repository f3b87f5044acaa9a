package io.netloom.core.internal.model;

import java.util.function.Supplier;

import io.netloom.api.ConflictException;
import io.netloom.api.NetloomException;
import io.netloom.api.ValidationException;

/**
 * What bulk writes share: an item's refusal names the item, by its position in the request, in the message and in
 * the field ({@code [3].ip}), so that a client can tell which of a thousand items to correct.
 */
final class Bulk {

    private Bulk() {
    }

    /**
     * @param noun what the items are, capitalised ("Port", "Rule")
     * @param index the item's position in the request, from 0
     * @param item checks or stages the item
     * @return what {@code item} returned
     * @throws ValidationException or {@link ConflictException} as {@code item} threw it, with the item's position
     */
    static <T> T atIndex(String noun, int index, Supplier<T> item) {
        try {
            return item.get();
        } catch (ValidationException e) {
            throw new ValidationException(e.code(), noun + " " + index + ": " + e.getMessage(), indexed(index, e));
        } catch (ConflictException e) {
            throw new ConflictException(e.code(), noun + " " + index + ": " + e.getMessage(), indexed(index, e));
        }
    }

    private static String indexed(int index, NetloomException e) {
        return "[" + index + "]" + e.field().filter(f -> !f.isEmpty()).map(f -> "." + f).orElse("");
    }
}
