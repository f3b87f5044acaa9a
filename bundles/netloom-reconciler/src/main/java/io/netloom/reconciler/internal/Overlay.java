package io.netloom.reconciler.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.model.Port;
import io.netloom.api.model.Subnet;

/**
 * The VXLAN overlay's part of the desired configuration: where a driver type has several nodes with an underlay
 * address, each such node holds a tunnel endpoint per segment of every network it holds, and one entry per port of
 * those networks placed on another of those nodes (its MAC, address and the remote node's underlay address). Nodes
 * without an underlay address (the controller's own) and driver types with a single such node get nothing.
 *
 * <p>VNIs are derived, not stored: one per segment (subnet), a 24-bit hash of the subnet id, collisions resolved by
 * taking the next free value in the order the subnets were created. So a VNI is the same on every node and across
 * restarts of the controller; it changes only if a subnet created earlier whose VNI it collided with is deleted
 * (about one chance in 16 million per pair of segments).
 */
final class Overlay {

    private Overlay() {
    }

    /**
     * One node's part in the overlay, as a full pass sees it.
     *
     * @param node the node id
     * @param type its driver type
     * @param underlay its underlay address, empty when it has none
     * @param networks the ids of the networks it holds
     * @param subnets the subnets of those networks
     * @param ports the ports placed on it that are ready (their filter rules compiled)
     * @param out receives its overlay entries
     */
    record Member(String node, String type, String underlay, Set<String> networks, Collection<Subnet> subnets,
            List<Port> ports, Consumer<ConfigEntry> out) {
    }

    /**
     * @param members every node of the pass
     * @return the driver types whose nodes form an overlay: several nodes with an underlay address
     */
    static Set<String> types(Collection<Member> members) {
        Map<String, Integer> count = new HashMap<>();
        for (Member m : members) {
            if (!m.underlay().isEmpty()) {
                count.merge(m.type(), 1, Integer::sum);
            }
        }
        Set<String> types = new HashSet<>();
        count.forEach((type, n) -> {
            if (n > 1) {
                types.add(type);
            }
        });
        return types;
    }

    /**
     * @param subnets every subnet that may need a VNI
     * @return each subnet's VNI
     */
    static Map<String, Integer> vnis(Collection<Subnet> subnets) {
        List<Subnet> ordered = new ArrayList<>(subnets);
        ordered.sort(Comparator.comparing(Subnet::createdAt).thenComparing(Subnet::id));
        Map<String, Integer> vnis = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        for (Subnet s : ordered) {
            if (vnis.containsKey(s.id())) {
                continue;
            }
            int vni = hashVni(s.id());
            while (!taken.add(vni)) {
                vni = vni == TunnelEntry.MAX_VNI ? 1 : vni + 1;
            }
            vnis.put(s.id(), vni);
        }
        return vnis;
    }

    /** 1 to {@link TunnelEntry#MAX_VNI}, from a stable hash of the id. */
    static int hashVni(String id) {
        int h = id.hashCode() * 0x9E3779B1;
        h ^= h >>> 15;
        return 1 + Math.floorMod(h, TunnelEntry.MAX_VNI);
    }

    /**
     * Adds the overlay entries of every member of an overlay type.
     *
     * @param members every node of the pass
     * @param types the overlay types ({@link #types})
     * @param vnis each subnet's VNI ({@link #vnis})
     */
    static void build(Collection<Member> members, Set<String> types, Map<String, Integer> vnis) {
        for (Member m : members) {
            if (!in(m, types)) {
                continue;
            }
            for (Subnet s : m.subnets()) {
                if (m.networks().contains(s.network())) {
                    m.out().accept(new TunnelEntry(s.network(), s.id(), vnis.get(s.id()), m.underlay()));
                }
            }
            for (Member other : members) {
                if (other == m || !in(other, types) || !other.type().equals(m.type())) {
                    continue;
                }
                for (Port p : other.ports()) {
                    remote(p, other.node(), other.underlay(), m.networks(), vnis).ifPresent(m.out());
                }
            }
        }
    }

    /**
     * @param port a port
     * @param home the node it is placed on
     * @param homeUnderlay that node's underlay address
     * @param held the networks of the node it may be remote to
     * @param vnis each subnet's VNI
     * @return its entry on that node, when it has an address, the node holds its network and its segment has a VNI
     */
    static Optional<RemotePortEntry> remote(Port port, String home, String homeUnderlay, Set<String> held,
            Map<String, Integer> vnis) {
        if (port.subnet() == null || port.ip() == null) {
            // A port without an address is bound to nothing yet: nothing to reach over a tunnel.
            return Optional.empty();
        }
        Integer vni = vnis.get(port.subnet());
        if (!held.contains(port.network()) || vni == null || homeUnderlay.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RemotePortEntry(port.id(), port.network(), port.subnet(), port.ip(),
                port.mac(), vni, home, homeUnderlay));
    }

    private static boolean in(Member m, Set<String> types) {
        return !m.underlay().isEmpty() && types.contains(m.type());
    }
}
