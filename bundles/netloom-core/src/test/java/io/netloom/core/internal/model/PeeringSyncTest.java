package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.NetloomException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.PeeringSyncState;
import io.netloom.api.model.PeeringUpdate;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.Quota;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.SecurityGroupUpdate;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.model.SubnetUpdate;

/**
 * Updates of networks, subnets, groups and peerings, peering sync, and quotas.
 */
public class PeeringSyncTest {

    private static final Caller ALICE = new Caller("alice", "acme", false, "rest");
    private static final Caller BOB = new Caller("bob", "bobco", false, "rest");

    private ModelRepository repository;
    private NetworkManager networks;
    private PortManager ports;
    private SecurityGroupManager groups;
    private PeeringManager peerings;
    private QuotaManager quotas;

    @Before
    public void setUp() {
        repository = new ModelRepository(new InMemoryModelStore(),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        quotas = new QuotaManager(repository, Map.of("ports", 3, "tenant.bobco.networks", 3, "rules", 4));
        networks = new NetworkManager(repository, ModelManagersTest.SIM_ONLY, quotas);
        ports = new PortManager(repository, ModelManagersTest.SIM_ONLY, quotas);
        groups = new SecurityGroupManager(repository, quotas);
        peerings = new PeeringManager(repository, quotas);
    }

    private Network network(Caller caller, String name, String... cidrs) {
        return networks.createNetwork(caller, new NetworkSpec(name, List.of(cidrs), null));
    }

    private static NetworkUpdate cidrs(String... cidrs) {
        return new NetworkUpdate(Optional.empty(), Optional.empty(), Optional.of(List.of(cidrs)));
    }

    private static PeeringUpdate autoSync(boolean on) {
        return new PeeringUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(on));
    }

    private static void assertCode(String code, String field, Runnable r) {
        NetloomException e = assertThrows(NetloomException.class, r::run);
        assertEquals(e.getMessage(), code, e.code());
        assertEquals(e.getMessage(), Optional.ofNullable(field), e.field());
    }

    /** Alice's network requests a peering with Bob's by id; Bob accepts. */
    private Peering activePeering(Network mine, Network theirs) {
        Peering p = peerings.createPeering(ALICE, new PeeringSpec("p", mine.id(), theirs.id(), false, false));
        return peerings.accept(BOB, p.id());
    }

    @Test
    public void aDeletedPeeringTellsBothSidesWhichSideDeletedItButNotWho() {
        Peering p = activePeering(network(ALICE, "mine", "10.1.0.0/16"), network(BOB, "theirs", "10.2.0.0/16"));
        peerings.deletePeering(ALICE, p.id());
        Peering seen = peerings.peering(BOB, p.id());
        assertEquals(PeeringState.DELETED, seen.state());
        assertEquals("Deleted by the requesting network's side", seen.stateDetail());
        assertFalse("the other tenant's user is not named", seen.stateDetail().contains("alice"));

        Peering q = activePeering(network(ALICE, "mine2", "10.3.0.0/16"), network(BOB, "theirs2", "10.4.0.0/16"));
        peerings.deletePeering(BOB, q.id());
        assertEquals("Deleted by the accepting network's side", peerings.peering(ALICE, q.id()).stateDetail());
    }

    @Test
    public void theAccepterSeesTheRequestersAddressSpaceAndTenantOnThePendingRequest() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16", "10.9.0.0/24");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        Peering requested = peerings.createPeering(ALICE, new PeeringSpec("p", mine.id(), theirs.id(), false,
                false));

        Peering seen = peerings.peering(BOB, requested.id());
        assertEquals(PeeringState.PENDING_ACCEPTANCE, seen.state());
        assertEquals("acme", seen.tenant());
        assertEquals(List.of("10.1.0.0/16", "10.9.0.0/24"), seen.networkCidrs());
        assertTrue("nothing of the accepter is shown before it accepts", seen.peerCidrs().isEmpty());
        assertNull(seen.peerTenant());
        assertNull("only an active peering has a sync state", seen.syncState());

        networks.updateNetwork(ALICE, mine.id(), cidrs("10.1.0.0/16"));
        assertEquals("a pending request shows the requester's address space as it is now", List.of("10.1.0.0/16"),
                peerings.peering(BOB, requested.id()).networkCidrs());

        Peering accepted = peerings.accept(BOB, requested.id());
        assertEquals("bobco", accepted.peerTenant());
        assertEquals(List.of("10.2.0.0/16"), accepted.peerCidrs());
        assertEquals(PeeringSyncState.IN_SYNC, accepted.syncState());
    }

    @Test
    public void anAddedPrefixLeavesThePeeringOutOfSyncFromEachSideUntilEitherSideSyncs() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        Peering p = activePeering(mine, theirs);
        long revision = repository.current();

        Network grown = networks.updateNetwork(ALICE, mine.id(), cidrs("10.1.0.0/16", "10.3.0.0/16"));
        assertEquals(List.of("10.1.0.0/16", "10.3.0.0/16"), grown.cidrs());
        assertEquals("one update is one write", revision + 1, repository.current());
        assertEquals(PeeringSyncState.LOCAL_NOT_IN_SYNC, peerings.peering(ALICE, p.id()).syncState());
        assertEquals(PeeringSyncState.REMOTE_NOT_IN_SYNC, peerings.peering(BOB, p.id()).syncState());
        assertEquals("routes keep the address space of the last sync", List.of("10.1.0.0/16"),
                peerings.peering(BOB, p.id()).networkCidrs());

        networks.updateNetwork(BOB, theirs.id(), cidrs("10.2.0.0/16", "10.4.0.0/16"));
        assertEquals(PeeringSyncState.LOCAL_AND_REMOTE_NOT_IN_SYNC, peerings.peering(BOB, p.id()).syncState());

        Peering synced = peerings.sync(BOB, p.id());
        assertEquals(PeeringSyncState.IN_SYNC, synced.syncState());
        assertEquals(List.of("10.1.0.0/16", "10.3.0.0/16"), synced.networkCidrs());
        assertEquals(List.of("10.2.0.0/16", "10.4.0.0/16"), synced.peerCidrs());
        assertEquals(PeeringSyncState.IN_SYNC, peerings.peering(ALICE, p.id()).syncState());
    }

    @Test
    public void autoSyncRecordsTheNewAddressSpaceInTheNetworksOwnWrite() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        Peering p = activePeering(mine, theirs);
        peerings.updatePeering(BOB, p.id(), autoSync(true));
        long revision = repository.current();
        networks.updateNetwork(ALICE, mine.id(), cidrs("10.1.0.0/16", "10.3.0.0/16"));
        assertEquals(revision + 1, repository.current());
        Peering now = peerings.peering(BOB, p.id());
        assertEquals(PeeringSyncState.IN_SYNC, now.syncState());
        assertEquals(List.of("10.1.0.0/16", "10.3.0.0/16"), now.networkCidrs());
    }

    @Test
    public void aPeeringRequestedWithAutoSyncAndWithoutAccessKeepsBoth() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network other = network(ALICE, "other", "10.2.0.0/16");
        Peering p = peerings.createPeering(ALICE, new PeeringSpec("p", mine.id(), other.id(), false, true, false,
                true));
        assertFalse(p.allowVirtualNetworkAccess());
        assertTrue(p.autoSync());
        networks.updateNetwork(ALICE, other.id(), cidrs("10.2.0.0/16", "10.3.0.0/16"));
        assertEquals(List.of("10.2.0.0/16", "10.3.0.0/16"), peerings.peering(ALICE, p.id()).peerCidrs());
    }

    @Test
    public void turningAutoSyncOnSyncsAtOnce() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        Peering p = activePeering(mine, theirs);
        networks.updateNetwork(ALICE, mine.id(), cidrs("10.1.0.0/16", "10.3.0.0/16"));
        Peering on = peerings.updatePeering(ALICE, p.id(), autoSync(true));
        assertTrue(on.autoSync());
        assertEquals(PeeringSyncState.IN_SYNC, on.syncState());
    }

    @Test
    public void syncChecksOverlapAgainAndLeavesThePeeringAsItWasWhenItFails() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        Network third = network(BOB, "third", "10.5.0.0/16");
        Peering p = activePeering(mine, theirs);
        peerings.createPeering(BOB, new PeeringSpec("q", third.id(), theirs.id(), false, true));
        // Alice may add 10.5.1.0/24: it overlaps no direct peer, but Bob's network "theirs" would then route it two
        // ways.
        networks.updateNetwork(ALICE, mine.id(), cidrs("10.1.0.0/16", "10.5.1.0/24"));
        Peering before = peerings.peering(ALICE, p.id());
        NetloomException e = assertThrows(NetloomException.class, () -> peerings.sync(ALICE, p.id()));
        assertEquals("OVERLAPPING_CIDRS", e.code());
        assertFalse("names no other network's prefix", e.getMessage().contains("10.5.0.0"));
        assertEquals(before, peerings.peering(ALICE, p.id()));
        assertEquals(PeeringSyncState.LOCAL_NOT_IN_SYNC, peerings.peering(ALICE, p.id()).syncState());
    }

    @Test
    public void anAddedPrefixThatOverlapsAnActivePeerIsRefusedWithoutNamingTheirPrefix() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16", "10.8.0.0/16");
        activePeering(mine, theirs);
        long revision = repository.current();
        NetloomException e = assertThrows(NetloomException.class, () -> networks.updateNetwork(ALICE, mine.id(),
                cidrs("10.1.0.0/16", "10.8.128.0/17")));
        assertEquals("OVERLAPPING_CIDRS", e.code());
        assertFalse(e.getMessage(), e.getMessage().contains("theirs"));
        assertFalse(e.getMessage(), e.getMessage().contains("10.8.0.0/16"));
        assertEquals(revision, repository.current());
        assertCode("RESERVED_ADDRESS_SPACE", "cidrs[1]", () -> networks.updateNetwork(ALICE, mine.id(),
                cidrs("10.1.0.0/16", "127.0.0.0/8")));
        assertCode("OVERLAPPING_CIDRS", "cidrs[1]", () -> networks.updateNetwork(ALICE, mine.id(),
                cidrs("10.1.0.0/16", "10.1.4.0/24")));
        assertCode("INVALID_CIDR", "cidrs", () -> networks.updateNetwork(ALICE, mine.id(), cidrs()));
    }

    @Test
    public void aPrefixIsRemovedOnlyWhenNoSubnetOrActivePeeringUsesIt() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16", "10.3.0.0/16", "10.6.0.0/16");
        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        networks.createSubnet(ALICE, mine.id(), new SubnetSpec("s", "10.3.1.0/24", null));
        activePeering(mine, theirs);
        long revision = repository.current();
        assertCode("CIDR_IN_USE", "cidrs", () -> networks.updateNetwork(ALICE, mine.id(),
                cidrs("10.1.0.0/16", "10.6.0.0/16")));
        assertCode("CIDR_IN_USE", "cidrs", () -> networks.updateNetwork(ALICE, mine.id(),
                cidrs("10.3.0.0/16", "10.6.0.0/16")));
        assertEquals("a refused update writes nothing", revision, repository.current());
        // A prefix added after the last sync is not routed yet: it can go again.
        networks.updateNetwork(ALICE, mine.id(), cidrs("10.1.0.0/16", "10.3.0.0/16", "10.6.0.0/16", "10.7.0.0/16"));
        assertEquals(List.of("10.1.0.0/16", "10.3.0.0/16", "10.6.0.0/16"), networks.updateNetwork(ALICE, mine.id(),
                cidrs("10.1.0.0/16", "10.3.0.0/16", "10.6.0.0/16")).cidrs());
    }

    @Test
    public void namesDescriptionsAndFlagsChangeAndOnlyTheGivenOnes() {
        Network mine = network(ALICE, "mine", "10.1.0.0/16");
        Network renamed = networks.updateNetwork(ALICE, mine.id(), new NetworkUpdate(Optional.of("ours"),
                Optional.of("the shop"), Optional.empty()));
        assertEquals("ours", renamed.name());
        assertEquals("the shop", renamed.description());
        assertEquals(mine.cidrs(), renamed.cidrs());
        Subnet s = networks.createSubnet(ALICE, mine.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        assertEquals("front", networks.updateSubnet(ALICE, s.id(), new SubnetUpdate(Optional.of("front"))).name());
        assertCode("INVALID_NAME", "name", () -> networks.updateSubnet(ALICE, s.id(),
                new SubnetUpdate(Optional.of("no spaces"))));
        SecurityGroup g = groups.createGroup(ALICE, new SecurityGroupSpec("web", "old"));
        SecurityGroup g2 = groups.updateGroup(ALICE, g.id(), new SecurityGroupUpdate(Optional.empty(),
                Optional.of("")));
        assertEquals("web", g2.name());
        assertEquals("", g2.description());
        assertCode("INVALID_DESCRIPTION", "description", () -> groups.updateGroup(ALICE, g.id(),
                new SecurityGroupUpdate(Optional.empty(), Optional.of("a\nb"))));

        Network theirs = network(BOB, "theirs", "10.2.0.0/16");
        Peering p = activePeering(renamed, theirs);
        Peering off = peerings.updatePeering(BOB, p.id(), new PeeringUpdate(Optional.empty(), Optional.of(false),
                Optional.of(true), Optional.empty()));
        assertFalse(off.allowVirtualNetworkAccess());
        assertTrue(off.allowForwardedTraffic());
        assertEquals("p", off.name());
        assertFalse(off.autoSync());
        assertCode("NOT_FOUND", null, () -> networks.updateNetwork(BOB, mine.id(), new NetworkUpdate(
                Optional.of("x"), Optional.empty(), Optional.empty())));
    }

    @Test
    public void quotasRefuseBeyondTheLimitAndABulkCreateCountsAsAWhole() {
        Network n = network(BOB, "a", "10.1.0.0/16");
        network(BOB, "b", "10.2.0.0/16");
        network(BOB, "c", "10.3.0.0/16");
        assertCode("QUOTA_EXCEEDED", "networks", () -> network(BOB, "d", "10.4.0.0/16"));
        network(ALICE, "d", "10.4.0.0/16");
        networks.createSubnet(BOB, n.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        ports.createPort(BOB, new PortSpec("p1", n.id(), null, null, null, null, null));
        long revision = repository.current();
        assertCode("QUOTA_EXCEEDED", "ports", () -> ports.createPorts(BOB, List.of(
                new PortSpec("p2", n.id(), null, null, null, null, null),
                new PortSpec("p3", n.id(), null, null, null, null, null),
                new PortSpec("p4", n.id(), null, null, null, null, null))));
        assertEquals("nothing of the bulk is created", revision, repository.current());
        assertEquals(2, ports.createPorts(BOB, List.of(new PortSpec("p2", n.id(), null, null, null, null, null),
                new PortSpec("p3", n.id(), null, null, null, null, null))).size());
        List<Quota> report = quotas.quotas(BOB, null);
        assertEquals(List.of(new Quota("networks", 3, 3), new Quota("ports", 3, 3), new Quota("groups", 0, 3),
                new Quota("rules", 4, 3), new Quota("peerings", 0, 0)), report);
        SecurityGroup g = groups.createGroup(BOB, new SecurityGroupSpec("web", null));
        long beforeBulk = repository.current();
        assertCode("QUOTA_EXCEEDED", "rules", () -> groups.addRules(BOB, g.id(), List.of(
                new RuleSpec("ingress", "tcp", "22", null, null, null, null),
                new RuleSpec("ingress", "tcp", "23", null, null, null, null))));
        assertEquals("nothing of the bulk is added", beforeBulk, repository.current());
        groups.addRule(BOB, g.id(), new RuleSpec("ingress", "tcp", "22", null, null, null, null));
        assertCode("QUOTA_EXCEEDED", "rules", () -> groups.addRule(BOB, g.id(),
                new RuleSpec("ingress", "tcp", "80", null, null, null, null)));
        assertThrows(io.netloom.api.ForbiddenException.class, () -> quotas.quotas(BOB, "acme"));
    }
}
