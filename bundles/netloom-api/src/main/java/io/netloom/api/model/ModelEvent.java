package io.netloom.api.model;

import java.util.Objects;

/**
 * A change to the desired state, delivered to {@link ModelListener}s after it is durable.
 *
 * @param type what happened
 * @param subject the object after the change; for {@link Type#DELETED}, the object as it was
 * @param previous the object before an {@link Type#UPDATED} change, else {@code null}
 * @param revision the model revision of the write that made the change (every event of one write has the same);
 *     0 when unknown
 */
public record ModelEvent(Type type, Object subject, Object previous, long revision) {

    /** What happened to the subject. */
    public enum Type {
        /** It was created. */
        CREATED,
        /** It was changed. */
        UPDATED,
        /** It was deleted. */
        DELETED
    }

    /**
     * Checks that no required component is missing.
     */
    public ModelEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative, was " + revision);
        }
    }

    /**
     * An event of unknown revision (0).
     *
     * @param type what happened
     * @param subject the object after the change; for {@link Type#DELETED}, the object as it was
     * @param previous the object before an {@link Type#UPDATED} change, else {@code null}
     */
    public ModelEvent(Type type, Object subject, Object previous) {
        this(type, subject, previous, 0);
    }
}
