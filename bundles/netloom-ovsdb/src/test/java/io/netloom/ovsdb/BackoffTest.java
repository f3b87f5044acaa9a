package io.netloom.ovsdb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class BackoffTest {

    @Test
    public void delaysDoubleFromOneSecondUpToEightAndStayThere() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seconds.add(backoff.next().toSeconds());
        }

        assertEquals(List.of(1L, 2L, 4L, 8L, 8L, 8L, 8L), seconds);
    }

    @Test
    public void resetStartsAgainFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        backoff.next();
        backoff.next();
        backoff.next();
        backoff.reset();

        assertEquals(Duration.ofSeconds(1), backoff.next());
        assertEquals(Duration.ofSeconds(2), backoff.next());
    }

    @Test
    public void aMaximumBelowTheInitialDelayIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
