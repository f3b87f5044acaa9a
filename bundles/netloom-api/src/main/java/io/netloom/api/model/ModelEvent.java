package io.netloom.api.model;

import java.util.Objects;

/**
 * A change to the desired state, delivered to {@link ModelListener}s after it is durable.
 *
 * @param type what happened
 * @param subject the object after the change; for {@link Type#DELETED}, the object as it was
 * @param previous the object before an {@link Type#UPDATED} change, else {@code null}
 */
public record ModelEvent(Type type, Object subject, Object previous) {

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
    }
}
