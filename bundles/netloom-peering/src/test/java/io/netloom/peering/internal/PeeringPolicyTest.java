package io.netloom.peering.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.PeeringState;

public class PeeringPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SEVEN_DAYS = Duration.ofDays(7);

    private FakePeeringAdminService admin;
    private MutableClock clock;
    private PeeringPolicy policy;
    private boolean activated;

    @Before
    public void setUp() {
        admin = new FakePeeringAdminService();
        clock = new MutableClock(T0);
        policy = new PeeringPolicy(admin, clock);
    }

    @After
    public void tearDown() throws InterruptedException {
        if (activated) {
            policy.deactivate();
        }
    }

    private static PeeringPolicy.Config config(String expiry) {
        return new PeeringPolicy.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PeeringPolicy.Config.class;
            }

            @Override
            public String expiry() {
                return expiry;
            }

            @Override
            public String retention() {
                return "P1D";
            }
        };
    }

    /** Runs one check at the given time, as the policy's thread does. */
    private Optional<Instant> checkAt(Instant now) {
        clock.set(now);
        return policy.expireDue(now);
    }

    @Test
    public void pendingPeeringExpiresExactlyWhenTheExpiryHasPassedAndNotBefore() {
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0);

        assertEquals(Optional.of(T0.plus(SEVEN_DAYS)), checkAt(T0));
        assertEquals(Optional.of(T0.plus(SEVEN_DAYS)), checkAt(T0.plus(SEVEN_DAYS).minusNanos(1)));
        assertEquals(PeeringState.PENDING_ACCEPTANCE, admin.state("p1"));
        assertEquals(List.of(), List.copyOf(admin.expireCalls));

        assertEquals(Optional.empty(), checkAt(T0.plus(SEVEN_DAYS)));
        assertEquals(PeeringState.EXPIRED, admin.state("p1"));
    }

    @Test
    public void peeringsThatAreNotPendingNeverExpireAndEndedOnesAreForgottenAfterTheirRetention() {
        Instant longAgo = T0.minus(Duration.ofDays(3650));
        for (PeeringState state : PeeringState.values()) {
            if (state != PeeringState.PENDING_ACCEPTANCE) {
                admin.put(state.name(), state, longAgo);
            }
        }
        admin.put("deleted-now", PeeringState.DELETED, longAgo, T0);

        assertEquals("the next check when the recent one's retention ends", Optional.of(T0.plus(Duration.ofDays(1))),
                checkAt(T0));

        assertEquals(List.of(), List.copyOf(admin.expireCalls));
        assertEquals(PeeringState.ACTIVE, admin.state("ACTIVE"));
        for (PeeringState ended : List.of(PeeringState.REJECTED, PeeringState.EXPIRED, PeeringState.FAILED,
                PeeringState.DELETED)) {
            assertFalse(ended + " long ago is forgotten", admin.exists(ended.name()));
        }
        assertTrue("ended a moment ago: still shown", admin.exists("deleted-now"));
        checkAt(T0.plus(Duration.ofDays(1)).minusNanos(1));
        assertTrue(admin.exists("deleted-now"));
        checkAt(T0.plus(Duration.ofDays(1)));
        assertFalse(admin.exists("deleted-now"));
    }

    @Test
    public void customExpiryOfOneHourIsHonoured() {
        policy.configure(config("PT1H"));
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0);

        assertEquals(Duration.ofHours(1), policy.expiry());
        checkAt(T0.plus(Duration.ofMinutes(59)).plusSeconds(59));
        assertEquals(PeeringState.PENDING_ACCEPTANCE, admin.state("p1"));
        checkAt(T0.plus(Duration.ofHours(1)));
        assertEquals(PeeringState.EXPIRED, admin.state("p1"));
    }

    @Test
    public void invalidExpiryFallsBackToSevenDays() {
        for (String invalid : List.of("7 days", "P7", "PT-1H", "PT0S", "", "  ", "P36526D", "PT9999999999999H")) {
            policy.configure(config("PT1H"));
            policy.configure(config(invalid));
            assertEquals("'" + invalid + "'", SEVEN_DAYS, policy.expiry());
        }
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0);

        checkAt(T0.plus(Duration.ofHours(1)));
        assertEquals(PeeringState.PENDING_ACCEPTANCE, admin.state("p1"));
        checkAt(T0.plus(SEVEN_DAYS));
        assertEquals(PeeringState.EXPIRED, admin.state("p1"));
    }

    @Test
    public void conflictDuringExpireDoesNotStopTheOthers() {
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0);
        admin.put("p2", PeeringState.PENDING_ACCEPTANCE, T0);
        admin.put("p3", PeeringState.PENDING_ACCEPTANCE, T0);
        admin.put("p4", PeeringState.PENDING_ACCEPTANCE, T0);
        admin.put("p5", PeeringState.PENDING_ACCEPTANCE, T0);
        admin.beforeExpire = id -> {
            switch (id) {
                case "p1" -> admin.setState(id, PeeringState.ACTIVE);
                case "p2" -> admin.delete(id);
                case "p4" -> throw new IllegalStateException("the store is closing");
                default -> { }
            }
        };

        checkAt(T0.plus(SEVEN_DAYS));

        assertEquals(List.of("p1", "p2", "p3", "p4", "p5"), List.copyOf(admin.expireCalls));
        assertEquals(PeeringState.ACTIVE, admin.state("p1"));
        assertEquals(PeeringState.EXPIRED, admin.state("p3"));
        assertEquals(PeeringState.PENDING_ACCEPTANCE, admin.state("p4"));
        assertEquals(PeeringState.EXPIRED, admin.state("p5"));
    }

    @Test
    public void aFailedExpiryIsRetriedByTheNextCheck() {
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0);
        admin.beforeExpire = id -> {
            throw new IllegalStateException("the store is closing");
        };
        assertEquals("a due peering does not make the next check due at once", Optional.empty(),
                checkAt(T0.plus(SEVEN_DAYS)));

        admin.beforeExpire = id -> { };
        checkAt(T0.plus(SEVEN_DAYS).plusSeconds(60));

        assertEquals(PeeringState.EXPIRED, admin.state("p1"));
    }

    @Test
    public void nextCheckIsWhenTheEarliestPendingRequestFallsDueButWithinSixtySeconds() {
        admin.put("late", PeeringState.PENDING_ACCEPTANCE, T0.plusSeconds(30));
        admin.put("early", PeeringState.PENDING_ACCEPTANCE, T0.plusSeconds(10));
        admin.put("active", PeeringState.ACTIVE, T0.minus(SEVEN_DAYS));
        Instant now = T0.plus(SEVEN_DAYS);

        Optional<Instant> next = checkAt(now);

        assertEquals(Optional.of(now.plusSeconds(10)), next);
        assertEquals(Duration.ofSeconds(10), PeeringPolicy.delayUntil(now, next));
        assertEquals(Duration.ofSeconds(60), PeeringPolicy.delayUntil(now, Optional.empty()));
        assertEquals(Duration.ofSeconds(60), PeeringPolicy.delayUntil(now, Optional.of(now.plus(SEVEN_DAYS))));
        assertEquals(Duration.ZERO, PeeringPolicy.delayUntil(now, Optional.of(now.minusSeconds(1))));
    }

    @Test
    public void activationExpiresWhatFellDueWhileTheBundleWasStopped() throws InterruptedException {
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0.minus(SEVEN_DAYS));
        CountDownLatch expired = new CountDownLatch(1);
        admin.beforeExpire = id -> expired.countDown();

        policy.activate(config("P7D"));
        activated = true;

        assertTrue(expired.await(10, TimeUnit.SECONDS));
        policy.deactivate();
        activated = false;
        assertEquals(PeeringState.EXPIRED, admin.state("p1"));
    }

    /** Activates the policy and waits for its first check, so that later checks can only come from the test. */
    private void activateAndAwaitFirstCheck(String expiry) throws InterruptedException {
        policy.activate(config(expiry));
        activated = true;
        assertTrue("first check", admin.listed.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void configurationChangeChecksAgainWithTheNewExpiry() throws InterruptedException {
        activateAndAwaitFirstCheck("P7D");
        admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0.minus(Duration.ofHours(2)));
        CountDownLatch expired = new CountDownLatch(1);
        admin.beforeExpire = id -> expired.countDown();

        policy.modified(config("PT1H"));

        assertTrue(expired.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void aNewPendingRequestTriggersACheck() throws InterruptedException {
        activateAndAwaitFirstCheck("PT1H");
        CountDownLatch expired = new CountDownLatch(1);
        admin.beforeExpire = id -> expired.countDown();
        // Requested two hours ago by the clock's reckoning: already due when it is announced.
        var request = admin.put("p1", PeeringState.PENDING_ACCEPTANCE, T0.minus(Duration.ofHours(2)));

        policy.event(new ModelEvent(ModelEvent.Type.CREATED, request, null));

        assertTrue(expired.await(10, TimeUnit.SECONDS));
    }
}
