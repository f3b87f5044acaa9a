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
     * Checks the size of a bulk request, before anything else.
     *
     * @param noun what the items are, in the plural ("ports", "rules")
     * @param size how many the request holds
     * @param max how many one request may hold
     * @throws ValidationException {@code REQUIRED} when there are none, {@code TOO_MANY} above {@code max}
     */
    static void checkSize(String noun, int size, int max) {
        if (size == 0) {
            throw new ValidationException("REQUIRED", "A bulk request holds 1 to " + max + " " + noun + ", not 0", "");
        }
        if (size > max) {
            throw new ValidationException("TOO_MANY", "At most " + max + " " + noun + " per request, not " + size,
                    "");
        }
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
