package io.netloom.routing.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;

/** Peerings held in a map ordered by id; tests name them so that id order is creation order. */
final class FakePeeringService implements PeeringService {

    private final Map<String, Peering> peerings = new ConcurrentSkipListMap<>();

    /** Stores a peering of the two networks in the given state and returns it. */
    Peering put(String id, String network, String peerNetwork, PeeringState state) {
        Peering peering = new Peering(id, id, "t1", network, peerNetwork, false, state, "", Instant.EPOCH,
                Instant.EPOCH);
        peerings.put(id, peering);
        return peering;
    }

    Peering remove(String id) {
        return peerings.remove(id);
    }

    @Override
    public List<Peering> peerings(Caller caller) {
        return List.copyOf(peerings.values());
    }

    @Override
    public Peering peering(Caller caller, String idOrName) {
        Peering peering = peerings.get(idOrName);
        if (peering == null) {
            throw new NotFoundException("peering", idOrName);
        }
        return peering;
    }
}
