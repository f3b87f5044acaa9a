package io.netloom.driver.linuxbridge.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.ConnectionPolicy;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.model.Protocol;
import io.netloom.api.net.IpAddresses;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.Iproute2;

/**
 * Cuts the established connections that new filter rules refuse. The {@code forwarding} chain accepts established
 * and related packets before any port rule ({@link NftRuleset}), so after a plan takes permission away the
 * connections it refuses would keep passing: this removes them from connection tracking, and their next packet is
 * judged by the new rules as a new one (and dropped).
 *
 * <p>Connections are tracked in the router namespace of each network they cross (default zone), once per network:
 * a connection between two ports of one network has one entry, a connection over a peering one in each network
 * (a refused one is deleted from both).
 * For every port whose rules or referenced address sets changed, its network's table is listed with
 * {@code conntrack -L} and each entry judged in its original direction by {@link ConnectionPolicy} (the port's
 * egress rules when it is the source, its ingress rules when it is the destination); the refused entries are
 * deleted by their original tuple with {@code conntrack -D}. Entries still permitted are left alone, so their
 * connections go on undisturbed.
 */
final class ConntrackCut {

    private static final Logger LOG = LoggerFactory.getLogger(ConntrackCut.class);
    private static final String NOTHING_DELETED = "0 flow entries have been deleted";

    private final CommandRunner runner;
    private final String node;

    /**
     * One entry of a connection tracking table.
     *
     * @param connection the connection in its original direction
     * @param tuple the {@code conntrack -D} arguments naming its original tuple
     */
    record Tracked(ConnectionPolicy.Connection connection, List<String> tuple) {
    }

    /**
     * @param runner runs {@code conntrack} in router namespaces
     * @param node the node whose router namespaces they are
     */
    ConntrackCut(CommandRunner runner, String node) {
        this.runner = runner;
        this.node = node;
    }

    /** For tests: on the controller's own node. */
    ConntrackCut(CommandRunner runner) {
        this(runner, KernelNames.LOCAL_NODE);
    }

    /**
     * Removes, from the router namespaces of the given ports' networks, the connections their rules refuse.
     *
     * @param ports the ports whose filtering changed
     * @param target the node's configuration as the plan leaves it
     * @return why a port's connections could not be cut, by port id; empty when all were
     */
    Map<String, String> cut(Set<String> ports, Collection<ConfigEntry> target) {
        Map<String, String> failures = new LinkedHashMap<>();
        if (ports.isEmpty()) {
            return failures;
        }
        ConnectionPolicy policy = ConnectionPolicy.of(target);
        Map<String, List<String>> byNetwork = new TreeMap<>();
        // The networks of the node's ports by address: a connection over a peering is tracked in both networks.
        Map<String, Set<String>> networksByAddress = new HashMap<>();
        for (ConfigEntry e : target) {
            if (e instanceof PortEntry p) {
                networksByAddress.computeIfAbsent(p.ip(), a -> new TreeSet<>()).add(p.network());
                if (ports.contains(p.port())) {
                    byNetwork.computeIfAbsent(p.network(), n -> new ArrayList<>()).add(p.port());
                }
            }
        }
        byNetwork.forEach((network, inNetwork) -> {
            String namespace = KernelNames.routerNamespace(network, node);
            long start = System.nanoTime();
            try {
                if (!Iproute2.namespaceExists(namespace)) {
                    return;
                }
                List<Tracked> refused = policy.refused(inNetwork, list(namespace), Tracked::connection);
                for (Tracked t : refused) {
                    // From the other end's network too, or a packet from the other end would still find the
                    // connection established there.
                    Set<String> networks = new TreeSet<>(List.of(network));
                    networks.addAll(networksByAddress.getOrDefault(t.connection().source(), Set.of()));
                    networks.addAll(networksByAddress.getOrDefault(t.connection().destination(), Set.of()));
                    for (String n : networks) {
                        String ns = KernelNames.routerNamespace(n, node);
                        if (ns.equals(namespace) || Iproute2.namespaceExists(ns)) {
                            delete(ns, t);
                        }
                    }
                }
                if (!refused.isEmpty()) {
                    LOG.info("Cut {} established connection(s) of network {} that the new rules of port(s) {} "
                            + "refuse, in {} ms", refused.size(), network, inNetwork,
                            (System.nanoTime() - start) / 1_000_000);
                }
            } catch (HostCommandException | IllegalStateException e) {
                LOG.warn("Could not cut the refused connections of port(s) {} in network {}: {}", inNetwork, network,
                        e.getMessage());
                inNetwork.forEach(port -> failures.put(port, "Connections its new rules refuse could not be cut: "
                        + e.getMessage()));
            }
        });
        return failures;
    }

    /**
     * @return where {@code conntrack} is: {@code ip netns exec} looks programs up on its own PATH, which in a
     *     service's environment may lack {@code /usr/sbin}
     */
    private static String conntrack() {
        return HostCommand.locate("conntrack").map(Path::toString).orElseThrow(() -> new IllegalStateException(
                "conntrack is not installed (Debian package conntrack)"));
    }

    private List<Tracked> list(String namespace) {
        CommandResult listed = runner.run(Iproute2.inNamespace(namespace, conntrack(), "-L"));
        List<Tracked> tracked = new ArrayList<>();
        for (String line : listed.stdout().split("\n")) {
            parse(line).ifPresent(tracked::add);
        }
        return tracked;
    }

    private void delete(String namespace, Tracked tracked) {
        List<String> argv = new ArrayList<>(Iproute2.inNamespace(namespace, conntrack(), "-D"));
        argv.addAll(tracked.tuple());
        CommandResult result = runner.execute(argv, null);
        // An entry that ended between the listing and now is gone already: nothing to cut.
        if (result.exitCode() != 0 && !result.stderr().contains(NOTHING_DELETED)) {
            throw new HostCommandException(argv, result.exitCode(), result.stderr());
        }
    }

    /**
     * Reads one line of {@code conntrack -L}, such as {@code tcp 6 431999 ESTABLISHED src=10.0.0.2 dst=10.0.0.3
     * sport=40000 dport=22 src=10.0.0.3 dst=10.0.0.2 sport=22 dport=40000 [ASSURED] mark=0 use=1}: the first
     * {@code src}, {@code dst} and ports (or ICMP type, code and id) are the original direction's.
     *
     * @param line a line
     * @return the entry, or empty for a protocol other than TCP, UDP and ICMP (no rule but {@code any} names it,
     *     and the data plane forwards only those from ports) or a line that is no entry
     */
    static Optional<Tracked> parse(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length < 2) {
            return Optional.empty();
        }
        Optional<Protocol> known = ConnectionPolicy.trackedProtocol(words[0]);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Protocol protocol = known.get();
        Map<String, String> original = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                // The reply tuple repeats the keys: the first of each is the original direction's.
                original.putIfAbsent(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        String src = original.get("src");
        String dst = original.get("dst");
        if (src == null || dst == null || IpAddresses.parse(src).isEmpty() || IpAddresses.parse(dst).isEmpty()) {
            return Optional.empty();
        }
        List<String> tuple = new ArrayList<>(List.of("-p", words[0], "-s", src, "-d", dst));
        int destinationPort = 0;
        if (protocol == Protocol.ICMP) {
            for (String key : List.of("type", "code", "id")) {
                String value = original.get(key);
                if (value == null) {
                    return Optional.empty();
                }
                tuple.addAll(List.of("--icmp-" + key, number(value)));
            }
        } else {
            String sport = original.get("sport");
            String dport = original.get("dport");
            if (sport == null || dport == null) {
                return Optional.empty();
            }
            destinationPort = Integer.parseInt(number(dport));
            tuple.addAll(List.of("--sport", number(sport), "--dport", number(dport)));
        }
        return Optional.of(new Tracked(new ConnectionPolicy.Connection(protocol, src, dst, destinationPort), tuple));
    }

    /** A number as conntrack printed it: only digits reach a command line. */
    private static String number(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 5) {
            throw new IllegalStateException("conntrack printed '" + text + "' where a number belongs");
        }
        return text;
    }
}
