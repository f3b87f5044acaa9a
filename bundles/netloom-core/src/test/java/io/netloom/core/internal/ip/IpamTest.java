package io.netloom.core.internal.ip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import inet.ipaddr.IPAddress;
import io.netloom.api.ConflictException;
import io.netloom.api.ValidationException;

public class IpamTest {

    private static IPAddress subnet(String cidr) {
        return Cidrs.parsePrefix(cidr, "cidr");
    }

    private static ValidationException invalid(IPAddress subnet, String gateway, Set<String> used, String ip) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> Ipam.checkExplicit(subnet, gateway, used, ip, "ip"));
        assertEquals("INVALID_ADDRESS", e.code());
        assertEquals("ip", e.field().orElseThrow());
        return e;
    }

    private static ConflictException conflict(IPAddress subnet, String gateway, Set<String> used, String ip) {
        ConflictException e = assertThrows(ConflictException.class,
                () -> Ipam.checkExplicit(subnet, gateway, used, ip, "ip"));
        assertEquals("ADDRESS_IN_USE", e.code());
        assertEquals("ip", e.field().orElseThrow());
        return e;
    }

    @Test
    public void defaultGatewayIsTheFirstHost() {
        assertEquals("10.1.0.1", Ipam.defaultGateway(subnet("10.1.0.0/16")));
        assertEquals("192.168.1.1", Ipam.defaultGateway(subnet("192.168.1.0/24")));
        assertEquals("10.0.0.5", Ipam.defaultGateway(subnet("10.0.0.4/30")));
        assertEquals("0.0.0.1", Ipam.defaultGateway(subnet("0.0.0.0/0")));
        assertEquals("fd00:1::1", Ipam.defaultGateway(subnet("fd00:1::/64")));
        assertEquals("fd00::5", Ipam.defaultGateway(subnet("fd00::4/126")));
    }

    @Test
    public void slash31And127GatewaysAreTheLowerAddress() {
        assertEquals("10.0.0.4", Ipam.defaultGateway(subnet("10.0.0.4/31")));
        assertEquals("fd00::4", Ipam.defaultGateway(subnet("fd00::4/127")));
    }

    @Test
    public void slash32And128GatewaysAreTheAddressItself() {
        assertEquals("10.0.0.5", Ipam.defaultGateway(subnet("10.0.0.5/32")));
        assertEquals("fd00::5", Ipam.defaultGateway(subnet("fd00::5/128")));
    }

    @Test
    public void allocationSkipsTheGatewayAndUsedAddresses() {
        IPAddress net = subnet("10.1.0.0/24");
        assertEquals(Optional.of("10.1.0.2"), Ipam.allocate(net, "10.1.0.1", Set.of()));
        assertEquals(Optional.of("10.1.0.4"), Ipam.allocate(net, "10.1.0.1", Set.of("10.1.0.2", "10.1.0.3")));
        assertEquals(Optional.of("10.1.0.1"), Ipam.allocate(net, "10.1.0.254", Set.of()));
        assertEquals(Optional.of("10.1.0.1"), Ipam.allocate(net, null, Set.of("10.9.9.9")));
    }

    @Test
    public void exhaustedSubnetYieldsEmpty() {
        IPAddress net = subnet("10.0.0.0/30");
        Set<String> used = new HashSet<>(Set.of("10.0.0.2"));
        assertEquals("10.0.0.1", Ipam.defaultGateway(net));
        assertEquals(Optional.empty(), Ipam.allocate(net, "10.0.0.1", used));
        used.remove("10.0.0.2");
        Optional<String> last = Ipam.allocate(net, "10.0.0.1", used);
        assertEquals(Optional.of("10.0.0.2"), last);
        used.add(last.orElseThrow());
        assertEquals(Optional.empty(), Ipam.allocate(net, "10.0.0.1", used));
    }

    @Test
    public void broadcastAddressIsNeverAllocated() {
        IPAddress net = subnet("10.0.0.0/29");
        Set<String> used = Set.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5");
        assertEquals(Optional.of("10.0.0.6"), Ipam.allocate(net, "10.0.0.1", used));
        Set<String> more = new HashSet<>(used);
        more.add("10.0.0.6");
        assertEquals(Optional.empty(), Ipam.allocate(net, "10.0.0.1", more));
    }

    @Test
    public void slash31AllocatesTheUpperAddressAfterTheGateway() {
        IPAddress net = subnet("10.0.0.4/31");
        assertEquals(Optional.of("10.0.0.5"), Ipam.allocate(net, "10.0.0.4", Set.of()));
        assertEquals(Optional.empty(), Ipam.allocate(net, "10.0.0.4", Set.of("10.0.0.5")));
    }

    @Test
    public void slash32HasNothingLeftBesideItsGateway() {
        IPAddress net = subnet("10.0.0.5/32");
        assertEquals(Optional.empty(), Ipam.allocate(net, "10.0.0.5", Set.of()));
        assertEquals(Optional.of("10.0.0.5"), Ipam.allocate(net, null, Set.of()));
    }

    @Test
    public void ipv6AllocationSkipsAnycastAndUsesTheTopAddress() {
        IPAddress net = subnet("fd00:1::/64");
        assertEquals(Optional.of("fd00:1::2"), Ipam.allocate(net, "fd00:1::1", Set.of()));
        IPAddress tiny = subnet("fd00::/126");
        assertEquals(Optional.of("fd00::3"), Ipam.allocate(tiny, "fd00::1", Set.of("fd00::2")));
        assertEquals(Optional.empty(), Ipam.allocate(tiny, "fd00::1", Set.of("fd00::2", "fd00::3")));
    }

    @Test
    public void slash127And128AllocateBothOrTheOnlyAddress() {
        IPAddress pair = subnet("fd00::4/127");
        assertEquals(Optional.of("fd00::5"), Ipam.allocate(pair, "fd00::4", Set.of()));
        assertEquals(Optional.empty(), Ipam.allocate(pair, "fd00::4", Set.of("fd00::5")));
        IPAddress single = subnet("fd00::5/128");
        assertEquals(Optional.empty(), Ipam.allocate(single, "fd00::5", Set.of()));
    }

    @Test
    public void allocationInASlash8WithTenThousandUsedFindsTheNextFree() {
        IPAddress net = subnet("10.0.0.0/8");
        Set<String> used = new HashSet<>();
        for (int i = 2; i < 10_002; i++) {
            used.add("10.0." + (i / 256) + "." + (i % 256));
        }
        // 10.0.39.18 is host number 10002, the first one past the used run.
        assertEquals(Optional.of("10.0.39.18"), Ipam.allocate(net, "10.0.0.1", used));
    }

    @Test
    public void allocationInAnIpv6Slash64WithThousandsUsedFindsTheNextFree() {
        IPAddress net = subnet("fd00:1::/64");
        Set<String> used = new HashSet<>();
        for (int i = 2; i <= 5000; i++) {
            used.add("fd00:1::" + Integer.toHexString(i));
        }
        assertEquals(Optional.of("fd00:1::1389"), Ipam.allocate(net, "fd00:1::1", used));
    }

    @Test
    public void explicitAddressIsReturnedCanonical() {
        IPAddress net = subnet("fd00:1::/64");
        assertEquals("fd00:1::a", Ipam.checkExplicit(net, "fd00:1::1", Set.of(), "FD00:1:0:0::A", "ip"));
        assertEquals("10.1.0.9", Ipam.checkExplicit(subnet("10.1.0.0/16"), "10.1.0.1", Set.of(), "10.1.0.9", "ip"));
    }

    @Test
    public void explicitAddressOutsideTheSubnetIsRejected() {
        IPAddress net = subnet("10.1.0.0/16");
        assertTrue(invalid(net, "10.1.0.1", Set.of(), "10.2.0.5").getMessage().contains("outside"));
        assertTrue(invalid(net, "10.1.0.1", Set.of(), "fd00::5").getMessage().contains("IPv6"));
        invalid(net, "10.1.0.1", Set.of(), "10.1.0.300");
        invalid(net, "10.1.0.1", Set.of(), "10.1.0.5/32");
    }

    @Test
    public void explicitNetworkBroadcastAndAnycastAddressesAreRejected() {
        IPAddress net = subnet("10.1.0.0/16");
        assertTrue(invalid(net, "10.1.0.1", Set.of(), "10.1.0.0").getMessage().contains("network address"));
        assertTrue(invalid(net, "10.1.0.1", Set.of(), "10.1.255.255").getMessage().contains("broadcast"));
        assertTrue(invalid(subnet("fd00:1::/64"), "fd00:1::1", Set.of(), "fd00:1::").getMessage()
                .contains("anycast"));
    }

    @Test
    public void explicitAddressesOfSlash31AndSlash127AreBothUsable() {
        assertEquals("10.0.0.5", Ipam.checkExplicit(subnet("10.0.0.4/31"), "10.0.0.4", Set.of(), "10.0.0.5", "ip"));
        assertEquals("fd00::4", Ipam.checkExplicit(subnet("fd00::4/127"), "fd00::5", Set.of(), "fd00::4", "ip"));
    }

    @Test
    public void explicitAddressEqualToGatewayOrUsedConflicts() {
        IPAddress net = subnet("10.1.0.0/16");
        assertTrue(conflict(net, "10.1.0.1", Set.of(), "10.1.0.1").getMessage().contains("gateway"));
        assertTrue(conflict(net, "10.1.0.1", Set.of("10.1.0.7"), "10.1.0.7").getMessage().contains("in use"));
        conflict(subnet("fd00:1::/64"), "fd00:1::1", Set.of("fd00:1::7"), "fd00:1:0::0007");
    }

    @Test
    public void userGatewayMustBeAUsableHostInside() {
        IPAddress net = subnet("10.1.0.0/24");
        assertEquals("10.1.0.254", Ipam.checkGateway(net, "10.1.0.254", "gateway"));
        assertEquals("fd00:1::fffe", Ipam.checkGateway(subnet("fd00:1::/64"), "FD00:1::FFFE", "gateway"));
        for (String bad : new String[] {"10.1.0.0", "10.1.0.255", "10.1.1.1", "10.1.0.01", "fd00::1", ""}) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> Ipam.checkGateway(net, bad, "gateway"));
            assertEquals("INVALID_ADDRESS", e.code());
            assertEquals("gateway", e.field().orElseThrow());
        }
    }

    @Test
    public void nonPrefixSubnetIsAProgrammingError() {
        IPAddress single = Cidrs.parseAddress("10.1.0.5", "ip");
        assertThrows(IllegalArgumentException.class, () -> Ipam.defaultGateway(single));
        assertThrows(IllegalArgumentException.class, () -> Ipam.allocate(single, null, Set.of()));
    }
}
