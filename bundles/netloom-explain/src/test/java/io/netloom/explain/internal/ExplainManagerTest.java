package io.netloom.explain.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.explain.Explanation;
import io.netloom.api.explain.Hop;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;
import io.netloom.api.model.NodeStatus;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.api.realisation.NodeRealisation;
import io.netloom.api.realisation.Realisation;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;
import io.netloom.api.store.StoreWrite;

public class ExplainManagerTest {

    /** Revisions whose listeners have heard up to {@link #heard}; records the revision explain waits for. */
    private static final class Revisions implements ModelRevisions {
        long current = 7;
        long heard = 7;
        long waitedFor = -1;

        @Override
        public long current() {
            return current;
        }

        @Override
        public <T> Tracked<T> tracked(Supplier<T> work, LongFunction<List<StoreWrite>> alsoCommit) {
            throw new UnsupportedOperationException("explain writes nothing");
        }

        @Override
        public boolean awaitHeard(long revision, Duration timeout) {
            waitedFor = revision;
            return heard >= revision;
        }
    }

    private final Revisions revisions = new Revisions();

    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");
    private static final Caller ALICE = new Caller("alice", "acme", false, "rest");
    private static final Caller BOB = new Caller("bob", "bobco", false, "rest");

    private TestModel model;
    private ExplainManager explain;

    @Before
    public void setUp() {
        model = new TestModel();
        model.network("n-a", "acme", "10.1.0.0/16");
        model.port("a1", "n-a", "10.1.0.5");
        model.port("a2", "n-a", "10.1.0.6");
        model.port("a3", "n-a", "10.1.1.5");

        model.network("n-b", "bobco", "10.2.0.0/16");
        model.group("sg-web");
        model.rule("sg-web", "http", Direction.INGRESS, Protocol.TCP, 80, 80, "0.0.0.0/0", null, RuleAction.ALLOW,
                100);
        model.port("b1", "n-b", "10.2.0.5", "sg-web");

        model.network("n-c", "carolco", "10.3.0.0/16");
        model.port("c1", "n-c", "10.3.0.5", "sg-web");

        model.network("n-d", "acme", "10.4.0.0/16");
        model.port("d1", "n-d", "10.4.0.5");

        explain = new ExplainManager(model.portService, model.networkService, model.peeringService, revisions);
        explain.routing = model.routingService;
        explain.firewall = model.firewallService;
    }

    @Test
    public void aPortWithoutAnAddressIsNotExplainedEitherWay() {
        model.port("l2", "n-a", null);
        ConflictException from = assertThrows(ConflictException.class,
                () -> explain.explain(ALICE, "l2", "a1", Protocol.TCP, 22));
        assertEquals("NO_ADDRESS", from.code());
        assertEquals(Optional.of("from"), from.field());
        ConflictException to = assertThrows(ConflictException.class,
                () -> explain.explain(ALICE, "a1", "l2", Protocol.TCP, 22));
        assertEquals("NO_ADDRESS", to.code());
        assertEquals(Optional.of("to"), to.field());
        assertEquals("ALLOW", explain.explain(ALICE, "a1", "a2", Protocol.TCP, 22).verdict());
    }

    @Test
    public void sameSubnetIsAllowedByTheDefaultGroup() {
        Explanation result = explain.explain(ALICE, "a1", "a2", Protocol.TCP, 22);

        assertEquals("ALLOW", result.verdict());
        assertEquals(List.of("source", "egress-firewall", "routing", "destination", "ingress-firewall"),
                layers(result));
        assertHop(result.hops().get(1), "egress-firewall", "default-egress-allow", "ALLOW");
        assertHop(result.hops().get(2), "routing", "10.1.0.0/16 -> local", "PASS");
        assertHop(result.hops().get(3), "destination", "a2", "PASS");
        assertHop(last(result), "ingress-firewall", "sg-n-a/members", "ALLOW");
    }

    @Test
    public void subnetsOfOneNetworkReachEachOtherThroughTheLocalRoute() {
        Explanation result = explain.explain(ALICE, "a1", "a3", Protocol.UDP, 53);

        assertEquals("ALLOW", result.verdict());
        assertHop(result.hops().get(2), "routing", "10.1.0.0/16 -> local", "PASS");
        assertHop(result.hops().get(3), "destination", "a3", "PASS");
        assertHop(last(result), "ingress-firewall", "sg-n-a/members", "ALLOW");
    }

    @Test
    public void networksWithoutPeeringHaveNoRoute() {
        Explanation result = explain.explain(ALICE, "a1", "d1", Protocol.TCP, 22);

        assertEquals("NO_ROUTE", result.verdict());
        assertEquals(List.of("source", "egress-firewall", "routing"), layers(result));
        assertHop(last(result), "routing", "no-route", "NO_ROUTE");
        assertTrue(last(result).detail(), last(result).detail().contains("has no route to 10.4.0.5"));
    }

    @Test
    public void activePeeringIsCrossedThroughThePeeringHop() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.ACTIVE);

        // b1 belongs to another tenant: alice names it by id, which works only because of the active peering.
        Explanation result = explain.explain(ALICE, "a1", "b1", Protocol.TCP, 80);

        assertEquals("ALLOW", result.verdict());
        assertEquals(List.of("source", "egress-firewall", "routing", "peering", "destination", "ingress-firewall"),
                layers(result));
        assertHop(result.hops().get(2), "routing", "10.2.0.0/16 -> peering:p-ab", "PASS");
        assertHop(result.hops().get(3), "peering", "p-ab", "PASS");
        assertTrue(result.hops().get(3).detail().contains("ACTIVE"));
        assertHop(result.hops().get(4), "destination", "b1", "PASS");
        assertHop(last(result), "ingress-firewall", "sg-web/http", "ALLOW");
    }

    /**
     * Hub n-h with appliance h-fw (10.8.0.254), spokes n-a and n-b peered with the hub only, a route in n-a to n-b
     * through the appliance.
     */
    private void hubAndSpoke(boolean forwarded, String... pairs) {
        model.network("n-h", "acme", "10.8.0.0/16");
        model.group("sg-fw");
        model.rule("sg-fw", "all", Direction.INGRESS, Protocol.ANY, null, null, "10.0.0.0/8", null, RuleAction.ALLOW,
                100);
        model.port("h-fw", "n-h", "10.8.0.254", "sg-fw");
        model.pairs("h-fw", pairs);
        for (String[] spoke : new String[][] {{"p-ha", "n-a"}, {"p-hb", "n-b"}}) {
            model.peering(spoke[0], "n-h", spoke[1], PeeringState.ACTIVE);
            model.peering(model.peering(spoke[0]).withSettings(spoke[0], true, forwarded, false, Instant.EPOCH));
        }
        model.staticRoute("n-a", "10.2.0.0/16", "10.8.0.254");
    }

    @Test
    public void explainFollowsTrafficThroughAHubsAppliance() {
        hubAndSpoke(true, "10.1.0.0/16");

        Explanation result = explain.explain(ADMIN, "a1", "b1", Protocol.TCP, 80);

        assertEquals("ALLOW", result.verdict());
        assertEquals(List.of("source", "egress-firewall", "routing", "peering", "ingress-firewall", "appliance",
                "egress-firewall", "routing", "peering", "destination", "ingress-firewall"), layers(result));
        assertHop(result.hops().get(2), "routing", "10.2.0.0/16 -> 10.8.0.254", "PASS");
        assertHop(result.hops().get(3), "peering", "p-ha", "PASS");
        assertHop(result.hops().get(4), "ingress-firewall", "sg-fw/all", "ALLOW");
        assertHop(result.hops().get(5), "appliance", "h-fw", "PASS");
        assertTrue(result.hops().get(5).detail(), result.hops().get(5).detail().contains("10.1.0.0/16"));
        assertHop(result.hops().get(8), "peering", "p-hb", "PASS");
        assertTrue(result.hops().get(8).detail(), result.hops().get(8).detail().contains("did not originate"));
        assertHop(last(result), "ingress-firewall", "sg-web/http", "ALLOW");
    }

    @Test
    public void forwardedTrafficStopsAtAPeeringThatDoesNotAllowIt() {
        hubAndSpoke(false, "10.1.0.0/16");

        Explanation result = explain.explain(ADMIN, "a1", "b1", Protocol.TCP, 80);

        assertEquals("DENY", result.verdict());
        assertHop(last(result), "peering", "p-hb", "DENY");
        assertTrue(last(result).detail(), last(result).detail().contains("allowForwardedTraffic is off"));
    }

    @Test
    public void anApplianceWithoutAPairForTheSourceDropsWhatItWouldForward() {
        hubAndSpoke(true, "10.2.0.0/16");

        Explanation result = explain.explain(ADMIN, "a1", "b1", Protocol.TCP, 80);

        assertEquals("DENY", result.verdict());
        assertHop(last(result), "appliance", "h-fw", "DENY");
        assertTrue(last(result).detail(), last(result).detail().contains("port security"));
    }

    @Test
    public void pendingPeeringHasNoRouteAndIsNamed() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.PENDING_ACCEPTANCE);

        Explanation result = explain.explain(ALICE, "a1", "10.2.0.5", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertHop(last(result), "routing", "no-route", "NO_ROUTE");
        assertTrue(last(result).detail(), last(result).detail().contains("p-ab")
                && last(result).detail().contains("PENDING_ACCEPTANCE"));
    }

    @Test
    public void aPeeringNotInSyncRoutesOnlyTheAddressSpaceOfItsLastSyncAndExplainSaysSo() {
        model.network("n-e", "bobco", "10.5.0.0/16", "10.6.0.0/16");
        model.port("e1", "n-e", "10.6.0.5", "sg-web");
        model.peering("p-ae", "n-a", "n-e", PeeringState.ACTIVE);
        model.peering(model.peering("p-ae").withRecorded("bobco", List.of("10.1.0.0/16"), List.of("10.5.0.0/16"),
                Instant.EPOCH));

        Explanation result = explain.explain(ALICE, "a1", "10.6.0.5", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertHop(last(result), "routing", "no-route", "NO_ROUTE");
        assertTrue(last(result).detail(), last(result).detail().contains("p-ae")
                && last(result).detail().contains("not in sync"));
        model.peering(model.peering("p-ae").withRecorded("bobco", List.of("10.1.0.0/16"),
                List.of("10.5.0.0/16", "10.6.0.0/16"), Instant.EPOCH));
        assertEquals("ALLOW", explain.explain(ALICE, "a1", "10.6.0.5", Protocol.TCP, 80).verdict());
    }

    @Test
    public void aPeeringWithoutVirtualNetworkAccessIsNamedAsTheReasonThereIsNoRoute() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.ACTIVE);
        model.peering(model.peering("p-ab").withSettings("p-ab", false, false, false, Instant.EPOCH));

        Explanation result = explain.explain(ALICE, "a1", "10.2.0.5", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertTrue(last(result).detail(), last(result).detail().contains("allowVirtualNetworkAccess is off"));
    }

    @Test
    public void peeringIsNotTransitive() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.ACTIVE);
        model.peering("p-bc", "n-b", "n-c", PeeringState.ACTIVE);

        Explanation result = explain.explain(ADMIN, "a1", "c1", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertHop(last(result), "routing", "no-route", "NO_ROUTE");
        assertTrue(last(result).detail(), last(result).detail().contains("not transitive"));
        // Through the peering, the middle network reaches both ends.
        assertEquals("ALLOW", explain.explain(ADMIN, "b1", "c1", Protocol.TCP, 80).verdict());
    }

    @Test
    public void egressDenyRuleDeniesAndIsNamedByItsCookie() {
        model.group("sg-locked");
        model.rule("sg-locked", "no-ssh", Direction.EGRESS, Protocol.TCP, 22, 22, "10.0.0.0/8", null,
                RuleAction.DENY, 10);
        model.port("a4", "n-a", "10.1.0.7", "sg-locked");

        Explanation result = explain.explain(ALICE, "a4", "a2", Protocol.TCP, 22);

        assertEquals("DENY", result.verdict());
        assertEquals(List.of("source", "egress-firewall"), layers(result));
        assertHop(last(result), "egress-firewall", "sg-locked/no-ssh", "DENY");
        // Another port passes egress; a2 then refuses it at ingress, a4 not being in a2's group.
        assertHop(explain.explain(ALICE, "a4", "a2", Protocol.TCP, 23).hops().get(1), "egress-firewall",
                "default-egress-allow", "ALLOW");
    }

    @Test
    public void groupWithoutIngressRuleDeniesByTheIngressDefault() {
        model.group("sg-out");
        model.rule("sg-out", "all-out", Direction.EGRESS, Protocol.ANY, null, null, null, null, RuleAction.ALLOW,
                100);
        model.port("a4", "n-a", "10.1.0.7", "sg-out");

        Explanation result = explain.explain(ALICE, "a1", "a4", Protocol.ICMP, 0);

        assertEquals("DENY", result.verdict());
        assertHop(last(result), "ingress-firewall", "default-ingress-deny", "DENY");
    }

    @Test
    public void ingressRuleForTcp80AllowsPort80Only() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.ACTIVE);

        Explanation port80 = explain.explain(ALICE, "a1", "b1", Protocol.TCP, 80);
        Explanation port81 = explain.explain(ALICE, "a1", "b1", Protocol.TCP, 81);

        assertEquals("ALLOW", port80.verdict());
        assertHop(last(port80), "ingress-firewall", "sg-web/http", "ALLOW");
        assertEquals("DENY", port81.verdict());
        assertHop(last(port81), "ingress-firewall", "default-ingress-deny", "DENY");
    }

    @Test
    public void addressWithoutAPortHasNoRouteAtTheDestination() {
        Explanation result = explain.explain(ALICE, "a1", "10.1.0.99", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertEquals(List.of("source", "egress-firewall", "routing", "destination"), layers(result));
        assertHop(last(result), "destination", "10.1.0.99", "NO_ROUTE");
        assertTrue(last(result).detail(), last(result).detail().contains("No port has address 10.1.0.99"));
    }

    @Test
    public void destinationByAddressIsExplainedExactlyAsByPort() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.ACTIVE);

        assertEquals(explain.explain(ALICE, "a1", "a2", Protocol.TCP, 80),
                explain.explain(ALICE, "a1", "10.1.0.6", Protocol.TCP, 80));
        assertEquals(explain.explain(ALICE, "port-a1", "b1", Protocol.TCP, 80),
                explain.explain(ALICE, "a1", "10.2.0.5", Protocol.TCP, 80));
    }

    @Test
    public void samePortIsAllowedWithSourceAndDestinationHopsOnly() {
        Explanation byId = explain.explain(ALICE, "a1", "a1", Protocol.TCP, 80);

        assertEquals("ALLOW", byId.verdict());
        assertEquals(List.of("source", "destination"), layers(byId));
        assertHop(last(byId), "destination", "a1", "PASS");
        assertEquals(byId, explain.explain(ALICE, "a1", "10.1.0.5", Protocol.TCP, 80));
    }

    @Test
    public void portOfAnOverlappingUnpeeredNetworkIsNotReachedThroughTheLocalRoute() {
        model.network("n-e", "acme", "10.1.0.0/16");
        model.port("e1", "n-e", "10.1.0.6");

        Explanation result = explain.explain(ALICE, "a1", "e1", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertHop(result.hops().get(2), "routing", "10.1.0.0/16 -> local", "PASS");
        assertHop(last(result), "destination", "10.1.0.6", "NO_ROUTE");
    }

    @Test
    public void routeThroughAPeeringNoLongerActiveStopsAtThePeeringHop() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.REJECTED);
        // A route table lagging the model still points at the peering.
        explain.routing = new RoutingService() {
            @Override
            public List<Route> routes(Caller caller, String networkIdOrName) {
                throw new UnsupportedOperationException("explain uses lookup");
            }

            @Override
            public Optional<Route> lookup(String networkId, String address) {
                return Optional.of(new Route("10.2.0.0/16", Route.peeringTarget("p-ab"), "peering"));
            }
        };

        Explanation result = explain.explain(ALICE, "a1", "10.2.0.5", Protocol.TCP, 80);

        assertEquals("NO_ROUTE", result.verdict());
        assertHop(last(result), "peering", "p-ab", "NO_ROUTE");
        assertTrue(last(result).detail(), last(result).detail().contains("REJECTED"));
    }

    @Test
    public void missingRoutingServiceIsPolicyUnavailable() {
        explain.routing = null;

        ConflictException e = assertThrows(ConflictException.class,
                () -> explain.explain(ALICE, "a1", "a2", Protocol.TCP, 80));
        assertEquals("POLICY_UNAVAILABLE", e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("routing"));
    }

    @Test
    public void explainWaitsForThePoliciesToHearTheNewestWriteAndRefusesWhenTheyDoNot() {
        assertEquals("ALLOW", explain.explain(ALICE, "a1", "a2", Protocol.TCP, 80).verdict());
        assertEquals(7, revisions.waitedFor);

        revisions.current = 9;
        ConflictException e = assertThrows(ConflictException.class,
                () -> explain.explain(ALICE, "a1", "a2", Protocol.TCP, 80));
        assertEquals(ModelRevisions.POLICY_CATCHING_UP, e.code());
        assertEquals("explain waits for the newest write", 9, revisions.waitedFor);
    }

    @Test
    public void missingFirewallServiceIsPolicyUnavailable() {
        explain.firewall = null;

        ConflictException e = assertThrows(ConflictException.class,
                () -> explain.explain(ALICE, "a1", "a2", Protocol.TCP, 80));
        assertEquals("POLICY_UNAVAILABLE", e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("firewall"));
    }

    @Test
    public void anyProtocolIsRejectedNamingTheProtocolField() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> explain.explain(ALICE, "a1", "a2", Protocol.ANY, 80));
        assertEquals("INVALID_PROTOCOL", e.code());
        assertEquals(Optional.of("protocol"), e.field());
    }

    @Test
    public void transportPortOutsideItsRangeIsRejectedNamingThePortField() {
        for (int port : new int[] {0, -1, 65536}) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> explain.explain(ALICE, "a1", "a2", Protocol.UDP, port));
            assertEquals("INVALID_PORT", e.code());
            assertEquals(Optional.of("port"), e.field());
        }
        assertEquals("ALLOW", explain.explain(ALICE, "a1", "a2", Protocol.TCP, 65535).verdict());
        assertEquals("ALLOW", explain.explain(ALICE, "a1", "a2", Protocol.ICMP, 0).verdict());
    }

    @Test
    public void sourcePortTheCallerCannotSeeIsNotFound() {
        assertThrows(NotFoundException.class, () -> explain.explain(BOB, "a1", "b1", Protocol.TCP, 80));
        assertThrows(NotFoundException.class, () -> explain.explain(ALICE, "nope", "a2", Protocol.TCP, 80));
    }

    @Test
    public void otherTenantsPortIsNotFoundWithoutAnActivePeering() {
        model.peering("p-ab", "n-a", "n-b", PeeringState.PENDING_ACCEPTANCE);

        assertThrows(NotFoundException.class, () -> explain.explain(ALICE, "a1", "b1", Protocol.TCP, 80));
        assertThrows(NotFoundException.class, () -> explain.explain(ALICE, "a1", "c1", Protocol.TCP, 80));
    }

    @Test
    public void portNamesThatLookNumericAreNotTakenForAddresses() {
        assertTrue(Addresses.parse("10").isEmpty());
        assertTrue(Addresses.parse("10.1").isEmpty());
        assertTrue(Addresses.parse("010.1.0.5").isEmpty());
        assertTrue(Addresses.parse("10.1.0.0/16").isEmpty());
        assertTrue(Addresses.parse("10.1.0.5").isPresent());
        assertTrue(Addresses.parse("fd00:1::5").isPresent());
    }

    private static List<String> layers(Explanation explanation) {
        return explanation.hops().stream().map(Hop::layer).toList();
    }

    private static Hop last(Explanation explanation) {
        return explanation.hops().get(explanation.hops().size() - 1);
    }

    private static void assertHop(Hop hop, String layer, String element, String decision) {
        assertEquals(hop.toString(), layer, hop.layer());
        assertEquals(hop.toString(), element, hop.element());
        assertEquals(hop.toString(), decision, hop.decision());
    }

    private static NodeService hosts(Map<String, String> underlay) {
        return new NodeService() {
            @Override
            public List<Node> nodes(Caller caller) {
                return underlay.keySet().stream().map(id -> find(id).orElseThrow()).toList();
            }

            @Override
            public Node node(Caller caller, String idOrName) {
                return find(idOrName).orElseThrow();
            }

            @Override
            public Optional<Node> find(String id) {
                return Optional.ofNullable(underlay.get(id)).map(a -> new Node(id, id, "sim", a, a.isEmpty(),
                        NodeStatus.UP, "", "", 0, 0, null, Instant.EPOCH));
            }
        };
    }

    private static RealisationService vnis(Map<String, Integer> bySubnet) {
        return new RealisationService() {
            @Override
            public Optional<Realisation> realisation(String objectId) {
                return Optional.empty();
            }

            @Override
            public boolean realised(long revision) {
                return true;
            }

            @Override
            public CompletableFuture<Void> whenRealised(long revision) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public List<NodeRealisation> pending(long revision) {
                return List.of();
            }

            @Override
            public List<NodeRealisation> nodes() {
                return List.of();
            }

            @Override
            public int reconcileNow() {
                return 0;
            }

            @Override
            public OptionalInt overlayVni(String subnetId) {
                Integer vni = bySubnet.get(subnetId);
                return vni == null ? OptionalInt.empty() : OptionalInt.of(vni);
            }
        };
    }

    @Test
    public void acrossHostsTheOverlayHopNamesBothNodesAndTheTunnel() {
        model.place("a1", "node-h1");
        model.place("a3", "node-h2");
        explain.nodes = hosts(Map.of("node-h1", "10.200.250.1", "node-h2", "10.200.250.2"));
        explain.realisation = vnis(Map.of("n-a-subnet", 4242));

        Explanation result = explain.explain(ALICE, "a1", "a3", Protocol.UDP, 53);

        assertEquals("ALLOW", result.verdict());
        assertEquals(List.of("source", "egress-firewall", "routing", "destination", "overlay", "ingress-firewall"),
                layers(result));
        Hop overlay = result.hops().get(4);
        assertHop(overlay, "overlay", "vxlan:4242", "PASS");
        for (String part : List.of("node-h1", "10.200.250.1", "node-h2", "10.200.250.2", "VNI 4242")) {
            assertTrue(part + " in " + overlay.detail(), overlay.detail().contains(part));
        }
        model.place("a2", "node-h1");
        assertEquals("same node: no overlay hop", List.of("source", "egress-firewall", "routing", "destination",
                "ingress-firewall"), layers(explain.explain(ALICE, "a1", "a2", Protocol.UDP, 53)));
    }

    @Test
    public void aNodeWithoutUnderlayIsReachedByNoTunnel() {
        model.place("a1", "node-h1");
        explain.nodes = hosts(Map.of("node-h1", "10.200.250.1", "node-sim", ""));

        Explanation result = explain.explain(ALICE, "a1", "a3", Protocol.UDP, 53);

        assertEquals("NO_ROUTE", result.verdict());
        Hop last = result.hops().get(result.hops().size() - 1);
        assertHop(last, "overlay", "node-sim", "NO_ROUTE");
    }
}
