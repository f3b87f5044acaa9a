package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

public class LoginThrottleTest {

    private final MovableClock clock = new MovableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, LoginThrottle.Settings.DEFAULTS);

    private void fail(int times, String user, String source) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, source, "rest");
        }
    }

    @Test
    public void fiveFailuresLockTheUserOutForThirtySeconds() {
        fail(4, "alice", "192.0.2.1");
        assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
        fail(1, "alice", "192.0.2.1");
        LoginThrottle.Locked locked = throttle.locked("alice", "192.0.2.1").orElseThrow();
        assertEquals("user", locked.reason());
        assertEquals(30, locked.retryAfterSeconds(clock.instant()));
        // From another address too: the lockout is the user's.
        assertTrue(throttle.locked("alice", "198.51.100.7").isPresent());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(1, throttle.locked("alice", "192.0.2.1").orElseThrow().retryAfterSeconds(clock.instant()));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
    }

    @Test
    public void eachFailureAfterALockoutDoublesItUpToTheMaximum() {
        fail(5, "alice", "192.0.2.1");
        long[] expected = {60, 120, 240, 480, 900, 900};
        long current = 30;
        for (long seconds : expected) {
            clock.advance(Duration.ofSeconds(current));
            current = seconds;
            assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
            fail(1, "alice", "192.0.2.1");
            assertEquals(seconds, throttle.locked("alice", "192.0.2.1").orElseThrow()
                    .retryAfterSeconds(clock.instant()));
        }
        assertEquals(11, throttle.failures());
    }

    @Test
    public void aSuccessEndsTheUsersCountAndIdleCountsAreForgotten() {
        fail(4, "alice", "192.0.2.1");
        throttle.succeeded("alice");
        fail(4, "alice", "192.0.2.1");
        assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
        clock.advance(Duration.ofMinutes(16));
        fail(4, "alice", "192.0.2.1");
        assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
    }

    @Test
    public void oneAddressGuessingManyUsersIsLockedOutButOtherUsersElsewhereAreNot() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("user" + i, "203.0.113.9", "rest");
        }
        LoginThrottle.Locked locked = throttle.locked("bob", "203.0.113.9").orElseThrow();
        assertEquals("address", locked.reason());
        assertFalse(throttle.locked("bob", "192.0.2.1").isPresent());
        // A success at that address does not end its count.
        throttle.succeeded("bob");
        assertTrue(throttle.locked("carol", "203.0.113.9").isPresent());
    }

    @Test
    public void invalidSettingsAreRefused() {
        boolean refused = false;
        try {
            new LoginThrottle.Settings(0, 20, Duration.ofSeconds(30), Duration.ofMinutes(15));
        } catch (IllegalArgumentException e) {
            refused = true;
        }
        assertTrue(refused);
    }

    @Test
    public void logsShowUserNamesWithoutLineBreaks() {
        assertEquals("eve\\u000aforged", LoginThrottle.printable("eve\nforged"));
        assertEquals(64 + 3, LoginThrottle.printable("x".repeat(100)).length());
    }

    @Test
    public void aLockedOutLoginIsAnswered429WithoutTryingThePassword() {
        AtomicInteger tried = new AtomicInteger();
        ApiAccess access = new ApiAccess((user, password) -> {
            tried.incrementAndGet();
            return new String(password).equals("right") ? Optional.of(Set.of(ApiAccess.ADMIN)) : Optional.empty();
        }, throttle, clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, ((ApiAccess.Decision.Refused) access.decide("GET", basic("admin", "wrong"),
                    "192.0.2.1", "rest")).status());
        }
        ApiAccess.Decision.Refused refused = (ApiAccess.Decision.Refused) access.decide("GET",
                basic("admin", "right"), "192.0.2.1", "rest");
        assertEquals(429, refused.status());
        assertEquals("LOGIN_LOCKED", refused.error().code());
        assertEquals(30, refused.retryAfterSeconds());
        assertEquals(5, tried.get());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(access.decide("GET", basic("admin", "right"), "192.0.2.1", "rest")
                instanceof ApiAccess.Decision.Allowed);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
