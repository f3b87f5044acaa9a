package io.netloom.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.netloom.api.model.Names;

public class NamesTest {

    @Test
    public void lettersDigitsAndPunctuationAreAccepted() {
        assertTrue(Names.isValid("a"));
        assertTrue(Names.isValid("net-1.prod_A"));
        assertTrue(Names.isValid("9lives"));
        assertTrue(Names.isValid("x".repeat(63)));
    }

    @Test
    public void badNamesAreRejected() {
        assertFalse(Names.isValid(null));
        assertFalse(Names.isValid(""));
        assertFalse(Names.isValid("-leading-dash"));
        assertFalse(Names.isValid(".hidden"));
        assertFalse(Names.isValid("x".repeat(64)));
        assertFalse(Names.isValid("a b"));
        assertFalse(Names.isValid("a;rm -rf /"));
        assertFalse(Names.isValid("$(id)"));
        assertFalse(Names.isValid("caf\u00e9"));
        assertFalse(Names.isValid("line\nbreak"));
    }

    @Test
    public void requireValidNamesTheField() {
        ValidationException e = assertThrows(ValidationException.class, () -> Names.requireValid("a b", "name"));
        assertEquals("INVALID_NAME", e.code());
        assertEquals("name", e.field().orElseThrow());
    }
}
