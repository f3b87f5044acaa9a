package io.netloom.api.model;

import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.store.StoreWrite;

/**
 * Model revisions: every committed write of the desired state gets the next number of one monotonic sequence, kept
 * across restarts. A revision names "the model as of that write": the reconciler reports, per node, the highest
 * revision it has realised, so a caller can wait until a write of its own is live.
 */
@ProviderType
public interface ModelRevisions {

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
