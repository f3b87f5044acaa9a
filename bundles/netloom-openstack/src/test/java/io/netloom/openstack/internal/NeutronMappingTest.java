package io.netloom.openstack.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class NeutronMappingTest {

    @Test
    public void aNetloomIdHasOneStableUuidAndOnlyUuidsAreIds() {
        String uuid = Ids.uuidOf("net-3fa2c01b9e44");
        assertEquals(uuid, Ids.uuidOf("net-3fa2c01b9e44"));
        assertNotEquals(uuid, Ids.uuidOf("net-3fa2c01b9e45"));
        assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"));
        assertTrue(Ids.isUuid(uuid.replace("-", "").toUpperCase()));
        assertEquals(uuid, Ids.canonical(uuid.replace("-", "")));
        assertFalse(Ids.isUuid("net-3fa2c01b9e44"));
        assertFalse(Ids.isUuid("my-network"));
        assertEquals(Optional.of("net-3fa2c01b9e44"),
                Ids.find(List.of("net-000000000001", "net-3fa2c01b9e44"), id -> id, uuid));
        assertEquals(Optional.empty(), Ids.find(List.of("net-3fa2c01b9e44"), id -> id, "net-3fa2c01b9e44"));
        assertTrue(Ids.projectIdOf("alpha").matches("[0-9a-f]{32}"));
    }

    @Test
    public void theAddressSpaceGrowsToHoldANewSubnetAndSwallowsPrefixesInsideIt() {
        assertEquals(List.of("10.1.0.0/24"), SubnetsResource.grow(List.of(), "10.1.0.0/24",
                Addresses.prefix("10.1.0.0/24")));
        List<String> held = List.of("10.0.0.0/8");
        assertEquals(held, SubnetsResource.grow(held, "10.1.0.0/24", Addresses.prefix("10.1.0.0/24")));
        assertEquals(List.of("192.168.0.0/24", "10.0.0.0/16"), SubnetsResource.grow(
                List.of("10.0.1.0/24", "192.168.0.0/24", "10.0.2.0/28"), "10.0.0.0/16",
                Addresses.prefix("10.0.0.0/16")));
        assertEquals(List.of("10.0.0.0/16", "fd00::/64"), SubnetsResource.grow(List.of("10.0.0.0/16"), "fd00::/64",
                Addresses.prefix("fd00::/64")));
    }

    @Test
    public void poolsAreEveryHostButTheGatewayAndPrefixesOverlapOnlyWithinAVersion() {
        assertEquals(List.of("10.1.0.2-10.1.0.254"), flat(Addresses.pools("10.1.0.0/24", "10.1.0.1")));
        assertEquals(List.of("10.1.0.1-10.1.0.9", "10.1.0.11-10.1.0.14"),
                flat(Addresses.pools("10.1.0.0/28", "10.1.0.10")));
        assertEquals(List.of("2001:db8::2-2001:db8::ffff:ffff:ffff:ffff"),
                flat(Addresses.pools("2001:db8::/64", "2001:db8::1")));
        assertTrue(Addresses.prefix("10.1.0.0/16").overlaps(Addresses.prefix("10.1.7.0/24")));
        assertFalse(Addresses.prefix("10.1.0.0/16").overlaps(Addresses.prefix("10.2.0.0/16")));
        assertFalse(Addresses.prefix("0.0.0.0/0").overlaps(Addresses.prefix("::/0")));
        // Only literals are parsed: a host name is never looked up.
        assertThrows(NeutronException.class, () -> Addresses.prefix("localhost/24"));
        assertThrows(NeutronException.class, () -> Addresses.prefix("10.1.0.0/33"));
    }

    private static List<String> flat(List<String[]> pools) {
        return pools.stream().map(p -> p[0] + "-" + p[1]).toList();
    }

    @Test
    public void aTokenIsScopedOnlyToAProjectTheUserHoldsARoleIn() {
        Set<String> member = Set.of("netloom-user", "netloom-tenant-alpha");
        assertEquals(Optional.of("alpha"), IdentityServlet.project(scope("{\"name\":\"alpha\"}"), member));
        assertEquals(Optional.empty(), IdentityServlet.project(scope("{\"name\":\"beta\"}"), member));
        assertEquals(Optional.of("alpha"), IdentityServlet.project(
                scope("{\"id\":\"" + Ids.projectIdOf("alpha") + "\"}"), member));
        assertEquals(Optional.of("alpha"), IdentityServlet.project(null, member));
        assertEquals(Optional.of("beta"), IdentityServlet.project(scope("{\"name\":\"beta\"}"),
                Set.of("netloom-admin")));
        Token token = IdentityServlet.token("alice", "alpha", member, Instant.EPOCH);
        assertTrue(token.caller().canWrite("alpha"));
        assertFalse(token.caller().canRead("beta"));
        assertEquals(Set.of("reader", "member"), token.roles());
        Token reader = IdentityServlet.token("carol", "alpha", Set.of("netloom-tenant-alpha"), Instant.EPOCH);
        assertTrue(reader.caller().canRead("alpha"));
        assertFalse(reader.caller().canWrite("alpha"));
    }

    private static JsonObject scope(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    @Test
    public void tokensAreRandomAndExpire() {
        MutableClock clock = new MutableClock();
        TokenStore store = new TokenStore(clock);
        Token token = IdentityServlet.token("alice", "alpha", Set.of("netloom-user", "netloom-tenant-alpha"),
                clock.instant());
        String a = store.issue(token);
        String b = store.issue(token);
        assertNotEquals(a, b);
        assertTrue(a.length() >= 40);
        assertEquals(Optional.of(token), store.find(a));
        assertEquals(Optional.empty(), store.find("nlk" + a.substring(3, 20)));
        assertTrue(store.revoke(b));
        assertEquals(Optional.empty(), store.find(b));
        clock.now = clock.now.plus(TokenStore.LIFETIME);
        assertEquals(Optional.empty(), store.find(a));
    }

    @Test
    public void filtersTakeAnyOfTheirValuesAndFieldsSelect() {
        JsonObject port = JsonParser.parseString("{\"id\":\"x\",\"name\":\"p\",\"admin_state_up\":true,"
                + "\"security_groups\":[\"g1\",\"g2\"],\"device_id\":\"\"}").getAsJsonObject();
        assertTrue(NeutronServlet.matches(port, Map.of("name", new String[] {"q", "p"})));
        assertFalse(NeutronServlet.matches(port, Map.of("name", new String[] {"q"})));
        assertTrue(NeutronServlet.matches(port, Map.of("admin_state_up", new String[] {"True"})));
        assertTrue(NeutronServlet.matches(port, Map.of("security_groups", new String[] {"g2"})));
        assertTrue(NeutronServlet.matches(port, Map.of("device_id", new String[] {""})));
        assertEquals("{\"id\":\"x\",\"name\":\"p\"}",
                NeutronServlet.select(port, new String[] {"id", "name,missing"}).toString());
    }

    @Test
    public void fixedIpsAreFilteredByAMembersValueOrPartOfIt() {
        JsonObject port = JsonParser.parseString("{\"fixed_ips\":[{\"subnet_id\":\"s1\","
                + "\"ip_address\":\"10.100.0.10\"}]}").getAsJsonObject();
        JsonObject l2 = JsonParser.parseString("{\"fixed_ips\":[]}").getAsJsonObject();
        assertTrue(NeutronServlet.matches(port, Map.of("fixed_ips", new String[] {"ip_address=10.100.0.10"})));
        assertFalse(NeutronServlet.matches(port, Map.of("fixed_ips", new String[] {"ip_address=10.100.0.1"})));
        assertTrue(NeutronServlet.matches(port, Map.of("fixed_ips", new String[] {"subnet_id=s1"})));
        assertTrue(NeutronServlet.matches(port, Map.of("fixed_ips", new String[] {"ip_address_substr=100.0.1"})));
        assertFalse(NeutronServlet.matches(port, Map.of("fixed_ips", new String[] {"ip_address_substr=10.100.0.9"})));
        assertFalse(NeutronServlet.matches(l2, Map.of("fixed_ips", new String[] {"ip_address_substr=10"})));
        assertEquals("10.1.2.3", Addresses.hostOrPrefix("10.1.2.3/32"));
        assertEquals("2001:db8::5", Addresses.hostOrPrefix("2001:db8::5/128"));
        assertEquals("10.1.0.0/16", Addresses.hostOrPrefix("10.1.0.0/16"));
    }

    @Test
    public void ruleRangesAreCheckedWithNeutronsMessages() {
        assertEquals("80", SecurityGroupRulesResource.ports("tcp", 80, 80));
        assertEquals("8000-8080", SecurityGroupRulesResource.ports("udp", 8000, 8080));
        assertEquals(null, SecurityGroupRulesResource.ports("icmp", null, null));
        assertMessage("Invalid value for port -16", () -> SecurityGroupRulesResource.ports("tcp", -16, 80));
        assertMessage("port_range_min must be <= port_range_max", () -> SecurityGroupRulesResource.ports("tcp", 80,
                79));
        assertMessage("port_range_min must be <= port_range_max", () -> SecurityGroupRulesResource.ports("tcp", null,
                6));
        assertMessage("Invalid value for ICMP code", () -> SecurityGroupRulesResource.ports("icmp", 1, 256));
        assertMessage("ICMP type (port-range-min) is missing", () -> SecurityGroupRulesResource.ports("icmp", null,
                6));
        assertEquals("tcp", SecurityGroupRulesResource.protocol("6", "IPv4"));
        assertEquals("any", SecurityGroupRulesResource.protocol(null, "IPv4"));
        assertThrows(NeutronException.class, () -> SecurityGroupRulesResource.protocol("gre", "IPv4"));
        assertThrows(NeutronException.class, () -> SecurityGroupRulesResource.protocol("ipv6-icmp", "IPv4"));
    }

    @Test
    public void emptyNeutronNamesRoundTripAndOtherNamesMustBeNetloomNames() {
        String stored = Naming.toNetloom("");
        assertTrue(stored.matches("unnamed-[0-9a-f]{12}"));
        assertEquals("", Naming.toNeutron(stored));
        assertEquals("web", Naming.toNeutron(Naming.toNetloom("web")));
        assertThrows(NeutronException.class, () -> Naming.toNetloom("has space"));
    }

    private static void assertMessage(String part, org.junit.function.ThrowingRunnable call) {
        NeutronException e = assertThrows(NeutronException.class, call);
        assertEquals(400, e.status());
        assertTrue(e.getMessage(), e.getMessage().contains(part));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
