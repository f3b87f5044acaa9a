package io.netloom.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.routing.Route;

public class RoutingManagerTest {

    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");
    private static final Caller T1_USER = new Caller("alice", "t1", false, "rest");

    private FakeNetworkService networks;
    private FakePeeringService peerings;
    private RoutingManager routing;

    @Before
    public void setUp() {
        networks = new FakeNetworkService();
        peerings = new FakePeeringService();
        networks.add("a", "10.1.0.0/16");
        networks.add("b", "10.2.0.0/16", "fd00:2::/48");
        networks.add("c", "10.3.0.0/16");
        networks.add("d", "10.4.0.0/16");
        routing = new RoutingManager(networks, peerings);
        routing.activate();
    }

    private static Route local(String cidr) {
        return new Route(cidr, Route.LOCAL, "local");
    }

    private static Route via(String peeringId, String cidr) {
        return new Route(cidr, Route.peeringTarget(peeringId), "peering");
    }

    /** Stores the peering in its new state and announces the change, as the model does after a write. */
    private void changePeering(String id, String network, String peer, PeeringState state) {
        Optional<Peering> before = peerings.peerings(ADMIN).stream().filter(p -> p.id().equals(id)).findFirst();
        Peering after = peerings.put(id, network, peer, state);
        routing.event(before.isPresent() ? new ModelEvent(ModelEvent.Type.UPDATED, after, before.get())
                : new ModelEvent(ModelEvent.Type.CREATED, after, null));
    }

    private Map<String, RouteTable> publishedTables() {
        return Stream.of("a", "b", "c", "d")
                .collect(Collectors.toMap(Function.identity(), id -> routing.table(id).orElseThrow()));
    }

    @Test
    public void eachNetworkStartsWithALocalRoutePerPrefix() {
        assertEquals(List.of(local("10.1.0.0/16")), routing.routes(ADMIN, "a"));
        assertEquals(List.of(local("fd00:2::/48"), local("10.2.0.0/16")), routing.routes(ADMIN, "b"));
        assertEquals(Optional.of(local("10.2.0.0/16")), routing.lookup("b", "10.2.9.9"));
        assertEquals(Optional.of(local("fd00:2::/48")), routing.lookup("b", "fd00:2::1"));
        assertEquals(Optional.empty(), routing.lookup("a", "10.2.9.9"));
    }

    @Test
    public void routesNameTheNetworkByIdOrNameAsTheCallerSeesIt() {
        networks.addInTenant("e", "t2", "10.5.0.0/16");
        routing.event(new ModelEvent(ModelEvent.Type.CREATED, networks.network(ADMIN, "e"), null));

        assertEquals(List.of(local("10.1.0.0/16")), routing.routes(T1_USER, "A"));
        assertEquals(List.of(local("10.5.0.0/16")), routing.routes(ADMIN, "e"));
        assertThrows(NotFoundException.class, () -> routing.routes(T1_USER, "e"));
        assertThrows(NotFoundException.class, () -> routing.routes(ADMIN, "nowhere"));
    }

    @Test
    public void activationAfterARestartRebuildsTheSameTables() {
        changePeering("p1", "a", "b", PeeringState.ACTIVE);
        List<Route> before = routing.routes(ADMIN, "a");
        routing.deactivate();

        RoutingManager restarted = new RoutingManager(networks, peerings);
        restarted.activate();

        assertEquals(before, restarted.routes(ADMIN, "a"));
        assertEquals(3, before.size());
    }

    @Test
    public void pendingPeeringAddsNoRoute() {
        changePeering("p1", "a", "b", PeeringState.PENDING_ACCEPTANCE);

        assertEquals(List.of(local("10.1.0.0/16")), routing.routes(ADMIN, "a"));
        assertEquals(Optional.empty(), routing.lookup("a", "10.2.0.1"));
    }

    @Test
    public void routesAppearOnBothSidesWhenAPeeringBecomesActive() {
        changePeering("p1", "a", "b", PeeringState.PENDING_ACCEPTANCE);
        changePeering("p1", "a", "b", PeeringState.ACTIVE);

        assertEquals(List.of(via("p1", "fd00:2::/48"), local("10.1.0.0/16"), via("p1", "10.2.0.0/16")),
                routing.routes(ADMIN, "a"));
        assertEquals(List.of(local("fd00:2::/48"), via("p1", "10.1.0.0/16"), local("10.2.0.0/16")),
                routing.routes(ADMIN, "b"));
        assertEquals(Optional.of(via("p1", "10.2.0.0/16")), routing.lookup("a", "10.2.0.1"));
        assertEquals(Optional.of(via("p1", "10.1.0.0/16")), routing.lookup("b", "10.1.255.255"));
    }

    @Test
    public void routesDisappearWhenAPeeringLeavesTheActiveState() {
        for (PeeringState state : List.of(PeeringState.REJECTED, PeeringState.EXPIRED, PeeringState.FAILED,
                PeeringState.DELETED, PeeringState.PENDING_ACCEPTANCE)) {
            changePeering("p1", "a", "b", PeeringState.ACTIVE);
            assertEquals(Optional.of(via("p1", "10.2.0.0/16")), routing.lookup("a", "10.2.0.1"));

            changePeering("p1", "a", "b", state);

            assertEquals(state.name(), List.of(local("10.1.0.0/16")), routing.routes(ADMIN, "a"));
            assertEquals(state.name(), Optional.empty(), routing.lookup("b", "10.1.0.1"));
        }
    }

    @Test
    public void routesDisappearWhenAnActivePeeringIsDeleted() {
        changePeering("p1", "a", "b", PeeringState.ACTIVE);
        Peering deleted = peerings.remove("p1");

        routing.event(new ModelEvent(ModelEvent.Type.DELETED, deleted, null));

        assertEquals(List.of(local("10.1.0.0/16")), routing.routes(ADMIN, "a"));
        assertEquals(Optional.empty(), routing.lookup("b", "10.1.0.1"));
    }

    @Test
    public void peeringIsNotTransitive() {
        changePeering("p1", "a", "b", PeeringState.ACTIVE);
        changePeering("p2", "b", "c", PeeringState.ACTIVE);

        assertEquals(List.of(via("p1", "fd00:2::/48"), local("10.1.0.0/16"), via("p1", "10.2.0.0/16")),
                routing.routes(ADMIN, "a"));
        assertEquals(Optional.empty(), routing.lookup("a", "10.3.0.1"));
        assertEquals(Optional.empty(), routing.lookup("c", "10.1.0.1"));
        assertEquals(Optional.of(via("p1", "10.1.0.0/16")), routing.lookup("b", "10.1.0.1"));
        assertEquals(Optional.of(via("p2", "10.3.0.0/16")), routing.lookup("b", "10.3.0.1"));
    }

    @Test
    public void aPeeringEventRebuildsOnlyTheTablesOfItsTwoNetworks() {
        Map<String, RouteTable> before = publishedTables();

        changePeering("p1", "a", "b", PeeringState.ACTIVE);

        Map<String, RouteTable> after = publishedTables();
        assertNotSame(before.get("a"), after.get("a"));
        assertNotSame(before.get("b"), after.get("b"));
        assertSame(before.get("c"), after.get("c"));
        assertSame(before.get("d"), after.get("d"));
    }

    @Test
    public void aNetworkStatusChangeRebuildsNothing() {
        Map<String, RouteTable> before = publishedTables();
        Network old = networks.network(ADMIN, "a");
        Network realised = new Network(old.id(), old.name(), old.tenant(), old.cidrs(), old.driver(),
                old.createdAt(), RealisationStatus.ACTIVE, "");
        networks.put(realised);

        routing.event(new ModelEvent(ModelEvent.Type.UPDATED, realised, old));

        assertEquals(before, publishedTables());
        before.forEach((id, table) -> assertSame(table, routing.table(id).orElseThrow()));
    }

    @Test
    public void aNetworkChangeRebuildsItsTableAndThoseOfItsActivePeersOnly() {
        changePeering("p1", "a", "b", PeeringState.ACTIVE);
        changePeering("p2", "a", "c", PeeringState.REJECTED);
        Map<String, RouteTable> before = publishedTables();
        Network old = networks.network(ADMIN, "a");
        Network grown = new Network(old.id(), old.name(), old.tenant(), List.of("10.1.0.0/16", "10.11.0.0/16"),
                old.driver(), old.createdAt(), old.status(), old.statusDetail());
        networks.put(grown);

        routing.event(new ModelEvent(ModelEvent.Type.UPDATED, grown, old));

        Map<String, RouteTable> after = publishedTables();
        assertNotSame(before.get("a"), after.get("a"));
        assertNotSame(before.get("b"), after.get("b"));
        assertSame(before.get("c"), after.get("c"));
        assertSame(before.get("d"), after.get("d"));
        assertEquals(Optional.of(via("p1", "10.11.0.0/16")), routing.lookup("b", "10.11.0.1"));
    }

    @Test
    public void aNewNetworkGetsItsTableAndADeletedOneLosesIt() {
        Network e = networks.add("e", "10.5.0.0/16");
        routing.event(new ModelEvent(ModelEvent.Type.CREATED, e, null));
        assertTrue(routing.table("e").isPresent());

        networks.remove("e");
        routing.event(new ModelEvent(ModelEvent.Type.DELETED, e, null));

        assertFalse(routing.table("e").isPresent());
        assertThrows(NotFoundException.class, () -> routing.lookup("e", "10.5.0.1"));
    }

    @Test
    public void aNetworkNotYetAnnouncedIsRoutedFromTheModel() {
        networks.add("e", "10.5.0.0/16");

        assertEquals(List.of(local("10.5.0.0/16")), routing.routes(ADMIN, "e"));
        assertEquals(Optional.of(local("10.5.0.0/16")), routing.lookup("e", "10.5.0.1"));
        assertFalse("only events publish tables", routing.table("e").isPresent());
    }

    @Test
    public void eventsAboutOtherObjectsChangeNothing() {
        Map<String, RouteTable> before = publishedTables();

        routing.event(new ModelEvent(ModelEvent.Type.CREATED, "a subnet or a port", null));

        before.forEach((id, table) -> assertSame(table, routing.table(id).orElseThrow()));
    }

    @Test
    public void concurrentReadersSeeEitherTheOldOrTheNewTableNeverAHalfBuiltOne() throws InterruptedException {
        List<Route> withoutPeering = List.of(local("10.1.0.0/16"));
        List<Route> withPeering = List.of(via("p1", "fd00:2::/48"), local("10.1.0.0/16"), via("p1", "10.2.0.0/16"));
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Runnable reader = () -> {
            while (!done.get()) {
                List<Route> routes = routing.routes(ADMIN, "a");
                if (!routes.equals(withoutPeering) && !routes.equals(withPeering)) {
                    failures.add(routes.toString());
                }
                Optional<Route> route = routing.lookup("a", "10.2.0.1");
                if (route.isPresent() && !route.get().equals(via("p1", "10.2.0.0/16"))) {
                    failures.add(route.toString());
                }
            }
        };
        Thread[] readers = {new Thread(reader), new Thread(reader), new Thread(reader)};
        for (Thread thread : readers) {
            thread.start();
        }
        try {
            for (int i = 0; i < 2_000; i++) {
                changePeering("p1", "a", "b", i % 2 == 0 ? PeeringState.ACTIVE : PeeringState.PENDING_ACCEPTANCE);
            }
        } finally {
            done.set(true);
            for (Thread thread : readers) {
                thread.join();
            }
        }
        assertEquals(List.of(), List.copyOf(failures));
    }
}
