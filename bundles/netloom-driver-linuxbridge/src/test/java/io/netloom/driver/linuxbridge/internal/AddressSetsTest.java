package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class AddressSetsTest {

    private static final String SET = "sg-0123456789ab";
    private static final String V4 = KernelNames.addressSet(SET, false);

    private static PortEntry port(String id, String network, String ip) {
        return new PortEntry(id, network, "sub-" + network, ip, "02:00:00:00:00:01", "10.200.0.1", null, null);
    }

    private static FilterEntry referencing(String port) {
        return new FilterEntry(new FilterRule("sg-x/r1", port, Direction.INGRESS, Protocol.ICMP, null, null, null,
                RuleAction.ALLOW, 100, SET));
    }

    /** Ports a1 (network a), b1 and b2 (network b), c1 (network c); the rules of a1 and b1 reference the set. */
    private static final List<PortEntry> PORTS = List.of(port("a1", "a", "10.200.1.5"), port("b1", "b", "10.200.2.5"),
            port("b2", "b", "10.200.1.5"), port("c1", "c", "10.200.3.5"));

    private static AddressSets sets(List<AddressSetEntry> members) {
        Map<String, PortEntry> ports = new LinkedHashMap<>();
        PORTS.forEach(p -> ports.put(p.port(), p));
        List<ConfigEntry> target = new ArrayList<>(PORTS);
        target.add(referencing("a1"));
        target.add(referencing("b1"));
        target.addAll(members);
        return new AddressSets(target, ports);
    }

    private static AddressSetEntry member(String port) {
        return new AddressSetEntry(SET, port, PORTS.stream().filter(p -> p.port().equals(port)).findFirst()
                .orElseThrow().ip());
    }

    @Test
    public void aMemberOnAnotherNodeIsRecordedInAReferencingNetwork() {
        // Port r9 is placed on another node: this node holds its membership because a1's and b1's rules use the set.
        AddressSetEntry remote = new AddressSetEntry(SET, "r9", "10.200.9.9");
        AddressSets sets = sets(List.of(member("a1"), remote));
        assertEquals(Optional.empty(), sets.problem(remote));
        Map<String, AddressSets.Change> changes = sets.changes(List.of(remote), List.of(), Set.of(), Map.of());
        assertEquals(Set.of("a", "b"), changes.keySet());
        assertEquals(List.of(remote), changes.get("a").change().memberAdds());
        assertEquals(List.of(), changes.get("b").change().memberAdds());
        assertEquals(Set.of("10.200.9.9"), changes.get("b").change().addressAdds().get(V4));
        assertEquals(List.of(remote), sets.elements("a").members().stream().filter(m -> m.port().equals("r9"))
                .toList());
        Map<String, AddressSets.Change> gone = sets(List.of(member("a1"))).changes(List.of(), List.of(remote),
                Set.of(), Map.of());
        assertEquals(List.of(remote), gone.get("a").change().memberRemoves());
    }

    @Test
    public void aMemberJoiningIsItsRecordAtHomeAndItsAddressInEachReferencingNetwork() {
        Map<String, AddressSets.Change> changes = sets(List.of(member("a1"), member("c1")))
                .changes(List.of(member("c1")), List.of(), Set.of(), Map.of());
        assertEquals(Set.of("a", "b", "c"), changes.keySet());
        assertEquals(List.of(member("c1")), changes.get("c").change().memberAdds());
        assertTrue(changes.get("c").change().addressAdds().isEmpty());
        for (String referencing : List.of("a", "b")) {
            assertEquals(Map.of(V4, Set.of("10.200.3.5")), changes.get(referencing).change().addressAdds());
            assertTrue(changes.get(referencing).change().memberAdds().isEmpty());
            assertEquals(List.of(member("c1")), changes.get(referencing).entries());
        }
    }

    @Test
    public void anAddressStaysWhileAnotherMemberHoldsIt() {
        // a1 and b2 share 10.200.1.5: a1 leaving removes its record only.
        Map<String, AddressSets.Change> changes = sets(List.of(member("b2")))
                .changes(List.of(), List.of(member("a1")), Set.of(), Map.of());
        assertEquals(Set.of("a"), changes.keySet());
        assertEquals(List.of(member("a1")), changes.get("a").change().memberRemoves());
        assertTrue(changes.get("a").change().addressRemoves().isEmpty());
        // The last holder leaving takes the address out of every set that holds it.
        changes = sets(List.of()).changes(List.of(), List.of(member("b2")), Set.of(), Map.of());
        assertEquals(Map.of(V4, Set.of("10.200.1.5")), changes.get("a").change().addressRemoves());
        assertEquals(Map.of(V4, Set.of("10.200.1.5")), changes.get("b").change().addressRemoves());
        assertEquals(List.of(member("b2")), changes.get("b").change().memberRemoves());
    }

    @Test
    public void networksRewrittenWholeGetNoElementChangeButEveryElement() {
        AddressSets sets = sets(List.of(member("a1"), member("c1")));
        Map<String, AddressSets.Change> changes = sets.changes(List.of(member("c1")), List.of(), Set.of("a", "c"),
                Map.of());
        assertEquals(Set.of("b"), changes.keySet());
        assertEquals(List.of(member("a1")), sets.elements("a").members());
        assertEquals(Set.of("10.200.1.5", "10.200.3.5"), sets.elements("b").addresses().get(SET));
        // c holds c1's record and no set; a holds the set of both.
        assertEquals(List.of(member("c1")), sets.dependingOn("c", List.of(member("c1"), member("b2"))));
        assertEquals(List.of(member("c1"), member("b2")), sets.dependingOn("a", List.of(member("c1"), member("b2"))));
    }

    @Test
    public void aMemberOfAPortNotOnTheNodeIsAProblemWhenNoRuleHereUsesItsSet() {
        AddressSets sets = sets(List.of());
        assertTrue(sets.problem(new AddressSetEntry("sg-ffffffffffff", "elsewhere", "10.200.9.9")).isPresent());
        assertTrue(sets.problem(member("a1")).isEmpty());
    }

    /** A router whose rules reference the set when it holds the set's addresses {@code v4}. */
    private static KernelReader.Router router(String network, List<AddressSetEntry> members, Set<String> v4) {
        Map<String, Set<String>> sets = v4 == null ? Map.of() : Map.of(V4, v4);
        List<FilterEntry> filters = v4 == null ? List.of() : List.of(referencing("p" + network));
        return new KernelReader.Router("nlr" + network, network, null, List.of(), List.of(), null,
                new NftRuleset.Written(filters, Map.of(), members, sets));
    }

    @Test
    public void aMemberReadsBackWhenRecordedAndItsAddressIsInEverySetThatHoldsIt() {
        AddressSetEntry a1 = member("a1");
        AddressSetEntry c1 = member("c1");
        List<KernelReader.Router> routers = List.of(router("a", List.of(a1), Set.of("10.200.1.5", "10.200.3.5")),
                router("b", List.of(), Set.of("10.200.1.5")), router("c", List.of(c1), null));
        // c1's address is missing from b's set: not realised, so the reconciler adds it again.
        assertEquals(List.of(a1), KernelReader.members(routers));
        routers = List.of(routers.get(0), router("b", List.of(), Set.of("10.200.1.5", "10.200.3.5")), routers.get(2));
        assertEquals(List.of(a1, c1), KernelReader.members(routers));
        // A set referenced nowhere on the node holds no address: the record alone realises the member.
        assertEquals(List.of(c1), KernelReader.members(List.of(routers.get(2))));
        // Nor does a set that a namespace holds but its rules no longer reference.
        KernelReader.Router stray = new KernelReader.Router("nlrd", "d", null, List.of(), List.of(), null,
                new NftRuleset.Written(List.of(), Map.of(), List.of(), Map.of(V4, Set.of())));
        assertEquals(List.of(c1), KernelReader.members(List.of(routers.get(2), stray)));
    }
}
