package io.netloom.api.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.ConflictException;
import io.netloom.api.store.StoreWrite;

/**
 * Model revisions: every committed write of the desired state gets the next number of one monotonic sequence, kept
 * across restarts. A revision names "the model as of that write": the reconciler reports, per node, the highest
 * revision it has realised, so a caller can wait until a write of its own is live.
 */
@ProviderType
public interface ModelRevisions {

    /** Error code when derived state has not caught up with the newest write in time. */
    String POLICY_CATCHING_UP = "POLICY_CATCHING_UP";

    /** How long a reader of derived state (routes, topology, lint, explain) waits for it to hear the newest write. */
    Duration CATCH_UP = Duration.ofSeconds(10);

    /**
     * @return the revision of the newest committed write; 0 before the first
     */
    long current();

    /**
     * Runs {@code work} on the calling thread and reports the highest revision that the writes it made committed.
     *
     * @param work reads and writes through the model services
     * @param alsoCommit given a write's revision, more store writes to commit atomically with that write (for
     *     example, a record that a request was applied); called once per write that commits, under the write lock;
     *     {@code null} for none
     * @return what {@code work} returned, and the revision of its last write (0 when it committed none)
     */
    <T> Tracked<T> tracked(Supplier<T> work, LongFunction<List<StoreWrite>> alsoCommit);

    /**
     * Waits until every {@link ModelListener} has heard a revision (its {@link ModelListener#committed} has been
     * called), so that state derived from the model (compiled rules, routes, topology) reflects that write. A reader
     * of derived state waits for {@link #current()} first, and so sees every write acknowledged before it asked. Never
     * call it from a listener: listeners are called on the thread this waits for.
     *
     * @param revision the revision to wait for
     * @param timeout how long to wait at most
     * @return whether every listener had heard it within the timeout
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean awaitHeard(long revision, Duration timeout) throws InterruptedException;

    /**
     * Waits until every listener has heard the newest committed write, so that derived state read next reflects every
     * write acknowledged before this call.
     *
     * @param timeout how long to wait at most
     * @throws ConflictException {@value #POLICY_CATCHING_UP} when the listeners have not heard it within the timeout
     *     (or the wait was interrupted): an answer from derived state could then be stale
     */
    default void awaitCurrentHeard(Duration timeout) {
        try {
            if (awaitHeard(current(), timeout)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ConflictException(POLICY_CATCHING_UP, "The policy services have not yet applied the latest changes"
                + " within " + timeout.toSeconds() + " s, so an answer could be stale; ask again", null);
    }

    /**
     * What a tracked piece of work returned and the revision its writes reached.
     *
     * @param value what the work returned
     * @param revision the revision of its last committed write; 0 when it committed none
     */
    record Tracked<T>(T value, long revision) {

        /**
         * Checks the revision.
         */
        public Tracked {
            if (revision < 0) {
                throw new IllegalArgumentException("revision must not be negative, was " + revision);
            }
        }

        /**
         * @return whether the work committed a write
         */
        public boolean wrote() {
            return revision > 0;
        }

        @Override
        public String toString() {
            return "Tracked[" + Objects.toString(value) + " @" + revision + "]";
        }
    }
}
