package io.netloom.api.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.Test;

import io.netloom.api.ValidationException;

public class PageTest {

    private static final List<String> ALL = List.of("a", "b", "c", "d", "e");

    @Test
    public void pagesFollowEachOtherByTheLastIdUntilTheLastPageWhichHasNoNext() {
        Page<String> first = Page.of(ALL, Function.identity(), 2, null);
        assertEquals(List.of("a", "b"), first.items());
        assertEquals(Optional.of("b"), first.next());
        Page<String> second = Page.of(ALL, Function.identity(), 2, first.next().get());
        assertEquals(List.of("c", "d"), second.items());
        Page<String> last = Page.of(ALL, Function.identity(), 2, second.next().get());
        assertEquals(List.of("e"), last.items());
        assertEquals(Optional.empty(), last.next());
        assertEquals(Optional.empty(), Page.of(ALL, Function.identity(), 5, null).next());
        assertEquals(ALL, Page.of(ALL, Function.identity(), null, null).items());
    }

    @Test
    public void neitherALimitNorAMarkerIsTheWholeListHoweverLong() {
        List<Integer> many = java.util.stream.IntStream.range(0, Page.MAX_LIMIT + 5).boxed().toList();
        Page<Integer> whole = Page.of(many, String::valueOf, null, null);
        assertEquals(many, whole.items());
        assertEquals(Optional.empty(), whole.next());
        Page<Integer> fromMarker = Page.of(many, String::valueOf, null, "2");
        assertEquals("a marker alone pages by the largest page", Page.MAX_LIMIT, fromMarker.items().size());
        assertEquals(Optional.of(String.valueOf(Page.MAX_LIMIT + 2)), fromMarker.next());
    }

    @Test
    public void aLimitOutOfRangeOrAnUnknownMarkerIsRefusedWithItsField() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> Page.of(ALL, Function.identity(), Page.MAX_LIMIT + 1, null));
        assertEquals("INVALID_LIMIT", e.code());
        assertEquals(Optional.of("limit"), e.field());
        assertEquals("INVALID_LIMIT", assertThrows(ValidationException.class,
                () -> Page.of(ALL, Function.identity(), 0, null)).code());
        e = assertThrows(ValidationException.class, () -> Page.of(ALL, Function.identity(), 2, "x"));
        assertEquals("INVALID_MARKER", e.code());
        assertEquals(Optional.of("marker"), e.field());
    }
}
