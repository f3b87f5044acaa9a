package io.netloom.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to the desired state, as the audit log keeps it.
 *
 * @param sequence position in the log, increasing
 * @param at when the change was made durable
 * @param user who made it
 * @param tenant on whose behalf
 * @param via through which interface ({@code rest}, {@code shell}, {@code console}, {@code system})
 * @param action what was done, such as {@code network.create} or {@code peering.accept}
 * @param objectId the id of the object changed
 * @param before the object before the change as JSON, or {@code null} when it was created
 * @param after the object after the change as JSON, or {@code null} when it was deleted
 */
public record AuditEntry(long sequence, Instant at, String user, String tenant, String via, String action,
        String objectId, String before, String after) {

    /**
     * Checks that no required component is missing.
     */
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(objectId, "objectId");
    }
}
