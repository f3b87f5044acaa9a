package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;

/**
 * Finds the rules of a security group that cannot do what they seem to.
 * <ul>
 * <li>{@value #SHADOWED}: a rule evaluated before it matches everything it matches, so it never decides. "Before"
 * means a lower priority value or, at equal priority, a deny before an allow (the tie-break) or, for equal
 * actions, the rule listed first (both would do the same, so the later one is the redundant one).</li>
 * <li>{@value #CONFLICT}: two rules of equal priority with overlapping matches and different actions; the deny
 * wins the tie. A deny that entirely covers an allow of the same priority is reported both ways: the allow is
 * shadowed, and the two conflict.</li>
 * <li>{@value #DEAD_BY_PEERING}: a rule whose remote CIDR lies wholly outside the address space of the networks of
 * the group's members and of the networks actively peered with them, when those networks have active peerings and
 * none of them allows forwarded traffic: such traffic could only arrive forwarded through a peer, which every
 * peering forbids. (Were one peering to allow forwarded traffic, the rule could still match through it.)</li>
 * </ul>
 * A remote group is compared only with the same remote group or with "any remote": two groups may or may not share
 * members, and membership changes without the rules changing.
 */
final class Linter {

    static final String SHADOWED = "SHADOWED";
    static final String CONFLICT = "CONFLICT";
    static final String DEAD_BY_PEERING = "DEAD_BY_PEERING";

    private static final Set<Protocol> ALL_PROTOCOLS = EnumSet.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP);
    private static final Set<Protocol> PORTED_PROTOCOLS = EnumSet.of(Protocol.TCP, Protocol.UDP);

    private Linter() {
    }

    /** What a rule matches, in a form that set relations are easy to state on. */
    private record Match(Rule rule, int position, Set<Protocol> protocols, int portMin, int portMax, boolean ranged,
            Prefix cidr, String group) {

        static Match of(Rule rule, int position) {
            boolean ranged = rule.portMin() != null;
            Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
            for (Protocol p : ALL_PROTOCOLS) {
                if (Matching.protocolMatches(rule.protocol(), ranged, p)) {
                    protocols.add(p);
                }
            }
            int max = !ranged ? 0 : rule.portMax() != null ? rule.portMax() : rule.portMin();
            return new Match(rule, position, protocols, ranged ? rule.portMin() : 0, max, ranged,
                    rule.remoteCidr() == null ? null : Prefix.parse(rule.remoteCidr()), rule.remoteGroup());
        }

        boolean anyRemote() {
            return cidr == null && group == null;
        }

        int rank() {
            return Matching.rank(rule.priority(), rule.action());
        }

        /** Whether every packet this matches, {@code other} matches too. */
        boolean within(Match other) {
            if (rule.direction() != other.rule.direction() || !other.protocols.containsAll(protocols)) {
                return false;
            }
            if (other.ranged && !(ranged && other.portMin <= portMin && portMax <= other.portMax)) {
                return false;
            }
            if (other.anyRemote()) {
                return true;
            }
            if (other.cidr != null) {
                return cidr != null && other.cidr.contains(cidr);
            }
            return other.group.equals(group);
        }

        /** Whether some packet matches both. */
        boolean overlaps(Match other) {
            if (rule.direction() != other.rule.direction()) {
                return false;
            }
            Set<Protocol> common = EnumSet.copyOf(ALL_PROTOCOLS);
            common.retainAll(protocols);
            common.retainAll(other.protocols);
            if (common.isEmpty()) {
                return false;
            }
            if (ranged && other.ranged && (portMax < other.portMin || other.portMax < portMin)) {
                return false;
            }
            if (anyRemote() || other.anyRemote()) {
                return true;
            }
            if (cidr != null && other.cidr != null) {
                return cidr.overlaps(other.cidr);
            }
            return group != null && group.equals(other.group);
        }

        /** The rule's id and what it does, such as {@code r1 (priority 100: allow ingress tcp 22 from any address)}. */
        String label() {
            String remote = cidr != null ? cidr.toString() : group != null ? "group " + group : "any address";
            return rule.id() + " (priority " + rule.priority() + ": "
                    + Matching.describe(rule.action(), rule.direction(), rule.protocol(), rule.portMin(),
                            rule.portMax(), remote) + ")";
        }
    }

    /**
     * @param group the group to check
     * @param members its member ports (by the default-group rule too)
     * @param networks every network
     * @param peerings every peering
     * @return the findings, shadowed rules first, then conflicts, then rules dead by peering
     */
    static List<LintFinding> lint(SecurityGroup group, Collection<Port> members, Collection<Network> networks,
            Collection<Peering> peerings) {
        List<Match> ordered = new ArrayList<>();
        for (int i = 0; i < group.rules().size(); i++) {
            ordered.add(Match.of(group.rules().get(i), i));
        }
        ordered.sort(Comparator.comparingInt(Match::rank).thenComparingInt(Match::position));
        List<LintFinding> findings = new ArrayList<>();
        shadowed(group, ordered, findings);
        conflicts(group, ordered, findings);
        deadByPeering(group, ordered, members, networks, peerings, findings);
        return List.copyOf(findings);
    }

    private static void shadowed(SecurityGroup group, List<Match> ordered, List<LintFinding> findings) {
        for (int i = 0; i < ordered.size(); i++) {
            Match later = ordered.get(i);
            for (int j = 0; j < i; j++) {
                Match earlier = ordered.get(j);
                if (later.within(earlier)) {
                    String why = earlier.rule.priority() < later.rule.priority() ? "is evaluated first"
                            : earlier.rule.action() != later.rule.action()
                                    ? "has the same priority and, being a deny, wins the tie"
                                    : "has the same priority and action and is listed first";
                    findings.add(new LintFinding(SHADOWED, group.id(), later.rule.id(), earlier.rule.id(),
                            "Rule " + later.label() + " never decides anything: rule " + earlier.label() + " "
                                    + why + " and matches all the traffic it matches."));
                    break;
                }
            }
        }
    }

    private static void conflicts(SecurityGroup group, List<Match> ordered, List<LintFinding> findings) {
        for (int i = 0; i < ordered.size(); i++) {
            Match deny = ordered.get(i);
            if (deny.rule.action() != RuleAction.DENY) {
                continue;
            }
            for (Match allow : ordered) {
                if (allow.rule.action() == RuleAction.ALLOW && allow.rule.priority() == deny.rule.priority()
                        && allow.overlaps(deny)) {
                    findings.add(new LintFinding(CONFLICT, group.id(), allow.rule.id(), deny.rule.id(),
                            "Rule " + allow.label() + " and rule " + deny.label()
                                    + " have the same priority and overlapping matches but opposite actions;"
                                    + " for the traffic both match, the deny wins the tie."));
                }
            }
        }
    }

    private static void deadByPeering(SecurityGroup group, List<Match> ordered, Collection<Port> members,
            Collection<Network> networks, Collection<Peering> peerings, List<LintFinding> findings) {
        Set<String> memberNetworks = new LinkedHashSet<>();
        members.forEach(p -> memberNetworks.add(p.network()));
        List<Peering> active = peerings.stream().filter(p -> p.state() == PeeringState.ACTIVE)
                .filter(p -> memberNetworks.contains(p.network()) || memberNetworks.contains(p.peerNetwork()))
                .toList();
        if (active.isEmpty() || active.stream().anyMatch(Peering::allowForwardedTraffic)) {
            return;
        }
        Set<String> reachable = new LinkedHashSet<>(memberNetworks);
        active.forEach(p -> {
            reachable.add(p.network());
            reachable.add(p.peerNetwork());
        });
        Map<String, Network> byId = new HashMap<>();
        networks.forEach(n -> byId.put(n.id(), n));
        List<Prefix> space = new ArrayList<>();
        for (String id : reachable) {
            Network network = byId.get(id);
            if (network != null) {
                network.cidrs().forEach(c -> space.add(Prefix.parse(c)));
            }
        }
        String names = String.join(", ", active.stream().map(p -> p.name() + " (" + p.id() + ")").toList());
        for (Match match : ordered) {
            if (match.cidr == null || space.stream().anyMatch(match.cidr::overlaps)) {
                continue;
            }
            findings.add(new LintFinding(DEAD_BY_PEERING, group.id(), match.rule.id(), null,
                    "Rule " + match.label() + " matches only addresses outside the"
                            + " address space of its members' networks and of the networks peered with them "
                            + space + "; such traffic could only be forwarded through a peering, and the active"
                            + " peering(s) " + names + " do not allow forwarded traffic."));
        }
    }
}
