package io.netloom.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.netloom.api.ValidationException;

/**
 * One page of a list, for every list the API, the shell and the console show: at most {@code limit} items after
 * the item whose id is the marker (the last id of the previous page), in the list's own order (oldest first). A
 * request with neither a limit nor a marker gets the whole list, as clients that do not page have always had it.
 *
 * @param items the items of this page
 * @param next the marker of the next page (the id of this page's last item), empty on the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> next) {

    /** The largest page, and the size of a page when none is asked for. */
    public static final int MAX_LIMIT = 1000;

    /**
     * Checks that no component is missing and freezes the list.
     */
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /**
     * @param all the whole list, in its order
     * @param id how to read an item's id
     * @param limit how many items at most, 1 to {@value #MAX_LIMIT}; {@code null} for {@value #MAX_LIMIT} when a
     *     marker is given, and for the whole list when neither is
     * @param marker the id of the last item of the previous page, or {@code null} for the first page
     * @param <T> the item type
     * @return the page
     * @throws ValidationException {@code INVALID_LIMIT} for a limit out of range, {@code INVALID_MARKER} for a
     *     marker that is not an id in the list (its object was deleted, or the caller does not see it)
     */
    public static <T> Page<T> of(List<T> all, Function<T, String> id, Integer limit, String marker) {
        if (limit == null && marker == null) {
            return new Page<>(all, Optional.empty());
        }
        int size = limit == null ? MAX_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new ValidationException("INVALID_LIMIT", "A page holds 1 to " + MAX_LIMIT + " items", "limit");
        }
        int from = 0;
        if (marker != null) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (id.apply(all.get(i)).equals(marker)) {
                    from = i + 1;
                    break;
                }
            }
            if (from < 0) {
                throw new ValidationException("INVALID_MARKER", "The marker '" + marker + "' is not the id of an "
                        + "item of this list; start again from the first page", "marker");
            }
        }
        int to = Math.min(all.size(), from + size);
        List<T> items = all.subList(from, to);
        Optional<String> next = to < all.size() && !items.isEmpty() ? Optional.of(id.apply(items.get(items.size() - 1)))
                : Optional.empty();
        return new Page<>(items, next);
    }
}
