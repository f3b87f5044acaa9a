package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NetloomException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.model.AddressRange;
import io.netloom.api.model.Binding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.HostRoute;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.PortUpdate;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.StaticRouteSpec;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.model.SubnetUpdate;
import io.netloom.api.store.StoreException;
import io.netloom.core.internal.TestDriver;

public class ModelManagersTest {

    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");
    private static final Caller ALICE = new Caller("alice", "acme", false, "rest");
    private static final Caller BOB = new Caller("bob", "bobco", false, "rest");

    private InMemoryModelStore store;
    private ModelRepository repository;
    private NetworkManager networks;
    private PortManager ports;
    private SecurityGroupManager groups;
    private PeeringManager peerings;

    static final DriverRegistry SIM_ONLY = new DriverRegistry() {
        @Override
        public List<DriverDescriptor> drivers() {
            return List.of();
        }

        @Override
        public Optional<NetworkDriver> driver(String type) {
            return "sim".equals(type) ? Optional.of(new TestDriver() {
                @Override
                public String name() {
                    return "sim";
                }

                @Override
                public DriverHealth health() {
                    return DriverHealth.up();
                }

                @Override
                public Set<DriverCapability> capabilities() {
                    return Set.of();
                }
            }) : Optional.empty();
        }

        @Override
        public String defaultType() {
            return "sim";
        }
    };

    @Before
    public void setUp() {
        store = new InMemoryModelStore();
        repository = new ModelRepository(store, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        networks = new NetworkManager(repository, SIM_ONLY);
        ports = new PortManager(repository, SIM_ONLY);
        groups = new SecurityGroupManager(repository);
        peerings = new PeeringManager(repository);
    }

    private Network network(Caller caller, String name, String... cidrs) {
        return networks.createNetwork(caller, new NetworkSpec(name, List.of(cidrs), null));
    }

    private static void assertCode(String code, String field, Runnable r) {
        NetloomException e = assertThrows(NetloomException.class, r::run);
        assertEquals(e.getMessage(), code, e.code());
        assertEquals(e.getMessage(), Optional.ofNullable(field), e.field());
    }

    @Test
    public void onlyAnAdministratorQuarantinesAPortAndItIsAuditedAndRevisioned() {
        Network n = network(ALICE, "q", "10.200.0.0/16");
        networks.createSubnet(ALICE, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        Port p = ports.createPort(ALICE, new PortSpec("vm", n.id(), null, null, null, null, null));
        long before = repository.current();
        assertThrows(ForbiddenException.class, () -> ports.setQuarantine(ALICE, p.id(), true));
        assertEquals("a refused quarantine commits nothing", before, repository.current());

        Port isolated = ports.setQuarantine(ADMIN, p.id(), true);
        assertTrue(isolated.quarantined());
        assertTrue(ports.port(ALICE, p.id()).quarantined());
        assertEquals(before + 1, repository.current());
        assertEquals("port.quarantine", repository.audit(e -> true, 1).get(0).action());
        assertEquals("quarantining twice changes nothing", isolated, ports.setQuarantine(ADMIN, p.id(), true));
        assertEquals(before + 1, repository.current());

        assertFalse(ports.setQuarantine(ADMIN, p.id(), false).quarantined());
        assertEquals("port.release", repository.audit(e -> true, 1).get(0).action());
    }

    @Test
    public void listenersHearEachEventByDescendingRankingSoDerivedStateComesFirst() throws InterruptedException {
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        repository.listen(e -> {
            heard.add("reader");
            done.countDown();
        }, 0);
        repository.listen(e -> {
            heard.add("firewall");
            done.countDown();
        }, 100);
        repository.listen(e -> {
            heard.add("routing");
            done.countDown();
        }, 100);
        network(ADMIN, "n", "10.200.0.0/16");
        assertTrue("every listener heard the network", done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("firewall", "routing", "reader"), List.copyOf(heard).subList(0, 3));
    }

    @Test
    public void aRevisionCountsAsHeardOnlyOnceEveryListenerWasToldOfIt() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        repository.listen(e -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue("what the repository loaded counts as heard", repository.awaitHeard(repository.current(),
                Duration.ZERO));
        network(ADMIN, "n", "10.200.0.0/16");
        long written = repository.current();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        assertFalse("a listener is still on the write", repository.awaitHeard(written, Duration.ofMillis(100)));
        release.countDown();
        assertTrue("heard once the listener returned", repository.awaitHeard(written, Duration.ofSeconds(5)));
    }

    @Test
    public void overlappingSubnetsAreAConflictAndSubnetsMustBeInsideTheNetwork() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s1", "10.200.1.0/24", null));
        assertCode("OVERLAPPING_CIDRS", "cidr", () -> networks.createSubnet(ADMIN, n.id(),
                new SubnetSpec("s2", "10.200.1.128/25", null)));
        assertCode("OVERLAPPING_CIDRS", "cidr", () -> networks.createSubnet(ADMIN, n.id(),
                new SubnetSpec("s3", "10.200.0.0/20", null)));
        assertCode("CIDR_OUTSIDE_NETWORK", "cidr", () -> networks.createSubnet(ADMIN, n.id(),
                new SubnetSpec("s4", "10.201.0.0/24", null)));
        assertEquals(1, networks.subnets(ADMIN, n.id()).size());
    }

    @Test
    public void overlappingCidrsOfOneNetworkAreRejectedWithTheirIndex() {
        assertCode("OVERLAPPING_CIDRS", "cidrs[1]", () -> network(ADMIN, "n", "10.0.0.0/8", "10.1.0.0/16"));
        assertCode("INVALID_CIDR", "cidrs[0]", () -> network(ADMIN, "n", "10.0.258.0/24"));
        assertCode("INVALID_NAME", "name", () -> network(ADMIN, "bad name", "10.0.0.0/8"));
        assertTrue(networks.networks(ADMIN).isEmpty());
    }

    @Test
    public void exhaustedSubnetIsAConflictAndSubnetsWithoutRoomForGatewayAndPortAreRefused() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("tiny", "10.200.0.0/30", null));
        Port p = ports.createPort(ADMIN, new PortSpec("p1", "n", null, null, null, null, null));
        assertEquals("10.200.0.2", p.ip());
        assertCode("SUBNET_EXHAUSTED", "network", () -> ports.createPort(ADMIN,
                new PortSpec("p2", "n", null, null, null, null, null)));
        assertCode("SUBNET_TOO_SMALL", "cidr", () -> networks.createSubnet(ADMIN, n.id(),
                new SubnetSpec("p2p", "10.200.1.0/31", null)));
        assertCode("SUBNET_TOO_SMALL", "cidr", () -> networks.createSubnet(ADMIN, n.id(),
                new SubnetSpec("host", "10.200.2.5/32", null)));
    }

    @Test
    public void ipv6PortsGetAddressesAfterTheGateway() {
        Network n = network(ADMIN, "v6", "fd00:1::/48");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "fd00:1:0:1::/64", null));
        assertEquals("fd00:1:0:1::2", ports.createPort(ADMIN, new PortSpec("a", "v6", null, null, null, null, null))
                .ip());
        assertEquals("fd00:1:0:1::3", ports.createPort(ADMIN, new PortSpec("b", "v6", null, null, null, null, null))
                .ip());
    }

    @Test
    public void macsAreUniquePerNetwork() {
        network(ADMIN, "a", "10.200.0.0/16");
        networks.createSubnet(ADMIN, "a", new SubnetSpec("s", "10.200.1.0/24", null));
        network(ADMIN, "b", "10.201.0.0/16");
        networks.createSubnet(ADMIN, "b", new SubnetSpec("s", "10.201.1.0/24", null));
        ports.createPort(ADMIN, new PortSpec("p", "a", null, null, "02:00:00:00:00:01", null, null));
        assertCode("MAC_IN_USE", "mac", () -> ports.createPort(ADMIN,
                new PortSpec("q", "a", null, null, "02:00:00:00:00:01", null, null)));
        ports.createPort(ADMIN, new PortSpec("q", "b", null, null, "02:00:00:00:00:01", null, null));
    }

    @Test
    public void portsCreatedInBulkAreOneCommitWithUniqueAddressesAndMacs() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        ports.createPort(ADMIN, new PortSpec("before", "n", null, "10.200.1.3", null, null, null));
        int commits = store.commits.size();
        List<Port> created = ports.createPorts(ADMIN, List.of(
                new PortSpec("a", "n", null, null, null, null, null),
                new PortSpec("b", "n", null, "10.200.1.5", "02:00:00:00:00:07", null, null),
                new PortSpec("c", "n", null, null, null, null, null)));

        assertEquals(List.of("a", "b", "c"), created.stream().map(Port::name).toList());
        // a takes the first free address (.3 is taken), b the one it asks for, c the next free one.
        assertEquals(List.of("10.200.1.2", "10.200.1.5", "10.200.1.4"), created.stream().map(Port::ip).toList());
        assertEquals(3, created.stream().map(Port::mac).distinct().count());
        assertEquals("one commit for the lot", commits + 1, store.commits.size());
        assertEquals(4, ports.ports(ADMIN, Optional.of("n")).size());
    }

    @Test
    public void aBulkCreateWithOneBadPortCreatesNoneAndNamesTheIndex() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        int commits = store.commits.size();
        assertCode("INVALID_MAC", "[1].mac", () -> ports.createPorts(ADMIN, List.of(
                new PortSpec("a", "n", null, null, null, null, null),
                new PortSpec("b", "n", null, null, "not-a-mac", null, null))));
        // Two ports of the same request cannot share an address or a MAC either.
        assertCode("ADDRESS_IN_USE", "[2].ip", () -> ports.createPorts(ADMIN, List.of(
                new PortSpec("a", "n", null, "10.200.1.9", null, null, null),
                new PortSpec("b", "n", null, null, null, null, null),
                new PortSpec("c", "n", null, "10.200.1.9", null, null, null))));
        assertCode("MAC_IN_USE", "[1].mac", () -> ports.createPorts(ADMIN, List.of(
                new PortSpec("a", "n", null, null, "02:00:00:00:00:01", null, null),
                new PortSpec("b", "n", null, null, "02:00:00:00:00:01", null, null))));
        assertCode("UNKNOWN_NETWORK", "[0].network", () -> ports.createPorts(ADMIN, List.of(
                new PortSpec("a", "nope", null, null, null, null, null))));
        assertCode("REQUIRED", "", () -> ports.createPorts(ADMIN, List.of()));
        List<PortSpec> tooMany = new ArrayList<>();
        for (int i = 0; i <= PortManager.MAX_BULK; i++) {
            tooMany.add(new PortSpec("p" + i, "n", null, null, null, null, null));
        }
        assertCode("TOO_MANY", "", () -> ports.createPorts(ADMIN, tooMany));
        assertEquals("nothing written", commits, store.commits.size());
        assertTrue(ports.ports(ADMIN, Optional.of("n")).isEmpty());
    }

    @Test
    public void anotherTenantsObjectIsNotFound() {
        Network n = network(ALICE, "mine", "10.200.0.0/16");
        assertEquals("acme", n.tenant());
        assertThrows(NotFoundException.class, () -> networks.network(BOB, n.id()));
        assertThrows(NotFoundException.class, () -> networks.deleteNetwork(BOB, n.id()));
        assertTrue(networks.networks(BOB).isEmpty());
        assertEquals(n, networks.network(ADMIN, n.id()));
    }

    @Test
    public void deletingWhatIsInUseIsAConflictAndChangesNothing() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        String sg = groups.createGroup(ADMIN, new SecurityGroupSpec("web", null)).id();
        ports.createPort(ADMIN, new PortSpec("p", "n", null, null, null, List.of("web"), null));
        int commits = store.commits.size();
        assertCode("IN_USE", null, () -> networks.deleteNetwork(ADMIN, "n"));
        assertCode("IN_USE", null, () -> networks.deleteSubnet(ADMIN, "s"));
        assertCode("IN_USE", null, () -> groups.deleteGroup(ADMIN, sg));
        assertEquals(commits, store.commits.size());
        assertEquals(1, networks.networks(ADMIN).size());
    }

    @Test
    public void peeringRulesOfTheModel() {
        Network a = network(ADMIN, "a", "10.200.0.0/16");
        Network b = network(ADMIN, "b", "10.201.0.0/16");
        Network c = network(ADMIN, "c", "10.200.128.0/17");
        assertCode("OVERLAPPING_CIDRS", "peerNetwork", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("ac", "a", "c", false, false)));
        assertCode("INVALID_PEERING", "peerNetwork", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("aa", "a", "a", false, false)));
        var ab = peerings.createPeering(ADMIN, new PeeringSpec("ab", a.id(), b.id(), false, false));
        assertEquals(PeeringState.PENDING_ACCEPTANCE, ab.state());
        assertCode("PEERING_EXISTS", "peerNetwork", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("ba", b.id(), a.id(), false, true)));
        assertEquals(PeeringState.ACTIVE, peerings.accept(ADMIN, ab.id()).state());
        assertCode("INVALID_STATE", null, () -> peerings.reject(ADMIN, ab.id()));
        assertCode("IN_USE", null, () -> networks.deleteNetwork(ADMIN, "a"));
    }

    @Test
    public void aSecondPeerWithAnOverlappingAddressSpaceIsRefused() {
        network(ADMIN, "a", "10.200.0.0/16");
        network(ADMIN, "b", "10.201.0.0/16");
        network(ADMIN, "c", "10.201.128.0/17");
        peerings.createPeering(ADMIN, new PeeringSpec("ab", "a", "b", false, true));
        assertCode("OVERLAPPING_CIDRS", "peerNetwork", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("ac", "a", "c", false, false)));
    }

    @Test
    public void crossTenantPeeringIsAcceptedOnlyByThePeerSide() {
        Network mine = network(ALICE, "mine", "10.200.0.0/16");
        Network theirs = network(BOB, "theirs", "10.201.0.0/16");
        var p = peerings.createPeering(ALICE, new PeeringSpec("x", "mine", theirs.id(), false, false));
        assertCode("NOT_PEER_SIDE", null, () -> peerings.accept(ALICE, p.id()));
        assertEquals(PeeringState.ACTIVE, peerings.accept(BOB, p.id()).state());
        assertEquals(1, peerings.peerings(BOB).size());
        assertEquals(mine.id(), peerings.peerings(ALICE).get(0).network());
    }

    @Test
    public void aDeletedPeeringStaysVisibleAsDeletedUntilForgottenAndFreesItsPair() {
        Network a = network(ALICE, "a", "10.200.0.0/16");
        Network b = network(ALICE, "b", "10.201.0.0/16");
        Peering ab = peerings.createPeering(ALICE, new PeeringSpec("ab", "a", "b", false, true));
        assertCode("INVALID_STATE", null, () -> peerings.forget(ADMIN, ab.id()));
        peerings.deletePeering(ALICE, ab.id());
        Peering deleted = peerings.peering(ALICE, ab.id());
        assertEquals(PeeringState.DELETED, deleted.state());
        assertFalse(deleted.isLive());
        assertThrows(NotFoundException.class, () -> peerings.deletePeering(ALICE, ab.id()));
        // Ended: the pair may peer again, and the networks may go.
        Peering again = peerings.createPeering(ALICE, new PeeringSpec("ab2", a.id(), b.id(), false, true));
        peerings.deletePeering(ALICE, again.id());
        peerings.forget(Caller.system(), again.id());
        assertThrows(NotFoundException.class, () -> peerings.peering(ADMIN, again.id()));
        networks.deleteNetwork(ALICE, b.id());
        assertThrows("ended peerings go with their network", NotFoundException.class,
                () -> peerings.peering(ADMIN, ab.id()));
    }

    @Test
    public void aNetworkHasAtMostFiveHundredLivePeerings() {
        network(ADMIN, "hub", "10.0.0.0/16");
        for (int i = 1; i <= PeeringManager.MAX_PEERINGS_PER_NETWORK; i++) {
            Network spoke = network(ADMIN, "s" + i, "10." + (i / 256 + 1) + "." + (i % 256) + ".0/24");
            peerings.createPeering(ADMIN, new PeeringSpec("p" + i, "hub", spoke.id(), false, false));
        }
        Network last = network(ADMIN, "last", "10.9.0.0/24");
        assertCode("LIMIT_EXCEEDED", "network", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("one-more", "hub", last.id(), false, false)));
    }

    @Test
    public void networksOfDifferentDriversDoNotPeer() {
        network(ADMIN, "a", "10.200.0.0/16");
        networks.createNetwork(ADMIN, new NetworkSpec("o", List.of("10.201.0.0/16"), "ovs", true));
        assertCode("DRIVER_MISMATCH", "peerNetwork", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("ao", "a", "o", false, false)));
    }

    @Test
    public void noPeeringAnswerTellsATenantAnythingOfAnotherTenantsNetworks() {
        Network theirs = network(BOB, "theirs", "10.201.0.0/16");
        Network hidden = network(BOB, "hidden", "10.202.0.0/16");
        Peering bobs = peerings.createPeering(BOB, new PeeringSpec("bobs", "theirs", "hidden", false, true));
        Network overlapping = network(ALICE, "mine", "10.201.128.0/17");
        Network ambiguous = network(ALICE, "mine2", "10.202.128.0/17");
        Network clean = network(ALICE, "mine3", "10.203.0.0/16");
        List<String> secrets = List.of("theirs", "hidden", "10.201.0.0", "10.202.0.0", hidden.id(), bobs.id(),
                "bobco");
        List<String> told = new ArrayList<>();

        // By name, another tenant's network does not exist for the caller (the message echoes what it asked).
        assertCode("UNKNOWN_NETWORK", "peerNetwork", () -> peerings.createPeering(ALICE,
                new PeeringSpec("x", "mine", "theirs", false, false)));
        // By id, requests are taken whatever the peer's address space and peerings; its side decides.
        Peering overlap = peerings.createPeering(ALICE, new PeeringSpec("o", "mine", theirs.id(), false, false));
        Peering routes = peerings.createPeering(ALICE, new PeeringSpec("r", "mine2", theirs.id(), false, false));
        Peering fine = peerings.createPeering(ALICE, new PeeringSpec("f", "mine3", theirs.id(), false, false));
        told.add(assertThrows(NetloomException.class, () -> peerings.createPeering(ALICE,
                new PeeringSpec("again", "mine3", theirs.id(), false, false))).getMessage());
        told.add(assertThrows(NetloomException.class, () -> peerings.createPeering(ALICE,
                new PeeringSpec("auto", "mine3", hidden.id(), false, true))).getMessage());
        told.add(assertThrows(NetloomException.class, () -> peerings.accept(ALICE, fine.id())).getMessage());

        assertEquals(PeeringState.ACTIVE, peerings.accept(BOB, fine.id()).state());
        for (Peering refused : List.of(overlap, routes)) {
            NetloomException e = assertThrows(NetloomException.class, () -> peerings.accept(BOB, refused.id()));
            assertEquals("OVERLAPPING_CIDRS", e.code());
            told.add(e.getMessage());
            assertEquals(PeeringState.FAILED, peerings.peering(ALICE, refused.id()).state());
        }
        // Acceptance is the peer side's consent to show its tenant and address space (AWS shows the accepter's
        // owner and CIDR once active): only the accepted peering shows them, and only in those two fields.
        Peering accepted = peerings.peering(ALICE, fine.id());
        assertEquals("bobco", accepted.peerTenant());
        assertEquals(List.of("10.201.0.0/16"), accepted.peerCidrs());
        peerings.peerings(ALICE).forEach(p -> told.add(p.id().equals(fine.id())
                ? p.withRecorded(null, p.networkCidrs(), List.of(), p.updatedAt()).toString() : p.toString()));
        assertTrue(peerings.peerings(ALICE).stream().filter(p -> !p.id().equals(fine.id()))
                .allMatch(p -> p.peerTenant() == null && p.peerCidrs().isEmpty()));
        for (String answer : told) {
            for (String secret : secrets) {
                assertFalse("'" + answer + "' tells " + secret, answer.contains(secret));
            }
        }
        assertEquals("the requester's own network keeps its name", overlapping.name(),
                networks.network(ALICE, overlapping.id()).name());
        assertEquals(List.of(fine.id(), overlap.id(), routes.id()).stream().sorted().toList(),
                peerings.peerings(ALICE).stream().map(Peering::id).sorted().toList());
        assertEquals(clean.id(), peerings.peering(ALICE, fine.id()).network());
        assertEquals(ambiguous.id(), peerings.peering(ALICE, routes.id()).network());
    }

    @Test
    public void ruleValidationNamesTheField() {
        String sg = groups.createGroup(ADMIN, new SecurityGroupSpec("web", null)).id();
        assertCode("INVALID_PORTS", "ports", () -> groups.addRule(ADMIN, sg,
                new RuleSpec("ingress", "icmp", "80", null, null, null, null)));
        assertCode("INVALID_PRIORITY", "priority", () -> groups.addRule(ADMIN, sg,
                new RuleSpec("ingress", "tcp", null, null, null, null, 0)));
        assertCode("INVALID_DIRECTION", "direction", () -> groups.addRule(ADMIN, sg,
                new RuleSpec("inbound", "tcp", null, null, null, null, null)));
        groups.addRule(ADMIN, sg, new RuleSpec("ingress", "tcp", "22", "10.0.0.0/8", null, "deny", 10));
        assertCode("DUPLICATE_RULE", null, () -> groups.addRule(ADMIN, sg,
                new RuleSpec("ingress", "tcp", "22", "10.0.0.0/8", null, "deny", 10)));
    }

    @Test
    public void rulesAddedInBulkAreOneCommitAndOneBadRuleAddsNone() {
        String sg = groups.createGroup(ADMIN, new SecurityGroupSpec("web", null)).id();
        groups.addRule(ADMIN, sg, new RuleSpec("ingress", "tcp", "22", "10.0.0.0/8", null, null, null));
        int commits = store.commits.size();

        List<Rule> added = groups.addRules(ADMIN, sg, List.of(
                new RuleSpec("ingress", "tcp", "80", "10.200.0.0/16", null, null, null),
                new RuleSpec("ingress", "icmp", null, "10.200.0.0/16", null, null, null)));

        assertEquals("one commit for the lot", commits + 1, store.commits.size());
        assertEquals(List.of(80, 0), added.stream().map(r -> r.portMin() == null ? 0 : r.portMin()).toList());
        assertEquals(3, groups.group(ADMIN, sg).rules().size());

        commits = store.commits.size();
        assertCode("INVALID_PORTS", "[1].ports", () -> groups.addRules(ADMIN, sg, List.of(
                new RuleSpec("ingress", "tcp", "443", null, null, null, null),
                new RuleSpec("ingress", "icmp", "80", null, null, null, null))));
        // a duplicate of a rule already there, or of one earlier in the same request
        assertCode("DUPLICATE_RULE", "[1]", () -> groups.addRules(ADMIN, sg, List.of(
                new RuleSpec("ingress", "tcp", "443", null, null, null, null),
                new RuleSpec("ingress", "tcp", "22", "10.0.0.0/8", null, null, null))));
        assertCode("DUPLICATE_RULE", "[2]", () -> groups.addRules(ADMIN, sg, List.of(
                new RuleSpec("ingress", "tcp", "443", null, null, null, null),
                new RuleSpec("egress", "tcp", "443", null, null, null, null),
                new RuleSpec("ingress", "tcp", "443", null, null, null, null))));
        assertCode("UNKNOWN_SECURITY_GROUP", "[0].remoteGroup", () -> groups.addRules(ADMIN, sg, List.of(
                new RuleSpec("ingress", "tcp", "443", null, "nope", null, null))));
        assertCode("REQUIRED", "", () -> groups.addRules(ADMIN, sg, List.of()));
        assertEquals("nothing written", commits, store.commits.size());
        assertEquals(3, groups.group(ADMIN, sg).rules().size());
    }

    @Test
    public void aFailedCommitChangesNothingInMemoryOrInTheAuditLog() {
        network(ADMIN, "n", "10.200.0.0/16");
        int audit = repository.audit(e -> true, 100).size();
        store.failNextCommit = true;
        assertThrows(StoreException.class, () -> network(ADMIN, "m", "10.201.0.0/16"));
        assertEquals(1, networks.networks(ADMIN).size());
        assertEquals(audit, repository.audit(e -> true, 100).size());
        network(ADMIN, "m", "10.201.0.0/16");
        assertEquals(2, networks.networks(ADMIN).size());
    }

    @Test
    public void everythingIsReloadedFromTheStore() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        Port p = ports.createPort(ADMIN, new PortSpec("p", "n", null, null, null, null, null));
        groups.addRule(ADMIN, groups.createGroup(ADMIN, new SecurityGroupSpec("web", "d")).id(),
                new RuleSpec("egress", "udp", "53", null, null, null, null));
        ModelRepository reloaded = new ModelRepository(store, Clock.systemUTC());
        assertEquals(networks.networks(ADMIN), new NetworkManager(reloaded, SIM_ONLY).networks(ADMIN));
        assertEquals(p, new PortManager(reloaded, SIM_ONLY).port(ADMIN, p.id()));
        assertEquals(groups.groups(ADMIN), new SecurityGroupManager(reloaded).groups(ADMIN));
        assertEquals(repository.audit(e -> true, 100), reloaded.audit(e -> true, 100));
    }

    @Test
    public void unknownDriverTypeIsRefusedUnlessAnAdministratorAsksForAPendingDriver() {
        assertCode("UNKNOWN_DRIVER", "driver", () -> networks.createNetwork(ADMIN,
                new NetworkSpec("n", List.of("10.200.0.0/16"), "vendorx")));
        assertThrows(ForbiddenException.class, () -> networks.createNetwork(ALICE,
                new NetworkSpec("n", List.of("10.200.0.0/16"), "vendorx", true)));
        Network n = networks.createNetwork(ADMIN, new NetworkSpec("n", List.of("10.200.0.0/16"), "vendorx", true));
        assertEquals(RealisationStatus.DRIVER_MISSING, n.status());
        assertCode("INVALID_DRIVER", "driver", () -> networks.createNetwork(ADMIN,
                new NetworkSpec("m", List.of("10.201.0.0/16"), "Bad Driver")));
        assertThrows(ValidationException.class, () -> networks.createNetwork(ADMIN,
                new NetworkSpec("m", List.of(), null)));
    }

    @Test
    public void aNetworkThatGrowsWithItsSubnetsStartsWithNoAddressSpace() {
        Network n = networks.createNetwork(ALICE, new NetworkSpec("grows", List.of(), null, false, null, true));
        assertEquals(List.of(), n.cidrs());
        assertCode("CIDR_OUTSIDE_NETWORK", "cidr", () -> networks.createSubnet(ALICE, n.id(),
                new SubnetSpec("s", "10.210.1.0/24", null)));
        networks.updateNetwork(ALICE, n.id(), new NetworkUpdate(Optional.empty(),
                Optional.empty(), Optional.of(List.of("10.210.1.0/24"))));
        assertEquals("10.210.1.1", networks.createSubnet(ALICE, n.id(), new SubnetSpec("s", "10.210.1.0/24", null))
                .gateway());
        assertThrows(ValidationException.class, () -> networks.createNetwork(ALICE,
                new NetworkSpec("fixed", List.of(), null, false, null)));
    }

    @Test
    public void staticRoutesGoThroughAPortAddressOfTheNetwork() {
        Network n = network(ADMIN, "n", "10.200.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        var route = networks.addStaticRoute(ADMIN, "n", new StaticRouteSpec("192.168.0.0/16", "10.200.1.10"));
        assertEquals("192.168.0.0/16", route.destination());
        assertEquals(List.of(route), networks.staticRoutes(ADMIN, "n"));
        assertCode("DUPLICATE_ROUTE", "destination", () -> networks.addStaticRoute(ADMIN, "n",
                new StaticRouteSpec("192.168.0.0/16", "10.200.1.11")));
        assertCode("NEXT_HOP_OUTSIDE_SUBNETS", "nextHop", () -> networks.addStaticRoute(ADMIN, "n",
                new StaticRouteSpec("172.16.0.0/12", "10.200.2.10")));
        assertCode("INVALID_NEXT_HOP", "nextHop", () -> networks.addStaticRoute(ADMIN, "n",
                new StaticRouteSpec("172.16.0.0/12", "10.200.1.1")));
        assertCode("INVALID_CIDR", "destination", () -> networks.addStaticRoute(ADMIN, "n",
                new StaticRouteSpec("172.16.0.1/12", "10.200.1.10")));
        assertCode("IN_USE", null, () -> networks.deleteSubnet(ADMIN, "s"));
        assertThrows(NotFoundException.class, () -> networks.staticRoutes(BOB, n.id()));
        networks.removeStaticRoute(ADMIN, "n", route.id());
        assertTrue(networks.staticRoutes(ADMIN, "n").isEmpty());
        networks.deleteSubnet(ADMIN, "s");
    }

    @Test
    public void aNameSharedByTwoObjectsIsAmbiguousButIdsStillWork() {
        Network first = network(ADMIN, "dup", "10.200.0.0/16");
        network(ADMIN, "dup", "10.201.0.0/16");
        assertCode("AMBIGUOUS_NAME", null, () -> networks.network(ADMIN, "dup"));
        assertThrows(ConflictException.class, () -> networks.deleteNetwork(ADMIN, "dup"));
        assertEquals(first, networks.network(ADMIN, first.id()));
        assertThrows(NotFoundException.class, () -> networks.network(ADMIN, "nothing"));
    }

    private static PortSpec noAddress(String name, String network, Binding binding) {
        return new PortSpec(name, network, null, null, null, null, binding, null, null, true);
    }

    @Test
    public void aPortWithoutAnAddressIsL2OnlyAndCannotBeBoundYet() {
        Network n = network(ALICE, "l2", "10.200.0.0/16");
        assertCode("NO_SUBNET", "network", () -> ports.createPort(ALICE,
                new PortSpec("p", n.id(), null, null, null, null, null)));
        Port p = ports.createPort(ALICE, noAddress("p", n.id(), null));
        assertFalse(p.hasAddress());
        assertEquals(null, p.subnet());
        assertEquals(null, p.ip());
        assertEquals(17, p.mac().length());
        assertCode("ADDRESS_REQUIRED", "binding", () -> ports.createPort(ALICE,
                noAddress("q", n.id(), new Binding(Binding.NETNS, "ns-q"))));
        assertCode("ADDRESS_CONFLICT", "ip", () -> ports.createPort(ALICE,
                new PortSpec("q", n.id(), null, "10.200.1.5", null, null, null, null, null, true)));
        Subnet s = networks.createSubnet(ALICE, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        Port q = ports.createPort(ALICE, new PortSpec("q", n.id(), null, null, null, null, null));
        assertEquals("a port with an address is unchanged", "10.200.1.2", q.ip());
        ports.deletePort(ALICE, q.id());
        networks.deleteSubnet(ALICE, s.id());
        ModelRepository reloaded = new ModelRepository(store, Clock.systemUTC());
        assertEquals(p, new PortManager(reloaded, SIM_ONLY).port(ALICE, p.id()));
    }

    @Test
    public void aSubnetMayHaveNoGatewayAndItsPoolsDnsServersAndHostRoutesAreChecked() {
        Network n = network(ALICE, "opts", "10.200.0.0/16", "fd00:200::/48");
        Subnet bare = networks.createSubnet(ALICE, n.id(), new SubnetSpec("bare", "10.200.1.0/24", null, true, null,
                null, null));
        assertEquals(Optional.empty(), bare.gatewayIfAny());
        assertEquals("without a gateway the first host is a port's",
                "10.200.1.1", ports.createPort(ALICE, new PortSpec("a", n.id(), "bare", null, null, null, null)).ip());
        assertCode("GATEWAY_REQUIRED", "binding", () -> ports.createPort(ALICE, new PortSpec("b", n.id(), "bare",
                null, null, null, new Binding(Binding.NETNS, "ns-b"))));
        assertCode("GATEWAY_CONFLICT", "gateway", () -> networks.createSubnet(ALICE, n.id(), new SubnetSpec("x",
                "10.200.2.0/24", "10.200.2.1", true, null, null, null)));

        assertCode("INVALID_ADDRESS", "dnsNameservers[1]", () -> networks.createSubnet(ALICE, n.id(),
                new SubnetSpec("x", "10.200.2.0/24", null, false, null, List.of("10.200.0.53", "fd00::53"), null)));
        assertCode("INVALID_ALLOCATION_POOL", "allocationPools[0]", () -> networks.createSubnet(ALICE, n.id(),
                new SubnetSpec("x", "10.200.2.0/24", null, false, List.of(new AddressRange("10.200.2.1",
                        "10.200.2.9")), null, null)));
        assertCode("INVALID_ADDRESS", "allocationPools[0].end", () -> networks.createSubnet(ALICE, n.id(),
                new SubnetSpec("x", "10.200.2.0/24", null, false, List.of(new AddressRange("10.200.2.10",
                        "10.200.3.9")), null, null)));
        assertCode("INVALID_ALLOCATION_POOL", "allocationPools", () -> networks.createSubnet(ALICE, n.id(),
                new SubnetSpec("x", "10.200.2.0/24", null, false, List.of(new AddressRange("10.200.2.10",
                        "10.200.2.20"), new AddressRange("10.200.2.20", "10.200.2.30")), null, null)));
        assertCode("INVALID_ADDRESS", "hostRoutes[0].nexthop", () -> networks.createSubnet(ALICE, n.id(),
                new SubnetSpec("x", "10.200.2.0/24", null, false, null, null, List.of(new HostRoute("10.9.0.0/16",
                        "fd00::1")))));

        List<AddressRange> pools = List.of(new AddressRange("10.200.2.20", "10.200.2.21"),
                new AddressRange("10.200.2.10", "10.200.2.10"));
        Subnet pooled = networks.createSubnet(ALICE, n.id(), new SubnetSpec("pooled", "10.200.2.0/24", null, false,
                pools, List.of("10.200.0.53"), List.of(new HostRoute("10.9.0.0/16", "10.200.2.254"))));
        assertEquals("pools are sorted", List.of(pools.get(1), pools.get(0)), pooled.allocationPools());
        assertEquals(List.of("10.200.0.53"), pooled.dnsNameservers());
        assertEquals(List.of(new HostRoute("10.9.0.0/16", "10.200.2.254")), pooled.hostRoutes());
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(ports.createPort(ALICE, new PortSpec("p" + i, n.id(), "pooled", null, null, null, null)).ip());
        }
        assertEquals(List.of("10.200.2.10", "10.200.2.20", "10.200.2.21"), got);
        assertCode("SUBNET_EXHAUSTED", "subnet", () -> ports.createPort(ALICE, new PortSpec("p3", n.id(), "pooled",
                null, null, null, null)));
        assertEquals("an address outside the pools may still be asked for", "10.200.2.99", ports.createPort(ALICE,
                new PortSpec("p4", n.id(), "pooled", "10.200.2.99", null, null, null)).ip());

        Subnet changed = networks.updateSubnet(ALICE, pooled.id(), new SubnetUpdate(Optional.empty(),
                Optional.of(List.of("10.200.0.54", "10.200.0.55")), Optional.of(List.of())));
        assertEquals(List.of("10.200.0.54", "10.200.0.55"), changed.dnsNameservers());
        assertEquals(List.of(), changed.hostRoutes());
        assertEquals(pooled.allocationPools(), changed.allocationPools());
        assertCode("TOO_MANY_DNS_NAMESERVERS", "dnsNameservers", () -> networks.updateSubnet(ALICE, pooled.id(),
                new SubnetUpdate(Optional.empty(), Optional.of(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3",
                        "10.0.0.4", "10.0.0.5", "10.0.0.6")), Optional.empty())));
        ModelRepository reloaded = new ModelRepository(store, Clock.systemUTC());
        assertEquals(changed, new NetworkManager(reloaded, SIM_ONLY).subnet(ALICE, pooled.id()));
        assertEquals(bare, new NetworkManager(reloaded, SIM_ONLY).subnet(ALICE, bare.id()));
    }

    @Test
    public void aPortIsSetAdministrativelyDownAndUpByItsOwner() {
        Network n = network(ALICE, "ad", "10.200.0.0/16");
        networks.createSubnet(ALICE, n.id(), new SubnetSpec("s", "10.200.1.0/24", null));
        Port p = ports.createPort(ALICE, new PortSpec("p", n.id(), null, null, null, null, null, null, null, false,
                true));
        assertTrue(p.adminDown());
        assertTrue(p.isolated());
        assertFalse(p.quarantined());
        Port up = ports.updatePort(ALICE, p.id(), new PortUpdate(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(false)));
        assertFalse(up.adminDown());
        assertFalse(up.isolated());
        ModelRepository reloaded = new ModelRepository(store, Clock.systemUTC());
        assertEquals(up, new PortManager(reloaded, SIM_ONLY).port(ALICE, p.id()));
    }

    @Test
    public void onlyAPortThatIsNotBoundChangesItsAddress() {
        Network n = network(ALICE, "re", "10.200.0.0/16");
        networks.createSubnet(ALICE, n.id(), new SubnetSpec("s1", "10.200.1.0/24", null));
        Subnet s2 = networks.createSubnet(ALICE, n.id(), new SubnetSpec("s2", "10.200.2.0/24", null));
        Port p = ports.createPort(ALICE, new PortSpec("p", n.id(), "s1", null, null, null, null));
        Port moved = ports.updatePort(ALICE, p.id(), new PortUpdate(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("s2"), Optional.empty()));
        assertEquals(s2.id(), moved.subnet());
        assertEquals("10.200.2.2", moved.ip());
        assertEquals("its old address is free again", "10.200.1.2", ports.createPort(ALICE,
                new PortSpec("q", n.id(), "s1", null, null, null, null)).ip());
        assertCode("ADDRESS_IN_USE", "ip", () -> ports.updatePort(ALICE, p.id(), new PortUpdate(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("10.200.1.2"))));
        Port bound = ports.createPort(ALICE, new PortSpec("b", n.id(), "s1", null, null, null,
                new Binding(Binding.NETNS, "ns-b")));
        assertCode("PORT_BOUND", "ip", () -> ports.updatePort(ALICE, bound.id(), new PortUpdate(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("10.200.1.9"))));
        Port l2 = ports.createPort(ALICE, noAddress("l2", n.id(), null));
        assertEquals("10.200.1.9", ports.updatePort(ALICE, l2.id(), new PortUpdate(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("10.200.1.9")))
                .ip());
    }
}
