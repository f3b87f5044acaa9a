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
