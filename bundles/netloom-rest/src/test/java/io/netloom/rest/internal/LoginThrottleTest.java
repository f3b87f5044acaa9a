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
    public void fiveFailuresLockTheUserOutAtThatAddressOnlyForThirtySeconds() {
        fail(4, "alice", "192.0.2.1");
        assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
        fail(1, "alice", "192.0.2.1");
        LoginThrottle.Locked locked = throttle.locked("alice", "192.0.2.1").orElseThrow();
        assertEquals("user at this address", locked.reason());
        assertEquals(30, locked.retryAfterSeconds(clock.instant()));
        // Someone who knows her name cannot keep her out from another address.
        assertFalse(throttle.locked("alice", "198.51.100.7").isPresent());
        assertFalse(throttle.locked("bob", "192.0.2.1").isPresent());
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
    public void aSuccessEndsTheUsersCountAtThatAddressAndIdleCountsAreForgotten() {
        fail(4, "alice", "192.0.2.1");
        throttle.succeeded("alice", "192.0.2.1");
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
        throttle.succeeded("bob", "203.0.113.9");
        assertTrue(throttle.locked("carol", "203.0.113.9").isPresent());
    }

    @Test
    public void aGuessSpreadOverManyAddressesLocksTheUserOutEverywhereOnlyAtTheMuchHigherCount() {
        for (int i = 0; i < 99; i++) {
            throttle.failed("alice", "198.51.100." + i, "rest");
        }
        assertFalse(throttle.locked("alice", "192.0.2.1").isPresent());
        // A success of the real user does not wipe out the spread guess.
        throttle.succeeded("alice", "192.0.2.1");
        throttle.failed("alice", "198.51.100.200", "ssh");
        LoginThrottle.Locked locked = throttle.locked("alice", "192.0.2.1").orElseThrow();
        assertEquals("user", locked.reason());
        assertFalse(throttle.locked("bob", "198.51.100.1").isPresent());
    }

    @Test
    public void ipv6AddressesCountByTheirSlash64() {
        for (int i = 1; i <= 20; i++) {
            throttle.failed("user" + i, "2001:db8:1:2::" + Integer.toHexString(i), "rest");
        }
        assertEquals("address", throttle.locked("bob", "2001:db8:1:2:ffff::1").orElseThrow().reason());
        assertFalse(throttle.locked("bob", "2001:db8:1:3::1").isPresent());
        assertFalse(throttle.locked("bob", "192.0.2.1").isPresent());
    }

    @Test
    public void sourcesAreReadAsAddressesOrSocketAddresses() {
        assertEquals("192.0.2.1", LoginThrottle.sourceOf("192.0.2.1"));
        assertEquals("192.0.2.1", LoginThrottle.sourceOf("/192.0.2.1:40522"));
        assertEquals("192.0.2.1", LoginThrottle.sourceOf("host.example/192.0.2.1:40522"));
        assertEquals("2001:db8:0:0:0:0:0:0/64", LoginThrottle.sourceOf("2001:db8::1"));
        assertEquals("2001:db8:0:0:0:0:0:0/64", LoginThrottle.sourceOf("/2001:db8:0:0:0:0:0:1:40522"));
        assertEquals("2001:db8:0:0:0:0:0:0/64", LoginThrottle.sourceOf("[2001:db8::1]:40522"));
        assertEquals("0:0:0:0:0:0:0:0/64", LoginThrottle.sourceOf("0:0:0:0:0:0:0:1"));
        assertEquals("192.0.2.1", LoginThrottle.sourceOf("::ffff:192.0.2.1"));
        assertEquals("unknown", LoginThrottle.sourceOf(null));
        assertEquals("not:an:address:zz", LoginThrottle.sourceOf("not:an:address:zz"));
    }

    @Test
    public void invalidSettingsAreRefused() {
        boolean refused = false;
        try {
            new LoginThrottle.Settings(5, 20, 0, Duration.ofSeconds(30), Duration.ofMinutes(15));
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
