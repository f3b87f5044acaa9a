package io.netloom.core.internal.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.model.AuditEntry;
import io.netloom.api.model.AuditService;
import io.netloom.api.model.Caller;

/**
 * Reads the audit log the {@link ModelRepository} writes with every change, and keeps it within its retention: a
 * background task deletes the oldest entries beyond {@code retention.count} and those older than
 * {@code retention.age}, once a minute after start and then every {@link #ENFORCE_EVERY_SECONDS} seconds.
 */
@Component(service = AuditService.class, configurationPid = AuditManager.PID)
@Designate(ocd = AuditManager.Config.class)
public class AuditManager implements AuditService {

    static final String PID = "io.netloom.audit";
    static final int MAX_LIMIT = 10_000;
    static final long ENFORCE_EVERY_SECONDS = 600;
    private static final long FIRST_ENFORCEMENT_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(AuditManager.class);

    /** The audit settings, {@code etc/io.netloom.audit.cfg}. */
    @ObjectClassDefinition(name = "Netloom audit", description = "Retention of the audit log")
    public @interface Config {
        /**
         * @return how many entries to keep at most
         */
        @AttributeDefinition(name = "retention.count", description = "How many audit entries to keep at most; "
                + "the oldest beyond it are deleted")
        long retention_count() default 100_000;

        /**
         * @return how long to keep an entry, an ISO-8601 duration
         */
        @AttributeDefinition(name = "retention.age", description = "How long to keep an audit entry, an ISO-8601 "
                + "duration such as P30D or PT12H")
        String retention_age() default "P30D";
    }

    @Reference
    private ModelRepository repository;

    private long retentionCount = 100_000;
    private Duration retentionAge = Duration.ofDays(30);
    private ScheduledExecutorService retention;

    /** Used by the component runtime, which then calls {@link #activate}. */
    public AuditManager() {
    }

    /** For tests: a manager over a repository with the given retention, without the background task. */
    AuditManager(ModelRepository repository, long retentionCount, Duration retentionAge) {
        this.repository = repository;
        this.retentionCount = retentionCount;
        this.retentionAge = retentionAge;
    }

    @Activate
    void activate(Config config) {
        // A mistyped retention must not take the audit log, and the REST API needing it, down: the default applies.
        try {
            retentionAge = parseAge(config.retention_age());
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping audit entries for {}", e.getMessage(), retentionAge);
        }
        if (config.retention_count() < 0) {
            LOG.error("{}: retention.count must not be negative, was {}; keeping at most {} audit entries", PID,
                    config.retention_count(), retentionCount);
        } else {
            retentionCount = config.retention_count();
        }
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netloom-audit-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(this::enforceInBackground, FIRST_ENFORCEMENT_SECONDS,
                ENFORCE_EVERY_SECONDS, TimeUnit.SECONDS);
        LOG.info("Audit log kept for {} and to at most {} entries", retentionAge, retentionCount);
    }

    @Deactivate
    void deactivate() {
        retention.shutdownNow();
    }

    static Duration parseAge(String age) {
        try {
            Duration parsed = Duration.parse(age.trim());
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException(PID + ": retention.age must be positive, was " + age);
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(PID + ": retention.age is an ISO-8601 duration such as P30D, was '"
                    + age + "'", e);
        }
    }

    private void enforceInBackground() {
        try {
            enforceRetention();
        } catch (RuntimeException e) {
            // The next run tries again.
            LOG.warn("Audit retention could not be enforced", e);
        }
    }

    /**
     * Deletes the entries beyond the retention.
     *
     * @return how many were deleted
     */
    long enforceRetention() {
        long deleted = repository.trimAudit(retentionCount, repository.now().minus(retentionAge));
        if (deleted > 0) {
            LOG.info("Audit retention deleted {} entries", deleted);
        }
        return deleted;
    }

    @Override
    public List<AuditEntry> entries(Caller caller, int limit) {
        int bounded = Math.max(0, Math.min(limit, MAX_LIMIT));
        return repository.audit(e -> caller.sees(e.tenant()), bounded);
    }
}
