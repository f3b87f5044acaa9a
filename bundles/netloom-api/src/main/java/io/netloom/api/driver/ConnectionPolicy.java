package io.netloom.api.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.api.net.IpAddresses;

/**
 * Which connections a node's filter rules permit, decided the way every driver realises them: per port, rules by
 * ascending priority and, at equal priority, a deny first; the first match decides; with no match, ingress is
 * denied and egress allowed. A rule of protocol {@code ANY} matches every protocol; a port range matches TCP and UDP
 * only, on the destination port.
 *
 * <p>Its use: a data plane with connection tracking accepts the packets of an established connection before any
 * rule, so a plan that takes permission away (a new deny, a removed allow, a member leaving an address set) must
 * also remove the tracked connections the new rules refuse. A driver builds a policy from the configuration it
 * holds after the plan, asks {@link #affectedPorts} which ports the plan changed, and deletes from each such port's
 * connection tracking the connections for which {@link #refusal} answers a reason. A connection is judged in its
 * original direction: by the port's egress rules when the port is its source, by its ingress rules when the port
 * is its destination.
 */
public final class ConnectionPolicy {

    private static final Comparator<FilterRule> EVALUATION_ORDER = Comparator
            .comparingInt(FilterRule::priority)
            .thenComparing(r -> r.action() == RuleAction.DENY ? 0 : 1);

    private final Map<String, String> addresses;
    private final Map<String, List<Rule>> rules;
    private final Map<String, Set<IPAddress>> sets;

    /**
     * A connection as a connection tracker holds it, in its original direction (as its first packet went).
     *
     * @param protocol TCP, UDP or ICMP
     * @param source the source address of the first packet
     * @param destination its destination address
     * @param destinationPort its destination port for TCP and UDP; 0 for ICMP
     */
    public record Connection(Protocol protocol, String source, String destination, int destinationPort) {

        /**
         * Checks that nothing is missing and that the protocol is one a packet has.
         */
        public Connection {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            if (protocol == Protocol.ANY) {
                throw new IllegalArgumentException("A connection is tcp, udp or icmp, not any");
            }
        }
    }

    /**
     * @param name a protocol as connection trackers name it ({@code conntrack -L}, {@code dpctl/dump-conntrack})
     * @return the protocol a connection of that name has for the rules: TCP, UDP or ICMP; empty for any other, which
     *     the data planes forward from no port
     */
    public static Optional<Protocol> trackedProtocol(String name) {
        return switch (name) {
            case "tcp" -> Optional.of(Protocol.TCP);
            case "udp" -> Optional.of(Protocol.UDP);
            case "icmp" -> Optional.of(Protocol.ICMP);
            default -> Optional.empty();
        };
    }

    /**
     * A rule with its remote prefix parsed once.
     *
     * @param rule the rule
     * @param remote the remote prefix block, or {@code null} when the rule references an address set
     */
    private record Rule(FilterRule rule, IPAddress remote) {
    }

    private ConnectionPolicy(Map<String, String> addresses, Map<String, List<Rule>> rules,
            Map<String, Set<IPAddress>> sets) {
        this.addresses = addresses;
        this.rules = rules;
        this.sets = sets;
    }

    /**
     * Indexes the ports, filter rules and address-set members of a configuration.
     *
     * @param entries a node's configuration (other kinds of entries are ignored)
     * @return the policy it defines
     * @throws IllegalArgumentException when a rule's remote is not a prefix or a member's address is not an address
     */
    public static ConnectionPolicy of(Collection<? extends ConfigEntry> entries) {
        Map<String, String> addresses = new HashMap<>();
        Map<String, List<Rule>> rules = new HashMap<>();
        Map<String, Set<IPAddress>> sets = new HashMap<>();
        for (ConfigEntry entry : entries) {
            if (entry instanceof PortEntry port) {
                addresses.put(port.port(), port.ip());
            } else if (entry instanceof FilterEntry filter) {
                FilterRule rule = filter.rule();
                rules.computeIfAbsent(rule.portId(), p -> new ArrayList<>())
                        .add(new Rule(rule, rule.referencesSet() ? null : prefix(rule.remoteCidr())));
            } else if (entry instanceof AddressSetEntry member) {
                sets.computeIfAbsent(member.set(), s -> new HashSet<>()).add(parseAddress(member.address()));
            }
        }
        rules.values().forEach(list -> list.sort(Comparator.comparing(Rule::rule, EVALUATION_ORDER)));
        return new ConnectionPolicy(addresses, rules, sets);
    }

    /**
     * The ports whose permissions a plan may narrow, and only those: a port with an allow rule removed or a deny rule
     * added, and a port with an allow rule over an address set a member leaves or a deny rule over a set a member
     * joins. (An allow rule added, a deny rule removed, a member joining a set that allow rules reference: those only
     * widen what passes, and cut nothing; so creating ports, even thousands in one group, lists no connection.)
     *
     * @param steps a plan's steps
     * @param entries the node's configuration after the plan
     * @return the ids of those ports that the configuration holds, sorted
     */
    public static Set<String> affectedPorts(Collection<PlanStep> steps, Collection<? extends ConfigEntry> entries) {
        Set<String> ports = new TreeSet<>();
        Set<String> shrunk = new HashSet<>();
        Set<String> grown = new HashSet<>();
        for (PlanStep step : steps) {
            boolean removed = step.op() == PlanStep.Op.REMOVE;
            if (step.entry() instanceof FilterEntry filter) {
                boolean allow = filter.rule().action() == RuleAction.ALLOW;
                if (removed == allow) {
                    ports.add(filter.rule().portId());
                }
            } else if (step.entry() instanceof AddressSetEntry member) {
                (removed ? shrunk : grown).add(member.set());
            }
        }
        Set<String> present = new HashSet<>();
        boolean setsChanged = !shrunk.isEmpty() || !grown.isEmpty();
        for (ConfigEntry entry : entries) {
            if (entry instanceof PortEntry port) {
                present.add(port.port());
            } else if (setsChanged && entry instanceof FilterEntry filter && filter.rule().referencesSet()) {
                String set = filter.rule().remoteSet();
                boolean allow = filter.rule().action() == RuleAction.ALLOW;
                if (allow ? shrunk.contains(set) : grown.contains(set)) {
                    ports.add(filter.rule().portId());
                }
            }
        }
        ports.retainAll(present);
        return ports;
    }

    /**
     * What an apply reports when the connections of some ports could not be cut: a failure for each of their filter
     * entries, those of the configuration and those the plan added or removed, and for the port itself (a port
     * without rules has no other entry to fail), so that the plan does not count as applied.
     *
     * @param notCut why each port's connections could not be cut, by port id
     * @param steps the plan's steps
     * @param entries the node's configuration after the plan
     * @return the failures, by entry key
     */
    public static Map<String, String> cutFailures(Map<String, String> notCut, Collection<PlanStep> steps,
            Collection<? extends ConfigEntry> entries) {
        Map<String, String> failures = new LinkedHashMap<>();
        List<ConfigEntry> all = new ArrayList<>(entries);
        steps.forEach(step -> all.add(step.entry()));
        for (ConfigEntry e : all) {
            if (e instanceof FilterEntry f && notCut.containsKey(f.rule().portId())) {
                failures.putIfAbsent(e.key(), notCut.get(f.rule().portId()));
            }
        }
        notCut.forEach((port, why) -> failures.putIfAbsent(PortEntry.keyOf(port), why));
        return failures;
    }

    /**
     * @param port a port id
     * @return the port's address, or empty when the configuration holds no such port
     */
    public Optional<String> address(String port) {
        return Optional.ofNullable(addresses.get(port));
    }

    /**
     * Judges a tracked connection at one port: by its egress rules when the port's address is the connection's
     * source, by its ingress rules when it is the destination. A connection that neither starts nor ends at the
     * port is none of its business.
     *
     * @param port a port id
     * @param connection a connection in its original direction
     * @return why the port's rules refuse the connection, or empty when they permit it (or it does not concern the
     *     port, or the configuration holds no such port)
     */
    public Optional<String> refusal(String port, Connection connection) {
        String own = addresses.get(port);
        if (own == null) {
            return Optional.empty();
        }
        IPAddress ip = parseAddress(own);
        Optional<IPAddress> source = IpAddresses.parse(connection.source());
        Optional<IPAddress> destination = IpAddresses.parse(connection.destination());
        if (source.isEmpty() || destination.isEmpty()) {
            return Optional.empty();
        }
        if (source.get().equals(ip)) {
            Optional<String> egress = refusal(port, Direction.EGRESS, connection, destination.get());
            if (egress.isPresent()) {
                return egress;
            }
        }
        if (destination.get().equals(ip)) {
            return refusal(port, Direction.INGRESS, connection, source.get());
        }
        return Optional.empty();
    }

    /**
     * The tracked connections that some of the given ports refuse (see {@link #refusal(String, Connection)}).
     *
     * @param <T> how a data plane describes a tracked connection
     * @param ports the ports to judge at
     * @param tracked what the connection tracker holds
     * @param connection reads the connection of a tracked item, or {@code null} for one this policy cannot judge
     *     (another protocol), which is kept
     * @return the refused items, in the order given
     */
    public <T> List<T> refused(Collection<String> ports, Collection<T> tracked,
            Function<? super T, Connection> connection) {
        List<T> refused = new ArrayList<>();
        for (T item : tracked) {
            Connection c = connection.apply(item);
            if (c != null && ports.stream().anyMatch(port -> refusal(port, c).isPresent())) {
                refused.add(item);
            }
        }
        return refused;
    }

    private Optional<String> refusal(String port, Direction direction, Connection connection, IPAddress remote) {
        for (Rule candidate : rules.getOrDefault(port, List.of())) {
            FilterRule rule = candidate.rule();
            if (rule.direction() == direction
                    && matchesTransport(rule, connection.protocol(), connection.destinationPort())
                    && (candidate.remote() != null ? contains(candidate.remote(), remote)
                            : sets.getOrDefault(rule.remoteSet(), Set.of()).contains(remote))) {
                return rule.action() == RuleAction.ALLOW ? Optional.empty()
                        : Optional.of("denied at " + lower(direction) + " of port " + port + " by rule "
                                + rule.cookie());
            }
        }
        return direction == Direction.INGRESS
                ? Optional.of("no ingress rule of port " + port + " allows it")
                : Optional.empty();
    }

    /**
     * Whether a rule's protocol and port range match a packet. A port range restricts a rule to TCP and UDP: ICMP
     * has no ports, so a ranged rule never matches it, even when its protocol is {@code ANY}.
     *
     * @param rule a compiled rule
     * @param protocol the packet's protocol: TCP, UDP or ICMP
     * @param transportPort the packet's destination port (ignored for ICMP)
     * @return whether the rule's protocol and port range match the packet; its remote end is not looked at
     */
    public static boolean matchesTransport(FilterRule rule, Protocol protocol, int transportPort) {
        boolean ranged = rule.portMin() != null;
        return protocolMatches(rule.protocol(), ranged, protocol)
                && (!ranged || transportPort >= rule.portMin()
                        && transportPort <= (rule.portMax() != null ? rule.portMax() : rule.portMin()));
    }

    /**
     * Whether a rule's protocol matches a packet's, given whether the rule has a port range (which restricts it to
     * TCP and UDP, even when its protocol is {@code ANY}).
     *
     * @param ruleProtocol the protocol a rule names
     * @param ranged whether the rule has a port range
     * @param packetProtocol a packet's protocol: TCP, UDP or ICMP
     * @return whether the rule's protocol matches the packet's
     */
    public static boolean protocolMatches(Protocol ruleProtocol, boolean ranged, Protocol packetProtocol) {
        if (ranged && packetProtocol == Protocol.ICMP) {
            return false;
        }
        return ruleProtocol == Protocol.ANY || ruleProtocol == packetProtocol;
    }

    private static boolean contains(IPAddress block, IPAddress address) {
        return block.getIPVersion() == address.getIPVersion() && block.contains(address);
    }

    private static IPAddress parseAddress(String text) {
        return IpAddresses.parse(text).map(IPAddress::withoutPrefixLength)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a single IP address"));
    }

    private static IPAddress prefix(String text) {
        try {
            IPAddress address = new IPAddressString(text).toAddress();
            if (!address.isPrefixed()) {
                throw new IllegalArgumentException("'" + text + "' has no prefix length");
            }
            return address.toPrefixBlock();
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix: " + e.getMessage(), e);
        }
    }

    private static String lower(Direction direction) {
        return direction == Direction.INGRESS ? "ingress" : "egress";
    }
}
