package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.model.AuditEntry;
import io.netloom.api.model.Caller;
import io.netloom.api.model.SecurityGroupSpec;

public class AuditRetentionTest {

    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");
    private static final Caller ALICE = new Caller("alice", "acme", false, "rest");

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private InMemoryModelStore store;
    private MovableClock clock;
    private ModelRepository repository;
    private SecurityGroupManager groups;

    @Before
    public void setUp() {
        store = new InMemoryModelStore();
        clock = new MovableClock();
        repository = new ModelRepository(store, clock);
        groups = new SecurityGroupManager(repository);
    }

    private void createGroups(Caller caller, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            groups.createGroup(caller, new SecurityGroupSpec(prefix + i, null));
        }
    }

    private static List<Long> sequences(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::sequence).toList();
    }

    @Test
    public void entriesOlderThanTheRetentionAgeAreDeleted() {
        createGroups(ADMIN, "old", 30);
        clock.now = clock.now.plus(Duration.ofDays(2));
        createGroups(ADMIN, "new", 10);
        AuditManager audit = new AuditManager(repository, 1_000, Duration.ofDays(1));

        assertEquals(30, audit.enforceRetention());
        assertEquals(0, audit.enforceRetention());
        List<AuditEntry> kept = audit.entries(ADMIN, 100);
        assertEquals(10, kept.size());
        assertEquals(40L, (long) kept.get(0).sequence());
        assertEquals(31L, (long) kept.get(9).sequence());
    }

    @Test
    public void theOldestEntriesBeyondTheRetentionCountAreDeletedAcrossPages() {
        createGroups(ADMIN, "g", 1_234);
        AuditManager audit = new AuditManager(repository, 700, Duration.ofDays(30));

        assertEquals(534, audit.enforceRetention());
        List<AuditEntry> kept = audit.entries(ADMIN, AuditManager.MAX_LIMIT);
        assertEquals(700, kept.size());
        assertEquals(1_234L, (long) kept.get(0).sequence());
        assertEquals(535L, (long) kept.get(699).sequence());
        assertEquals(List.of(1_234L, 1_233L), sequences(audit.entries(ADMIN, 2)));
    }

    @Test
    public void listingFiltersByTenantAcrossPagesNewestFirst() {
        createGroups(ALICE, "a", 3);
        createGroups(ADMIN, "g", 1_100);
        AuditManager audit = new AuditManager(repository, 100_000, Duration.ofDays(30));

        assertEquals(List.of(3L, 2L, 1L), sequences(audit.entries(ALICE, 10)));
        assertEquals(List.of(3L, 2L), sequences(audit.entries(ALICE, 2)));
        assertEquals(List.of(), audit.entries(ALICE, 0));
    }

    @Test
    public void aReloadedRepositoryContinuesTheSequenceFromTheNewestStoredEntry() {
        createGroups(ADMIN, "g", 5);
        new AuditManager(repository, 2, Duration.ofDays(30)).enforceRetention();
        ModelRepository reloaded = new ModelRepository(store, clock);
        new SecurityGroupManager(reloaded).createGroup(ADMIN, new SecurityGroupSpec("after", null));
        assertEquals(List.of(6L, 5L, 4L), sequences(reloaded.audit(e -> true, 10)));
    }

    @Test
    public void aRetentionAgeMustBeAPositiveIsoDuration() {
        assertEquals(Duration.ofDays(30), AuditManager.parseAge("P30D"));
        assertEquals(Duration.ofHours(12), AuditManager.parseAge(" PT12H "));
        assertThrows(IllegalArgumentException.class, () -> AuditManager.parseAge("30 days"));
        assertThrows(IllegalArgumentException.class, () -> AuditManager.parseAge("PT0S"));
    }
}
