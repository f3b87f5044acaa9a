package io.netloom.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every change to the desired state. Register an implementation as an OSGi service (whiteboard); it is
 * called in commit order, on one thread, after the change is durable. It must return quickly. Each event reaches
 * the listeners by descending {@code service.ranking}: a listener that derives state others read (the firewall and
 * routing rank 100) has applied an event before a reader of that state (the reconciler, ranking 0) hears of it.
 */
@ConsumerType
public interface ModelListener {

    /**
     * @param event the change
     */
    void event(ModelEvent event);

    /**
     * Called once every event of one write has been delivered to every listener (on the same thread, after the
     * last of them): the listener has now heard all of that revision. The default does nothing.
     *
     * @param revision the write's revision ({@link ModelEvent#revision()})
     */
    default void committed(long revision) {
    }
}
