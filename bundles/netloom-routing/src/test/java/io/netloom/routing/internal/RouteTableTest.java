package io.netloom.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.Test;

import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.routing.Route;

public class RouteTableTest {

    private static Network network(String id, String... cidrs) {
        return new Network(id, id, "t1", List.of(cidrs), "sim", Instant.EPOCH, RealisationStatus.PENDING, "");
    }

    private static Peering peering(String id, String a, String b, PeeringState state) {
        return new Peering(id, id, "t1", a, b, false, state, "", Instant.EPOCH, Instant.EPOCH);
    }

    private static Route local(String cidr) {
        return new Route(cidr, Route.LOCAL, "local");
    }

    private static Route via(String peeringId, String cidr) {
        return new Route(cidr, Route.peeringTarget(peeringId), "peering");
    }

    private static Route route(String cidr, String target) {
        return new Route(cidr, target, "static");
    }

    private static RouteTable table(Route... routes) {
        return RouteTable.of("net", List.of(routes));
    }

    private static String targetOf(RouteTable table, String address) {
        return table.lookup(address).map(Route::target).orElse("none");
    }

    @Test
    public void aPeeringRoutesThePeersAddressSpaceRecordedAtItsLastSyncNotAPrefixAddedSince() {
        Network a = network("a", "10.1.0.0/16");
        Network b = network("b", "10.2.0.0/16", "10.3.0.0/16");
        Peering synced = peering("p1", "a", "b", PeeringState.ACTIVE)
                .withRecorded("t2", List.of("10.1.0.0/16"), List.of("10.2.0.0/16"), Instant.EPOCH);
        RouteTable table = RouteTable.forNetwork(a, List.of(new PeeredNetwork(synced, b)));
        assertEquals(List.of(local("10.1.0.0/16"), via("p1", "10.2.0.0/16")), table.routes());
        assertEquals("none", targetOf(table, "10.3.0.1"));

        Peering resynced = synced.withRecorded("t2", a.cidrs(), b.cidrs(), Instant.EPOCH);
        assertEquals(Route.peeringTarget("p1"), targetOf(RouteTable.forNetwork(a,
                List.of(new PeeredNetwork(resynced, b))), "10.3.0.1"));
    }

    @Test
    public void aPeeringWithoutVirtualNetworkAccessAddsNoRoute() {
        Network a = network("a", "10.1.0.0/16");
        Network b = network("b", "10.2.0.0/16");
        Peering off = peering("p1", "a", "b", PeeringState.ACTIVE).withSettings("p1", false, false, false,
                Instant.EPOCH);
        assertEquals(List.of(local("10.1.0.0/16")), RouteTable.forNetwork(a, List.of(new PeeredNetwork(off, b)))
                .routes());
    }

    @Test
    public void localRoutesCoverEachPrefixOfTheNetworksOwnAddressSpace() {
        RouteTable table = RouteTable.forNetwork(network("a", "10.1.0.0/16", "fd00:1::/48"), List.of());

        assertEquals(List.of(local("fd00:1::/48"), local("10.1.0.0/16")), table.routes());
        assertEquals(Route.LOCAL, targetOf(table, "10.1.200.7"));
        assertEquals(Route.LOCAL, targetOf(table, "fd00:1::99"));
    }

    @Test
    public void activePeeringAddsARouteToEachPrefixOfThePeer() {
        Network a = network("a", "10.1.0.0/16");
        Network b = network("b", "10.2.0.0/16", "10.3.0.0/24");
        Peering ab = peering("p1", "b", "a", PeeringState.ACTIVE);

        RouteTable table = RouteTable.forNetwork(a, List.of(new PeeredNetwork(ab, b)));

        assertEquals(List.of(via("p1", "10.3.0.0/24"), local("10.1.0.0/16"), via("p1", "10.2.0.0/16")),
                table.routes());
        assertEquals("peering:p1", targetOf(table, "10.3.0.9"));
    }

    @Test
    public void staticRouteSendsItsDestinationToTheNextHopAndBeatsAPeeringToTheSamePrefix() {
        Network a = network("a", "10.1.0.0/16");
        Network b = network("b", "10.2.0.0/16");
        Peering ab = peering("p1", "a", "b", PeeringState.ACTIVE);
        StaticRoute toB = new StaticRoute("r1", "a", "t", "10.2.0.0/16", "10.1.0.9", Instant.EPOCH);
        StaticRoute elsewhere = new StaticRoute("r2", "a", "t", "192.168.0.0/16", "10.1.0.9", Instant.EPOCH);

        RouteTable table = RouteTable.forNetwork(a, List.of(toB, elsewhere), List.of(new PeeredNetwork(ab, b)));

        assertEquals("10.1.0.9", targetOf(table, "10.2.3.4"));
        assertEquals("10.1.0.9", targetOf(table, "192.168.7.7"));
        assertEquals("static", table.lookup("192.168.7.7").orElseThrow().origin());
        assertEquals(Route.LOCAL, targetOf(table, "10.1.2.3"));
        assertEquals(Optional.empty(), table.lookup("172.16.0.1"));
    }

    @Test
    public void peeringsThatAreNotActiveAddNoRoute() {
        Network a = network("a", "10.1.0.0/16");
        Network b = network("b", "10.2.0.0/16");
        for (PeeringState state : PeeringState.values()) {
            if (state == PeeringState.ACTIVE) {
                continue;
            }
            RouteTable table = RouteTable.forNetwork(a,
                    List.of(new PeeredNetwork(peering("p1", "a", "b", state), b)));

            assertEquals(state.name(), List.of(local("10.1.0.0/16")), table.routes());
            assertEquals(state.name(), Optional.empty(), table.lookup("10.2.0.1"));
        }
    }

    @Test
    public void aPeeringThatDoesNotJoinTheNetworkToItsPeerIsRefused() {
        Network a = network("a", "10.1.0.0/16");
        Network b = network("b", "10.2.0.0/16");
        Network c = network("c", "10.3.0.0/16");
        Peering bc = peering("p1", "b", "c", PeeringState.ACTIVE);

        assertThrows(IllegalArgumentException.class,
                () -> RouteTable.forNetwork(a, List.of(new PeeredNetwork(bc, c))));
        assertThrows(IllegalArgumentException.class, () -> new PeeredNetwork(bc, a));
        assertThrows(IllegalArgumentException.class,
                () -> RouteTable.forNetwork(b, List.of(new PeeredNetwork(bc, b))));
    }

    @Test
    public void mostSpecificRouteWins() {
        RouteTable table = table(route("10.0.0.0/8", "eight"), route("10.1.0.0/16", "sixteen"),
                route("10.1.2.0/24", "twenty-four"));

        assertEquals("twenty-four", targetOf(table, "10.1.2.3"));
        assertEquals("sixteen", targetOf(table, "10.1.3.3"));
        assertEquals("eight", targetOf(table, "10.2.2.3"));
        assertEquals("none", targetOf(table, "11.1.2.3"));
    }

    @Test
    public void hostRouteBeatsEverythingAndDefaultRouteCatchesTheRest() {
        RouteTable table = table(route("0.0.0.0/0", "default"), route("10.1.0.0/16", "net"),
                route("10.1.2.3/32", "host"));

        assertEquals("host", targetOf(table, "10.1.2.3"));
        assertEquals("net", targetOf(table, "10.1.2.4"));
        assertEquals("default", targetOf(table, "192.0.2.1"));
        assertEquals("default", targetOf(table, "0.0.0.0"));
        assertEquals("default", targetOf(table, "255.255.255.255"));
    }

    @Test
    public void ipv6HostRouteBeatsEverythingAndDefaultRouteCatchesTheRest() {
        RouteTable table = table(route("::/0", "default"), route("fd00:1::/48", "net"),
                route("fd00:1::5/128", "host"));

        assertEquals("host", targetOf(table, "fd00:1::5"));
        assertEquals("net", targetOf(table, "fd00:1::6"));
        assertEquals("default", targetOf(table, "2001:db8::1"));
        assertEquals("default", targetOf(table, "::"));
        assertEquals("default", targetOf(table, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    @Test
    public void firstAndLastAddressOfAPrefixMatchItAndTheirNeighboursOutsideDoNot() {
        RouteTable table = table(route("10.1.2.0/24", "v4"), route("fd00:1:2:3::/64", "v6"));

        assertEquals("v4", targetOf(table, "10.1.2.0"));
        assertEquals("v4", targetOf(table, "10.1.2.255"));
        assertEquals("none", targetOf(table, "10.1.1.255"));
        assertEquals("none", targetOf(table, "10.1.3.0"));
        assertEquals("v6", targetOf(table, "fd00:1:2:3::"));
        assertEquals("v6", targetOf(table, "fd00:1:2:3:ffff:ffff:ffff:ffff"));
        assertEquals("none", targetOf(table, "fd00:1:2:2:ffff:ffff:ffff:ffff"));
        assertEquals("none", targetOf(table, "fd00:1:2:4::"));
    }

    @Test
    public void addressCoveredByNoRouteHasNoRoute() {
        RouteTable table = table(route("10.1.0.0/16", "a"), route("fd00::/8", "b"));

        assertEquals(Optional.empty(), table.lookup("172.16.0.1"));
        assertEquals(Optional.empty(), table.lookup("2001:db8::1"));
        assertEquals(Optional.empty(), table(new Route[0]).lookup("10.1.0.1"));
    }

    @Test
    public void eachAddressFamilyIsLookedUpInItsOwnTrie() {
        RouteTable v6Only = table(route("::/0", "v6-default"));
        RouteTable v4Only = table(route("0.0.0.0/0", "v4-default"));
        RouteTable mixed = table(route("0.0.0.0/0", "v4-default"), route("::/0", "v6-default"),
                route("10.0.0.0/8", "v4-net"), route("fd00::/8", "v6-net"));

        assertEquals("none", targetOf(v6Only, "10.1.2.3"));
        assertEquals("none", targetOf(v4Only, "fd00::1"));
        // An IPv4-mapped IPv6 address is an IPv6 address: IPv4 routes do not cover it.
        assertEquals("none", targetOf(v4Only, "::ffff:10.1.2.3"));
        assertEquals("v4-net", targetOf(mixed, "10.1.2.3"));
        assertEquals("v4-default", targetOf(mixed, "11.1.2.3"));
        assertEquals("v6-net", targetOf(mixed, "fd00::1"));
        assertEquals("v6-default", targetOf(mixed, "2001:db8::1"));
    }

    @Test
    public void textThatIsNotOneAddressInStandardNotationHasNoRoute() {
        RouteTable table = table(route("0.0.0.0/0", "v4"), route("::/0", "v6"));

        for (String text : List.of("", "not-an-address", "10.1", "10.1.2.3.4", "256.1.1.1", "010.1.2.3",
                "0x0a.1.2.3", "10.1.2.*", "10.1.2.0-10.1.2.9", "10.1.2.3/32", "10.1.2.0/24", "fd00::1/128",
                "fe80::1%eth0", "fd00::1::2")) {
            assertEquals("'" + text + "'", Optional.empty(), table.lookup(text));
        }
        assertEquals("v4", targetOf(table, "10.1.2.3"));
        assertEquals("v6", targetOf(table, "FD00::1"));
    }

    @Test
    public void routesAreListedLongestPrefixFirstThenIpv4ThenByAddressValue() {
        RouteTable table = table(route("9.0.0.0/16", "x"), route("::/0", "x"), route("10.0.0.0/16", "x"),
                route("fd00::/16", "x"), route("10.1.2.0/24", "x"), route("0.0.0.0/0", "x"),
                route("100.0.0.0/16", "x"));

        assertEquals(List.of("10.1.2.0/24", "9.0.0.0/16", "10.0.0.0/16", "100.0.0.0/16", "fd00::/16", "0.0.0.0/0",
                "::/0"), table.routes().stream().map(Route::destination).toList());
    }

    @Test
    public void theFirstRouteToADestinationShadowsLaterOnes() {
        RouteTable table = table(route("10.2.0.0/16", "peering:older"), route("10.2.0.0/16", "peering:newer"));

        assertEquals(List.of(route("10.2.0.0/16", "peering:older")), table.routes());
        assertEquals("peering:older", targetOf(table, "10.2.0.1"));
    }

    @Test
    public void aDestinationThatIsNotAPrefixIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> table(route("10.1.2.3/24", "x")));
        assertThrows(IllegalArgumentException.class, () -> table(route("10.1.2.3", "x")));
        assertThrows(IllegalArgumentException.class, () -> table(route("nonsense", "x")));
    }

    @Test
    public void tableOfOneHundredThousandRoutesAnswersLikeABruteForceScan() {
        Random random = new Random(42);
        Map<String, Route> byDestination = new LinkedHashMap<>();
        int count = 100_000;
        int[] networks = new int[count];
        int[] lengths = new int[count];
        while (byDestination.size() < count) {
            // Lengths 8 to 32 give many nested prefixes, so most lookups must choose among several matches.
            int length = 8 + random.nextInt(25);
            int network = random.nextInt() & mask(length);
            String destination = new IPv4Address(network).toPrefixBlock(length).toCanonicalString();
            if (!byDestination.containsKey(destination)) {
                networks[byDestination.size()] = network;
                lengths[byDestination.size()] = length;
                byDestination.put(destination, route(destination, "r" + byDestination.size()));
            }
        }
        RouteTable table = RouteTable.of("big", byDestination.values());
        assertEquals(count, table.size());
        List<Route> inOrder = new ArrayList<>(byDestination.values());

        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            probes.add(random.nextInt());
        }
        // Addresses inside known prefixes, often long ones, so that deep matches are exercised.
        for (int i = 0; i < 300; i++) {
            int k = random.nextInt(count);
            probes.add(networks[k] | (random.nextInt() & ~mask(lengths[k])));
        }
        int longMatches = 0;
        for (int probe : probes) {
            int best = -1;
            for (int k = 0; k < count; k++) {
                if ((probe & mask(lengths[k])) == networks[k] && (best < 0 || lengths[k] > lengths[best])) {
                    best = k;
                }
            }
            String address = new IPv4Address(probe).toCanonicalString();
            Optional<Route> expected = best < 0 ? Optional.empty() : Optional.of(inOrder.get(best));
            assertEquals(address, expected, table.lookup(address));
            longMatches += best >= 0 && lengths[best] >= 24 ? 1 : 0;
        }
        assertTrue("the probes should exercise long prefixes: " + longMatches, longMatches >= 50);
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Test
    public void aParsedAddressIsLookedUpWithoutItsPrefixLength() {
        RouteTable table = table(route("10.1.0.0/16", "net"), route("10.1.2.3/32", "host"));

        assertEquals("host", table.lookup(new IPAddressString("10.1.2.3/16").getAddress()).orElseThrow().target());
        assertThrows(IllegalArgumentException.class,
                () -> table.lookup(new IPAddressString("10.1.0.0/16").getAddress()));
    }
}
