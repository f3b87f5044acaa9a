package io.netloom.peering.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.PeeringUpdate;

/**
 * Peerings in a map, with the state rule of the real service: only a pending peering can be expired. Tests can
 * make something happen just before an expiry, as another user's request would.
 */
final class FakePeeringAdminService implements PeeringAdminService {

    private final Map<String, Peering> peerings = new ConcurrentSkipListMap<>();

    /** Ids passed to {@link #expire}, in call order, whether it succeeded or not. */
    final ConcurrentLinkedQueue<String> expireCalls = new ConcurrentLinkedQueue<>();

    /** Counts down each time the peerings are listed, that is once per expiry check. */
    volatile CountDownLatch listed = new CountDownLatch(1);

    /** Runs at the start of {@link #expire} with the peering id. */
    volatile Consumer<String> beforeExpire = id -> { };

    Peering put(String id, PeeringState state, Instant createdAt) {
        return put(id, state, createdAt, createdAt);
    }

    Peering put(String id, PeeringState state, Instant createdAt, Instant updatedAt) {
        Peering peering = new Peering(id, id, "t1", "net-a-" + id, "net-b-" + id, false, state, "", createdAt,
                updatedAt);
        peerings.put(id, peering);
        return peering;
    }

    boolean exists(String id) {
        return peerings.containsKey(id);
    }

    void setState(String id, PeeringState state) {
        Peering p = peering(Caller.system(), id);
        peerings.put(id, new Peering(p.id(), p.name(), p.tenant(), p.network(), p.peerNetwork(),
                p.allowForwardedTraffic(), state, "", p.createdAt(), p.updatedAt()));
    }

    void delete(String id) {
        peerings.remove(id);
    }

    PeeringState state(String id) {
        return peering(Caller.system(), id).state();
    }

    @Override
    public List<Peering> peerings(Caller caller) {
        List<Peering> all = List.copyOf(peerings.values());
        listed.countDown();
        return all;
    }

    @Override
    public Peering peering(Caller caller, String idOrName) {
        Peering peering = peerings.get(idOrName);
        if (peering == null) {
            throw new NotFoundException("peering", idOrName);
        }
        return peering;
    }

    @Override
    public Peering expire(Caller caller, String idOrName) {
        expireCalls.add(idOrName);
        beforeExpire.accept(idOrName);
        Peering p = peering(caller, idOrName);
        if (p.state() != PeeringState.PENDING_ACCEPTANCE) {
            throw new ConflictException("INVALID_STATE", "Peering " + p.id() + " is " + p.state(), null);
        }
        setState(idOrName, PeeringState.EXPIRED);
        return peering(caller, idOrName);
    }

    @Override
    public Peering createPeering(Caller caller, PeeringSpec spec) {
        throw new UnsupportedOperationException("the policy never requests peerings");
    }

    @Override
    public Peering accept(Caller caller, String idOrName) {
        throw new UnsupportedOperationException("the policy never accepts peerings");
    }

    @Override
    public Peering reject(Caller caller, String idOrName) {
        throw new UnsupportedOperationException("the policy never rejects peerings");
    }

    @Override
    public void deletePeering(Caller caller, String idOrName) {
        throw new UnsupportedOperationException("the policy never deletes peerings");
    }

    @Override
    public Peering updatePeering(Caller caller, String idOrName, PeeringUpdate update) {
        throw new UnsupportedOperationException("the policy never changes peerings' flags");
    }

    @Override
    public Peering sync(Caller caller, String idOrName) {
        throw new UnsupportedOperationException("the policy never syncs peerings");
    }

    @Override
    public void forget(Caller caller, String idOrName) {
        Peering p = peering(caller, idOrName);
        if (p.isLive()) {
            throw new ConflictException("INVALID_STATE", "Peering " + p.id() + " is " + p.state(), null);
        }
        peerings.remove(idOrName);
    }
}
