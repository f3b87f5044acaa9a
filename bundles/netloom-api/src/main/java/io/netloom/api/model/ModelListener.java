package io.netloom.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every change to the desired state. Register an implementation as an OSGi service (whiteboard); it is
 * called in commit order, on one thread, after the change is durable. It must return quickly.
 */
@ConsumerType
public interface ModelListener {

    /**
     * @param event the change
     */
    void event(ModelEvent event);
}
