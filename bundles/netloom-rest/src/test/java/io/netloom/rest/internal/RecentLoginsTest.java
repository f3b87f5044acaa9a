package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

public class RecentLoginsTest {

    private final MovableClock clock = new MovableClock();
    private final AtomicInteger checked = new AtomicInteger();
    private final RecentLogins logins = new RecentLogins((user, password) -> {
        checked.incrementAndGet();
        return new String(password).equals("right") ? Optional.of(Set.of(ApiAccess.VIEWER)) : Optional.empty();
    }, clock);

    @Test
    public void aSuccessfulLoginIsRememberedForItsTtlOnly() {
        assertEquals(Optional.of(Set.of(ApiAccess.VIEWER)), logins.authenticate("alice", "right".toCharArray()));
        logins.authenticate("alice", "right".toCharArray());
        assertEquals(1, checked.get());
        clock.advance(RecentLogins.TTL);
        logins.authenticate("alice", "right".toCharArray());
        assertEquals(2, checked.get());
    }

    @Test
    public void failuresAndOtherPasswordsOrUsersAreAlwaysChecked() {
        logins.authenticate("alice", "right".toCharArray());
        assertTrue(logins.authenticate("alice", "wrong".toCharArray()).isEmpty());
        assertTrue(logins.authenticate("alice", "wrong".toCharArray()).isEmpty());
        logins.authenticate("bob", "right".toCharArray());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(4, checked.get());
    }
}
