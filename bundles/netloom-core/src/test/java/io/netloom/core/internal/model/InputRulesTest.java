package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.Before;
import org.junit.Test;

import io.netloom.api.NetloomException;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.PortUpdate;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.StaticRouteSpec;
import io.netloom.api.model.SubnetSpec;

/**
 * Inputs that parse but make no sense for a virtual network are refused with a code and the field at fault.
 */
public class InputRulesTest {

    private static final Caller ADMIN = new Caller("admin", "admin", true, "rest");

    private ModelRepository repository;
    private NetworkManager networks;
    private PortManager ports;
    private SecurityGroupManager groups;
    private PeeringManager peerings;

    @Before
    public void setUp() {
        repository = new ModelRepository(new InMemoryModelStore(), Clock.systemUTC());
        networks = new NetworkManager(repository, ModelManagersTest.SIM_ONLY);
        ports = new PortManager(repository, ModelManagersTest.SIM_ONLY);
        groups = new SecurityGroupManager(repository);
        peerings = new PeeringManager(repository);
    }

    private static void assertCode(String code, String field, Runnable r) {
        NetloomException e = assertThrows(NetloomException.class, r::run);
        assertEquals(e.getMessage(), code, e.code());
        assertEquals(e.getMessage(), Optional.ofNullable(field), e.field());
    }

    private Network network(String name, String... cidrs) {
        return networks.createNetwork(ADMIN, new NetworkSpec(name, List.of(cidrs), null));
    }

    @Test
    public void reservedAddressSpacesAreRefusedForNetworks() {
        for (String cidr : List.of("0.0.0.0/0", "::/0", "127.0.0.0/8", "127.1.0.0/16", "224.0.0.0/4", "239.1.0.0/16",
                "169.254.0.0/16", "fe80::/10", "fe80::/64", "::1/128", "ff00::/8", "ff02::/16", "0.0.0.0/1",
                "0.0.0.0/8")) {
            assertCode("RESERVED_ADDRESS_SPACE", "cidrs[0]", () -> network("n", cidr));
        }
        assertCode("RESERVED_ADDRESS_SPACE", "cidrs[1]", () -> network("n", "10.0.0.0/8", "169.254.1.0/24"));
        assertEquals(0, networks.networks(ADMIN).size());
        network("private", "10.0.0.0/8", "fd00::/8");
        network("public", "198.51.100.0/24", "2001:db8::/32");
    }

    @Test
    public void subnetsWithoutRoomForAGatewayAndAPortAreRefused() {
        Network n = network("n", "10.1.0.0/16", "fd00:1::/48");
        for (String cidr : List.of("10.1.0.0/31", "10.1.0.4/32", "fd00:1::/127", "fd00:1::8/128")) {
            assertCode("SUBNET_TOO_SMALL", "cidr", () -> networks.createSubnet(ADMIN, n.id(),
                    new SubnetSpec("s", cidr, null)));
        }
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("v4", "10.1.0.0/30", null));
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("v6", "fd00:1::/126", null));
    }

    @Test
    public void staticRoutesShadowedByTheNetworksOwnAddressSpaceAreRefused() {
        Network n = network("n", "10.1.0.0/16", "10.9.0.0/24");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        for (String destination : List.of("10.1.0.0/16", "10.1.2.0/24", "10.1.1.7/32", "10.9.0.0/25")) {
            assertCode("SHADOWED_ROUTE", "destination", () -> networks.addStaticRoute(ADMIN, n.id(),
                    new StaticRouteSpec(destination, "10.1.1.10")));
        }
        // A route covering the network (a default route) is not shadowed: the local routes are more specific.
        networks.addStaticRoute(ADMIN, n.id(), new StaticRouteSpec("0.0.0.0/0", "10.1.1.10"));
        networks.addStaticRoute(ADMIN, n.id(), new StaticRouteSpec("172.16.0.0/12", "10.1.1.10"));
    }

    @Test
    public void allowedAddressPairsAreCheckedAndStoredCanonically() {
        Network n = network("n", "10.1.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        Port port = ports.createPort(ADMIN, spec("fw", n, List.of(new AddressPair("10.2.0.0/16", null),
                new AddressPair("10.3.0.9", "02:AA:bb:cc:dd:ee"))));
        assertEquals(List.of(new AddressPair("10.2.0.0/16", null), new AddressPair("10.3.0.9/32",
                "02:aa:bb:cc:dd:ee")), port.allowedAddressPairs());
        for (String broad : List.of("0.0.0.0/0", "::/0")) {
            assertCode("RESERVED_ADDRESS_SPACE", "allowedAddressPairs[0].ipAddress", () -> ports.createPort(ADMIN,
                    spec("p", n, List.of(new AddressPair(broad, null)))));
        }
        assertCode("ADDRESS_PAIR_TOO_BROAD", "allowedAddressPairs[1].ipAddress", () -> ports.createPort(ADMIN,
                spec("p", n, List.of(new AddressPair("10.2.0.0/16", null), new AddressPair("8.0.0.0/7", null)))));
        assertCode("RESERVED_ADDRESS_SPACE", "allowedAddressPairs[0].ipAddress", () -> ports.createPort(ADMIN,
                spec("p", n, List.of(new AddressPair("127.0.0.0/8", null)))));
        assertCode("INVALID_CIDR", "allowedAddressPairs[0].ipAddress", () -> ports.createPort(ADMIN,
                spec("p", n, List.of(new AddressPair("10.2.0.1/16", null)))));
        assertCode("INVALID_MAC", "allowedAddressPairs[0].macAddress", () -> ports.createPort(ADMIN,
                spec("p", n, List.of(new AddressPair("10.2.0.0/16", "ff:ff:ff:ff:ff:ff")))));
        assertCode("DUPLICATE_ADDRESS_PAIR", "allowedAddressPairs[1]", () -> ports.createPort(ADMIN,
                spec("p", n, List.of(new AddressPair("10.2.0.7", null), new AddressPair("10.2.0.7/32", null)))));
        List<AddressPair> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(new AddressPair("10.4." + i + ".0/24", null));
        }
        assertCode("TOO_MANY_ADDRESS_PAIRS", "allowedAddressPairs", () -> ports.createPort(ADMIN,
                spec("p", n, eleven)));
        assertEquals(1, ports.ports(ADMIN, Optional.empty()).size());

        // PATCH: the whole new list; a refused one changes nothing; an empty one clears them.
        assertCode("ADDRESS_PAIR_TOO_BROAD", "allowedAddressPairs[0].ipAddress", () -> ports.updatePort(ADMIN,
                port.id(), new PortUpdate(Optional.empty(), Optional.empty(),
                        Optional.of(List.of(new AddressPair("10.0.0.0/7", null))))));
        assertEquals(port.allowedAddressPairs(), ports.port(ADMIN, port.id()).allowedAddressPairs());
        Port renamed = ports.updatePort(ADMIN, port.id(), new PortUpdate(Optional.of("fw2"), Optional.empty(),
                Optional.empty()));
        assertEquals("fw2", renamed.name());
        assertEquals(port.allowedAddressPairs(), renamed.allowedAddressPairs());
        assertEquals(List.of(), ports.updatePort(ADMIN, port.id(), new PortUpdate(Optional.empty(), Optional.empty(),
                Optional.of(List.of()))).allowedAddressPairs());
    }

    private static PortSpec spec(String name, Network n, List<AddressPair> pairs) {
        return new PortSpec(name, n.id(), null, null, null, null, null, pairs);
    }

    @Test
    public void aNextHopMayBeInAnActivelyPeeredNetworkOnly() {
        Network spoke = network("spoke", "10.1.0.0/16");
        networks.createSubnet(ADMIN, spoke.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        Network hub = network("hub", "10.4.0.0/16");
        networks.createSubnet(ADMIN, hub.id(), new SubnetSpec("h", "10.4.1.0/24", null));
        StaticRouteSpec viaHub = new StaticRouteSpec("10.2.0.0/16", "10.4.1.254");
        assertCode("NEXT_HOP_OUTSIDE_SUBNETS", "nextHop", () -> networks.addStaticRoute(ADMIN, spoke.id(), viaHub));
        Peering pending = peerings.createPeering(ADMIN, new PeeringSpec("sh", spoke.id(), hub.id(), true, false));
        assertCode("NEXT_HOP_OUTSIDE_SUBNETS", "nextHop", () -> networks.addStaticRoute(ADMIN, spoke.id(), viaHub));
        peerings.accept(ADMIN, pending.id());
        assertEquals("10.4.1.254", networks.addStaticRoute(ADMIN, spoke.id(), viaHub).nextHop());
        assertCode("NEXT_HOP_OUTSIDE_SUBNETS", "nextHop", () -> networks.addStaticRoute(ADMIN, spoke.id(),
                new StaticRouteSpec("10.3.0.0/16", "10.5.0.1")));
    }

    @Test
    public void nextHopsThatAreASubnetsNetworkOrBroadcastAddressAreRefused() {
        Network n = network("n", "10.1.0.0/16", "fd00:1::/48");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s6", "fd00:1:0:1::/64", null));
        assertCode("INVALID_NEXT_HOP", "nextHop", () -> networks.addStaticRoute(ADMIN, n.id(),
                new StaticRouteSpec("172.16.0.0/12", "10.1.1.255")));
        assertCode("INVALID_NEXT_HOP", "nextHop", () -> networks.addStaticRoute(ADMIN, n.id(),
                new StaticRouteSpec("172.16.0.0/12", "10.1.1.0")));
        assertCode("INVALID_NEXT_HOP", "nextHop", () -> networks.addStaticRoute(ADMIN, n.id(),
                new StaticRouteSpec("2001:db8::/32", "fd00:1:0:1::")));
        networks.addStaticRoute(ADMIN, n.id(), new StaticRouteSpec("172.16.0.0/12", "10.1.1.254"));
    }

    @Test
    public void portNumbersWithLeadingZerosAreRefused() {
        String group = groups.createGroup(ADMIN, new SecurityGroupSpec("g", null)).id();
        for (String ports : List.of("080", "0080", "08-80", "80-0443", "0", "00")) {
            assertCode("INVALID_PORTS", "ports", () -> groups.addRule(ADMIN, group,
                    new RuleSpec("ingress", "tcp", ports, null, null, null, null)));
        }
        groups.addRule(ADMIN, group, new RuleSpec("ingress", "tcp", "80", null, null, null, null));
        groups.addRule(ADMIN, group, new RuleSpec("ingress", "tcp", "8000-8080", null, null, null, null));
    }

    @Test
    public void namesShapedLikeIdsAreRefusedForEveryKind() {
        Network n = network("n", "10.1.0.0/16");
        networks.createSubnet(ADMIN, n.id(), new SubnetSpec("s", "10.1.1.0/24", null));
        Network other = network("other", "10.2.0.0/16");
        String idLike = other.id();
        assertCode("NAME_LOOKS_LIKE_ID", "name", () -> network(idLike, "10.3.0.0/16"));
        for (String prefix : List.of("sub-", "port-", "sg-", "peer-", "route-", "rule-")) {
            assertCode("NAME_LOOKS_LIKE_ID", "name", () -> network(prefix + "0123456789ab", "10.3.0.0/16"));
        }
        assertCode("NAME_LOOKS_LIKE_ID", "name", () -> networks.createSubnet(ADMIN, n.id(),
                new SubnetSpec("sub-abcdefabcdef", "10.1.2.0/24", null)));
        assertCode("NAME_LOOKS_LIKE_ID", "name", () -> ports.createPort(ADMIN,
                new PortSpec("port-abcdefabcdef", n.id(), null, null, null, null, null)));
        assertCode("NAME_LOOKS_LIKE_ID", "name", () -> groups.createGroup(ADMIN,
                new SecurityGroupSpec("sg-abcdefabcdef", null)));
        assertCode("NAME_LOOKS_LIKE_ID", "name", () -> peerings.createPeering(ADMIN,
                new PeeringSpec("peer-abcdefabcdef", n.id(), other.id(), false, false)));
        // Close is fine: upper case, other lengths, other prefixes.
        network("net-ABCDEFABCDEF", "10.3.0.0/16");
        network("net-abcdefabcde", "10.4.0.0/16");
        network("web-abcdefabcdef", "10.5.0.0/16");
    }
}
