package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

public class CallerLimitsTest {

    @Test
    public void aCallerGetsItsShareAndNoMoreWhileOthersStillGetTheirs() {
        CallerLimits limits = new CallerLimits(2, 3);
        assertNull(limits.acquire("mallory"));
        assertNull(limits.acquire("mallory"));
        assertEquals(CallerLimits.Refusal.CALLER, limits.acquire("mallory"));
        assertEquals(2, limits.heldBy("mallory"));
        assertNull("another caller is served", limits.acquire("alice"));
        assertEquals("all places taken", CallerLimits.Refusal.GLOBAL, limits.acquire("bob"));
        assertEquals(3, limits.inUse());
        assertEquals("a refusal holds nothing", 0, limits.heldBy("bob"));

        limits.release("mallory");
        assertNull(limits.acquire("bob"));
        limits.release("mallory");
        limits.release("alice");
        limits.release("bob");
        assertEquals(0, limits.inUse());
        assertEquals(0, limits.heldBy("mallory"));
    }
}
