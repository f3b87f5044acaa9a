package io.netloom.peering.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringState;

/**
 * Expires peering requests that were not accepted in time: a {@code PENDING_ACCEPTANCE} peering whose request is
 * at least {@code expiry} old is moved to {@code EXPIRED}, as public clouds do (AWS after seven days). Ended
 * peerings ({@code REJECTED}, {@code EXPIRED}, {@code FAILED}, {@code DELETED}) stay visible for {@code retention}
 * after they ended, then are forgotten.
 *
 * <p>Checks run on one thread of their own: on activation, on a configuration change, when a peering is requested,
 * and then at the next time a request falls due, but at least every {@value #MAX_INTERVAL_SECONDS} seconds (so a
 * wall-clock jump or a failed expiry is caught up with soon). The model is the only state: after a restart the
 * first check expires whatever fell due meanwhile.
 */
@Component(immediate = true, service = ModelListener.class, configurationPid = PeeringPolicy.PID)
@Designate(ocd = PeeringPolicy.Config.class)
public class PeeringPolicy implements ModelListener {

    static final String PID = "io.netloom.peering";

    /** The default expiry, as in AWS. */
    static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);

    /** The longest expiry accepted: a century. */
    static final Duration MAX_EXPIRY = Duration.ofDays(36_525);

    /** The longest wait between two checks. */
    static final long MAX_INTERVAL_SECONDS = 60;

    private static final Duration MAX_INTERVAL = Duration.ofSeconds(MAX_INTERVAL_SECONDS);
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PeeringPolicy.class);

    /** The peering policy's settings, {@code etc/io.netloom.peering.cfg}. */
    @ObjectClassDefinition(name = "Netloom peering policy",
            description = "Lifecycle rules of peerings: how long a request waits for acceptance")
    public @interface Config {
        /**
         * @return how long a peering request waits for acceptance before it expires, an ISO-8601 duration
         */
        @AttributeDefinition(description = "How long a peering request waits for acceptance before it expires, "
                + "as an ISO-8601 duration such as P7D (7 days) or PT1H (1 hour)")
        String expiry() default "P7D";

        /**
         * @return how long an ended peering stays visible, an ISO-8601 duration
         */
        @AttributeDefinition(description = "How long a rejected, expired, failed or deleted peering stays visible "
                + "before it is forgotten, as an ISO-8601 duration such as P1D (1 day)")
        String retention() default "P1D";
    }

    /** The default retention of ended peerings. */
    static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    @Reference
    private PeeringAdminService peeringAdmin;

    private final Clock clock;

    private volatile Duration expiry = DEFAULT_EXPIRY;
    private volatile Duration retention = DEFAULT_RETENTION;

    /** Runs every check; {@code null} while inactive. */
    private volatile ScheduledExecutorService executor;

    /** The next periodic check; only read and written on the executor's thread. */
    private ScheduledFuture<?> nextCheck;

    /** Used by the component runtime. */
    public PeeringPolicy() {
        this.clock = Clock.systemUTC();
    }

    /**
     * For tests: a policy over the given service and clock, with the default expiry; it checks only when asked.
     */
    PeeringPolicy(PeeringAdminService peeringAdmin, Clock clock) {
        this.peeringAdmin = Objects.requireNonNull(peeringAdmin, "peeringAdmin");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Activate
    void activate(Config config) {
        configure(config);
        ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "netloom-peering-expiry");
            thread.setDaemon(true);
            return thread;
        });
        // Deactivation lets a running check finish rather than interrupt it: an interrupt in the middle of a model
        // write could close the store's file channel. Checks not yet started are dropped.
        created.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        created.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        created.setRemoveOnCancelPolicy(true);
        executor = created;
        LOG.info("Peering policy started: requests not accepted within {} expire", expiry);
        requestCheck();
    }

    @Modified
    void modified(Config config) {
        Duration before = expiry;
        configure(config);
        if (!before.equals(expiry)) {
            LOG.info("Peering requests not accepted within {} now expire (was {})", expiry, before);
        }
        requestCheck();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        ScheduledExecutorService stopping = executor;
        executor = null;
        if (stopping != null) {
            stopping.shutdown();
            if (!stopping.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("The peering expiry check did not finish within {} s; it is interrupted",
                        STOP_TIMEOUT_SECONDS);
                stopping.shutdownNow();
            }
        }
        LOG.info("Peering policy stopped");
    }

    /** Applies a configuration; an invalid duration keeps its default so that a typo cannot disable a rule. */
    void configure(Config config) {
        expiry = parseExpiry(config.expiry());
        retention = parseDuration(config.retention(), "retention", DEFAULT_RETENTION);
    }

    /** For tests: how long ended peerings stay. */
    void retention(Duration kept) {
        retention = kept;
    }

    /**
     * @param text an ISO-8601 duration such as {@code P7D}
     * @return the positive duration it names, or {@link #DEFAULT_EXPIRY} (with a warning) when it names none
     */
    static Duration parseExpiry(String text) {
        return parseDuration(text, "expiry", DEFAULT_EXPIRY);
    }

    /**
     * @param text an ISO-8601 duration such as {@code P7D}
     * @param what the setting, for the warning
     * @param fallback the default
     * @return the positive duration it names, or {@code fallback} (with a warning) when it names none
     */
    static Duration parseDuration(String text, String what, Duration fallback) {
        if (text == null || text.isBlank()) {
            LOG.warn("No peering {} is configured in {}; using the default {}", what, PID, fallback);
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(text.trim());
            if (parsed.isNegative() || parsed.isZero()) {
                LOG.warn("Peering {} '{}' in {} is not a positive duration; using the default {}", what, text, PID,
                        fallback);
                return fallback;
            }
            if (parsed.compareTo(MAX_EXPIRY) > 0) {
                // Beyond this, due times would overflow Instant; no one means a century.
                LOG.warn("Peering {} '{}' in {} is longer than {}; using the default {}", what, text, PID,
                        MAX_EXPIRY, fallback);
                return fallback;
            }
            return parsed;
        } catch (DateTimeParseException e) {
            LOG.warn("Peering {} '{}' in {} is not an ISO-8601 duration such as P7D or PT1H; using the default {}",
                    what, text, PID, fallback, e);
            return fallback;
        }
    }

    /**
     * @return the expiry in force
     */
    Duration expiry() {
        return expiry;
    }

    @Override
    public void event(ModelEvent event) {
        // A new request may fall due before the scheduled check (with a short expiry); events must return quickly,
        // so the check runs on the policy's own thread.
        if (event.subject() instanceof Peering peering && peering.state() == PeeringState.PENDING_ACCEPTANCE) {
            requestCheck();
        }
    }

    /** Runs a check soon on the policy's thread, which then schedules the next one. */
    private void requestCheck() {
        ScheduledExecutorService current = executor;
        if (current == null) {
            LOG.debug("Peering policy is not active; no check is scheduled");
            return;
        }
        try {
            current.execute(this::checkAndReschedule);
        } catch (RejectedExecutionException e) {
            LOG.debug("Peering policy is stopping; no check is scheduled", e);
        }
    }

    private void checkAndReschedule() {
        if (nextCheck != null) {
            nextCheck.cancel(false);
        }
        Instant now = clock.instant();
        Duration delay;
        try {
            delay = delayUntil(now, expireDue(now));
        } catch (RuntimeException e) {
            // The service may be briefly unavailable (for example while the store restarts): try again later.
            LOG.warn("Peering expiry check failed; retrying in {} s", MAX_INTERVAL_SECONDS, e);
            delay = MAX_INTERVAL;
        }
        ScheduledExecutorService current = executor;
        if (current == null) {
            return;
        }
        try {
            // Should the check run a little early by the wall clock, it finds nothing due and waits the remainder.
            nextCheck = current.schedule(this::checkAndReschedule, delay.toNanos(), TimeUnit.NANOSECONDS);
            LOG.debug("Next peering expiry check in {}", delay);
        } catch (RejectedExecutionException e) {
            LOG.debug("Peering policy is stopping; no further check", e);
        }
    }

    /**
     * Expires every pending peering that is due at {@code now}.
     *
     * @param now the current time
     * @return when the next pending peering falls due, if any is pending and not yet due
     */
    Optional<Instant> expireDue(Instant now) {
        Duration limit = expiry;
        Instant next = null;
        int expired = 0;
        Duration kept = retention;
        for (Peering peering : peeringAdmin.peerings(Caller.system())) {
            if (!peering.isLive()) {
                Instant gone = peering.updatedAt().plus(kept);
                if (now.isBefore(gone)) {
                    next = next == null || gone.isBefore(next) ? gone : next;
                } else {
                    forget(peering);
                }
                continue;
            }
            if (peering.state() != PeeringState.PENDING_ACCEPTANCE) {
                continue;
            }
            Instant due = peering.createdAt().plus(limit);
            if (now.isBefore(due)) {
                next = next == null || due.isBefore(next) ? due : next;
                continue;
            }
            expired += expire(peering, limit) ? 1 : 0;
        }
        if (expired > 0) {
            LOG.debug("Expiry check at {}: {} peering request(s) expired", now, expired);
        }
        return Optional.ofNullable(next);
    }

    /** Forgets one ended peering; a failure is logged and left to the next check. */
    private void forget(Peering peering) {
        try {
            peeringAdmin.forget(Caller.system(), peering.id());
            LOG.info("Peering {} ({}), {} since {}, forgotten after its retention", peering.id(), peering.name(),
                    peering.state(), peering.updatedAt());
        } catch (ConflictException | NotFoundException e) {
            LOG.debug("Peering {} was not forgotten: {}", peering.id(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Could not forget peering {}; the next check tries again", peering.id(), e);
        }
    }

    /** Expires one peering; a failure is logged and left to the next check, so one peering cannot stop the rest. */
    private boolean expire(Peering peering, Duration limit) {
        try {
            peeringAdmin.expire(Caller.system(), peering.id());
            LOG.info("Peering {} ({}) from network {} to network {} expired: not accepted within {} of {}",
                    peering.id(), peering.name(), peering.network(), peering.peerNetwork(), limit,
                    peering.createdAt());
            return true;
        } catch (ConflictException | NotFoundException e) {
            // Accepted or rejected (INVALID_STATE), or deleted (not found), since it was read: nothing to expire.
            LOG.debug("Peering {} was not expired: {}", peering.id(), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Could not expire peering {}; the next check tries again", peering.id(), e);
            return false;
        }
    }

    /**
     * @param now the current time
     * @param nextDue when the next pending peering falls due, if any
     * @return how long to wait before the next check: until {@code nextDue}, at most {@value #MAX_INTERVAL_SECONDS}
     *     seconds
     */
    static Duration delayUntil(Instant now, Optional<Instant> nextDue) {
        if (nextDue.isEmpty()) {
            return MAX_INTERVAL;
        }
        Duration untilDue = Duration.between(now, nextDue.get());
        if (untilDue.isNegative()) {
            return Duration.ZERO;
        }
        return untilDue.compareTo(MAX_INTERVAL) < 0 ? untilDue : MAX_INTERVAL;
    }
}
