package io.netloom.rest.internal;

import java.util.List;

import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.Port;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.topology.Topology;

/**
 * Shows each network and port with the status the reconciler reports for it. The model stores desired state
 * only; realisation is observed state, kept by the reconciler, and joined in here for the answer.
 */
final class StatusOverlay {

    private StatusOverlay() {
    }

    /**
     * @param body an answer's body: a network, a port, a list of either, a topology, or anything else (returned as
 *     it is)
     * @param realisation the reconciler, or {@code null} when it is not running (objects keep their stored status)
     * @return the body with current statuses
     */
    static Object apply(Object body, RealisationService realisation) {
        if (realisation == null) {
            return body;
        }
        if (body instanceof Topology t) {
            return new Topology(t.nodes(), t.networks().stream().map(realisation::withStatus).toList(),
                    t.ports().stream().map(realisation::withStatus).toList(),
                    t.peerings().stream().map(realisation::withStatus).toList(), t.links());
        }
        if (body instanceof List<?> list && !list.isEmpty() && (list.get(0) instanceof Network
                || list.get(0) instanceof Port || list.get(0) instanceof Peering)) {
            return list.stream().map(realisation::withStatus).toList();
        }
        return realisation.withStatus(body);
    }
}
