package io.netloom.rest.internal;

import java.util.List;
import java.util.function.Supplier;

import io.netloom.api.model.ModelRevisions;
import io.netloom.api.realisation.NodeRealisation;
import io.netloom.api.realisation.RealisationService;

/**
 * {@code GET /realisation}: the model's newest revision and, per node, the revision its data plane has realised and
 * how many revisions that concern it are still to be realised there. Answers 503 while the reconciler is stopped.
 */
final class RealisationResource {

    private final Supplier<RealisationService> realisation;
    private final ModelRevisions revisions;

    RealisationResource(Supplier<RealisationService> realisation, ModelRevisions revisions) {
        this.realisation = realisation;
        this.revisions = revisions;
    }

    /**
     * The answer.
     *
     * @param revision the newest committed revision
     * @param nodes each node's progress
     */
    record Answer(long revision, List<NodeRealisation> nodes) {
    }

    void register(Router router) {
        router.add("GET", "/realisation", r -> {
            // Read the revision first: a node is never shown ahead of the model.
            long revision = revisions.current();
            RealisationService reconciler = realisation.get();
            if (reconciler == null) {
                throw new ApiException(503, "SERVICE_UNAVAILABLE", "The reconciler is not running: nothing is "
                        + "realised until it is", null);
            }
            return ApiResponse.ok(new Answer(revision, reconciler.nodes()));
        });
    }
}
