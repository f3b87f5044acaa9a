package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;
import io.netloom.hostnet.NetnsBinding;

/**
 * The nftables rules of one network's router namespace, written whole and read back.
 *
 * <p>Two tables, both named {@value KernelNames#NFT_TABLE}, replaced together in one {@code nft -f} transaction, so
 * a packet sees either the old rules or the new ones, never a mixture, and connection tracking is untouched:
 * <ul>
 * <li>{@code bridge netloom}, chain {@code prerouting}: port security. A frame entering a bridge from a port's veth
 * must carry the port's MAC, and its IPv4 or ARP the port's address; anything else from a port (IPv6, other
 * EtherTypes) is dropped, and so is every frame from a veth no port owns (a port being removed is cut off at once).
 * This is what lets the inet table know a packet's port from its address.</li>
 * <li>{@code inet netloom}, chain {@code forwarding} (hook forward, policy drop): every packet between two ports
 * passes it once in the network where it starts and once in the network where it ends, whether bridged within a
 * subnet (the bridges have {@code nf_call_iptables} on) or routed. Established and related packets are accepted
 * first (stateful: the replies of delivered flows pass both filters), and a TCP packet new to conntrack without SYN
 * is dropped (a connection in mid-stream is never taken up, so one cut stays cut); a packet from a port's address on
 * that
 * port's bridge jumps to the port's egress chain (allow = return, deny = drop, no match = allow); a packet to a port
 * (its bridge, and the route's next hop is the port's address, which also covers packets a static route sends to
 * an appliance) jumps to the port's ingress chain (allow = accept, deny = drop, no match = drop); a packet leaving
 * over a peering link is accepted, since the peer network's router applies the destination's ingress chain. All
 * else is dropped: no port has that address. Chain {@code input} drops everything addressed to the router itself,
 * which is no port. Conntrack confirms a flow only when its first packet leaves the forward hook, so a dropped
 * packet never establishes a flow.</li>
 * </ul>
 * Port chains are ordered as {@code SimForwarder} orders rules: ascending priority, deny before allow at equal
 * priority, then by entry key; the first match decides.
 *
 * <p>Address sets are nftables named sets of the inet table. A rule referencing an address set is two nftables
 * rules, {@code ip saddr @as4...} and {@code ip6 saddr @as6...} ({@code daddr} for egress), over the set's two
 * nftables sets ({@link KernelNames#addressSet}), which a namespace holds for every set its rules reference, with the
 * addresses of all the set's members on the node, each once however many members hold it. Which ports are members
 * is recorded in the namespace of the member's own network, one element of {@value KernelNames#MEMBERS_SET} per
 * member with the member in its comment, so that membership reads back per port. A membership change is an element
 * change ({@link #elements}), in the same kind of single transaction; a rewrite of the tables writes the elements
 * with them.
 */
final class NftRuleset {

    /**
     * Comment marking a compiled filter rule: {@code netloom filter PORT COOKIE PRIORITY}, followed by {@code SET}
     * for a rule referencing an address set.
     */
    static final String FILTER_COMMENT = "netloom filter";
    /** Comment marking a rule that realises part of a port: {@code netloom port PORT ROLE}. */
    static final String PORT_COMMENT = "netloom port";

    private static final Comparator<FilterRule> EVALUATION_ORDER = Comparator
            .comparingInt(FilterRule::priority)
            .thenComparing(r -> r.action() == RuleAction.DENY ? 0 : 1)
            .thenComparing(r -> new FilterEntry(r).key());

    private NftRuleset() {
    }

    /**
     * One port of the network, as the rules need it.
     *
     * @param entry the port
     * @param bridge the bridge of its subnet
     */
    record PortRules(PortEntry entry, String bridge) {
    }

    /**
     * The address-set elements one router namespace holds.
     *
     * @param members the members whose port is in the namespace's network
     * @param addresses the addresses of address sets, by set id, with all their members on the node; must name at
     *     least every set the namespace's rules reference
     */
    record SetElements(List<AddressSetEntry> members, Map<String, Set<String>> addresses) {
    }

    /**
     * @param ports every port of the network
     * @param filters the compiled rules of those ports, by port id
     * @param links the peering link ends in this namespace
     * @param sets the members of this network and the addresses of the sets the rules reference
     * @return the {@code nft -f} script that replaces both tables
     * @throws IllegalArgumentException when a rule cannot be expressed (a port range on an ICMP rule) or a member
     *     cannot be recorded
     */
    static String script(List<PortRules> ports, Map<String, List<FilterRule>> filters, List<String> links,
            SetElements sets) {
        return script(ports, filters, links, List.of(), sets);
    }

    /**
     * A peering link whose peering does not allow forwarded traffic: what arrives over it must come from the peer
     * network's own address space.
     *
     * @param link the link end in this namespace
     * @param peerPrefixes the peer network's address space as the peering routes it
     */
    record ForwardGuard(String link, List<String> peerPrefixes) {
    }

    /**
     * @param guards the links that refuse forwarded traffic
     * @see #script(List, Map, List, SetElements)
     */
    static String script(List<PortRules> ports, Map<String, List<FilterRule>> filters, List<String> links,
            List<ForwardGuard> guards, SetElements sets) {
        String t = KernelNames.NFT_TABLE;
        StringBuilder s = new StringBuilder();
        // Declaring then deleting makes the deletion valid whether or not the table exists; the whole file is one
        // transaction.
        s.append("table inet ").append(t).append('\n').append("delete table inet ").append(t).append('\n');
        s.append("table bridge ").append(t).append('\n').append("delete table bridge ").append(t).append('\n');

        s.append("table inet ").append(t).append(" {\n");
        s.append("  set ").append(KernelNames.MEMBERS_SET).append(" {\n    type ifname;\n");
        elementList(s, "    elements = ", sets.members().stream().map(NftRuleset::memberElement).toList());
        s.append("  }\n");
        for (Map.Entry<String, Set<String>> set : setsByName(referencedSets(filters), sets.addresses()).entrySet()) {
            s.append("  set ").append(set.getKey()).append(" {\n    type ").append(setType(set.getKey()))
                    .append(";\n");
            elementList(s, "    elements = ", set.getValue());
            s.append("  }\n");
        }
        s.append("  chain input {\n    type filter hook input priority 0; policy drop;\n  }\n");
        s.append("  chain forwarding {\n    type filter hook forward priority 0; policy drop;\n");
        // Before the established accept: a flag turned off stops forwarded flows already under way too.
        for (ForwardGuard g : guards) {
            s.append("    iifname \"").append(g.link()).append("\" ip saddr != { ")
                    .append(String.join(", ", g.peerPrefixes())).append(" } drop comment \"netloom forwarded ")
                    .append(g.link()).append("\"\n");
        }
        // Over a peering link to a port on another node (marked by the overlay's table, see OverlayPlane): a transit
        // the other direction of the flow may not take (the reply is routed by the destination's node), so it holds
        // no state here; the destination's node applies its ingress rules and the source's node its egress rules.
        s.append("    iifname \"").append(KernelNames.LINK).append("*\" meta mark ").append(OverlayPlane.MARK)
                .append(" accept comment \"netloom overlay transit\"\n");
        s.append("    ct state established,related accept\n    ct state invalid drop\n");
        // A TCP packet new to conntrack without SYN is a connection in mid-stream that the table does not hold (one
        // cut because the rules refuse it): it is dropped, not taken up as new, or a packet from the refused end,
        // admitted by the other end's rules, would revive the connection.
        s.append("    ct state new tcp flags & syn == 0 drop\n");
        for (PortRules p : ports) {
            String id = p.entry().port();
            s.append("    iifname \"").append(p.bridge()).append("\" ip saddr ").append(p.entry().ip())
                    .append(" jump ").append(KernelNames.egressChain(id)).append(comment(PORT_COMMENT, id, "egress"));
            List<AddressPair> pairs = p.entry().allowedAddressPairs();
            for (int i = 0; i < pairs.size(); i++) {
                s.append("    iifname \"").append(p.bridge()).append("\" ").append(family(pairs.get(i)))
                        .append(" saddr ").append(pairs.get(i).ipAddress()).append(" jump ")
                        .append(KernelNames.egressChain(id)).append(comment(PORT_COMMENT, id, "egresspair " + i));
            }
            s.append("    oifname \"").append(p.bridge()).append("\" rt ip nexthop ").append(p.entry().ip())
                    .append(" jump ").append(KernelNames.ingressChain(id))
                    .append(comment(PORT_COMMENT, id, "ingress"));
        }
        for (String link : links) {
            s.append("    oifname \"").append(link).append("\" accept comment \"netloom link\"\n");
        }
        // To a port on another node (marked by the overlay's table, see OverlayPlane): the source's egress rules
        // have passed it, and the destination's node applies its ingress rules.
        s.append("    meta mark ").append(OverlayPlane.MARK).append(" accept comment \"netloom overlay\"\n");
        s.append("  }\n");
        for (PortRules p : ports) {
            String id = p.entry().port();
            List<FilterRule> rules = new ArrayList<>(filters.getOrDefault(id, List.of()));
            rules.sort(EVALUATION_ORDER);
            for (Direction direction : Direction.values()) {
                s.append("  chain ").append(direction == Direction.INGRESS ? KernelNames.ingressChain(id)
                        : KernelNames.egressChain(id)).append(" {\n");
                for (FilterRule r : rules) {
                    if (r.direction() == direction) {
                        render(r).forEach(line -> s.append("    ").append(line).append('\n'));
                    }
                }
                if (direction == Direction.INGRESS) {
                    s.append("    drop comment \"netloom default deny\"\n");
                }
                s.append("  }\n");
            }
        }
        s.append("}\n");

        s.append("table bridge ").append(t).append(" {\n");
        s.append("  chain prerouting {\n    type filter hook prerouting priority 0; policy accept;\n");
        for (PortRules p : ports) {
            String id = p.entry().port();
            String dev = NetnsBinding.hostDevice(id);
            String in = "    iifname \"" + dev + "\" ";
            // An allowed address pair: frames from its MAC with a source in its prefix pass (and, for IPv4, its
            // ARP), before the checks of the port's own MAC and address.
            List<AddressPair> pairs = p.entry().allowedAddressPairs();
            for (int i = 0; i < pairs.size(); i++) {
                AddressPair pair = pairs.get(i);
                String mac = pair.macOr(p.entry().mac());
                s.append(in).append("ether saddr ").append(mac).append(' ').append(family(pair)).append(" saddr ")
                        .append(pair.ipAddress()).append(" accept").append(comment(PORT_COMMENT, id, "pair " + i
                        + " " + pair.ipAddress() + " " + pair.macIfAny().orElse("-")));
                if (!isIpv6(pair)) {
                    s.append(in).append("ether saddr ").append(mac).append(" arp saddr ip ")
                            .append(pair.ipAddress()).append(" accept").append(comment(PORT_COMMENT, id,
                            "pairarp " + i));
                }
            }
            s.append(in).append("ether saddr != ").append(p.entry().mac()).append(" drop")
                    .append(comment(PORT_COMMENT, id, "mac"));
            s.append(in).append("ip saddr != ").append(p.entry().ip()).append(" drop")
                    .append(comment(PORT_COMMENT, id, "ip"));
            s.append(in).append("arp saddr ip != ").append(p.entry().ip()).append(" drop")
                    .append(comment(PORT_COMMENT, id, "arp"));
            s.append(in).append("ether type != { ip, arp } drop").append(comment(PORT_COMMENT, id, "type"));
            s.append(in).append("accept").append(comment(PORT_COMMENT, id, "accept"));
        }
        s.append("    iifname \"").append(NetnsBinding.HOST_PREFIX).append("*\" drop comment \"netloom no port\"\n");
        s.append("  }\n}\n");
        return s.toString();
    }

    private static boolean isIpv6(AddressPair pair) {
        return pair.ipAddress().indexOf(':') >= 0;
    }

    private static String family(AddressPair pair) {
        return isIpv6(pair) ? "ip6" : "ip";
    }

    /**
     * The allowed address pairs of a port as its bridge rules record them (index, prefix and MAC in each comment),
     * in order; a pair whose rules are not all there, or do not name its prefix and MAC, is left out, so the port
     * reads back as changed and the reconciler puts it right.
     *
     * @param rules {@link #commentedRules} of both tables
     * @param port the port as its devices read back, without pairs
     * @param bridge its bridge
     * @return the pairs found
     */
    static List<AddressPair> pairsPresent(Map<String, String> rules, PortEntry port, String bridge) {
        String head = PORT_COMMENT + " " + port.port() + " pair ";
        Map<Integer, AddressPair> found = new TreeMap<>();
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            if (!rule.getKey().startsWith(head)) {
                continue;
            }
            String[] words = rule.getKey().substring(head.length()).split(" ");
            if (words.length != 3 || !words[0].matches("[0-9]{1,2}")) {
                continue;
            }
            AddressPair pair = new AddressPair(words[1], words[2].equals("-") ? null : words[2]);
            int i = Integer.parseInt(words[0]);
            String address = pair.ipAddress().substring(0, pair.ipAddress().indexOf('/') < 0
                    ? pair.ipAddress().length() : pair.ipAddress().indexOf('/'));
            List<String> tokens = List.of(NetnsBinding.hostDevice(port.port()), pair.macOr(port.mac()), address);
            String arp = rules.get(PORT_COMMENT + " " + port.port() + " pairarp " + i);
            String egress = rules.get(PORT_COMMENT + " " + port.port() + " egresspair " + i);
            if (tokens.stream().allMatch(tok -> rule.getValue().contains("\"" + tok + "\""))
                    && (isIpv6(pair) || arp != null && arp.contains("\"" + address + "\""))
                    && egress != null && egress.contains("\"" + bridge + "\"")
                    && egress.contains("\"" + address + "\"")) {
                found.put(i, pair);
            }
        }
        List<AddressPair> pairs = new ArrayList<>();
        for (int i = 0; found.containsKey(i); i++) {
            pairs.add(found.get(i));
        }
        return pairs;
    }

    /** The port rule roles {@link #script} writes for every port, and which table holds each. */
    static final List<String> INET_PORT_ROLES = List.of("egress", "ingress");
    /** See {@link #INET_PORT_ROLES}. */
    static final List<String> BRIDGE_PORT_ROLES = List.of("mac", "ip", "arp", "type", "accept");

    /**
     * @param rule a compiled rule
     * @return its nftables rules, with their comment: one for a prefix, one per address family for an address set
     * @throws IllegalArgumentException when it cannot be expressed
     */
    static List<String> render(FilterRule rule) {
        if (!rule.referencesSet()) {
            return List.of(render(rule, rule.remoteCidr().indexOf(':') >= 0, rule.remoteCidr(), ""));
        }
        String set = word(rule.remoteSet());
        return List.of(render(rule, false, "@" + KernelNames.addressSet(set, false), " " + set),
                render(rule, true, "@" + KernelNames.addressSet(set, true), " " + set));
    }

    private static String render(FilterRule rule, boolean v6, String remote, String commentTail) {
        StringBuilder s = new StringBuilder(v6 ? "ip6 " : "ip ")
                .append(rule.direction() == Direction.INGRESS ? "saddr " : "daddr ").append(remote);
        String ports = rule.portMin() == null ? null
                : rule.portMax() == null || rule.portMax().equals(rule.portMin()) ? rule.portMin().toString()
                        : rule.portMin() + "-" + rule.portMax();
        switch (rule.protocol()) {
            case TCP:
            case UDP:
                String name = rule.protocol() == Protocol.TCP ? "tcp" : "udp";
                s.append(ports == null ? " meta l4proto " + name : " " + name + " dport " + ports);
                break;
            case ICMP:
                if (ports != null) {
                    throw new IllegalArgumentException("Rule " + rule.cookie() + " puts a port range on icmp, which "
                            + "carries no ports");
                }
                s.append(v6 ? " meta l4proto ipv6-icmp" : " meta l4proto icmp");
                break;
            default:
                if (ports != null) {
                    s.append(" meta l4proto { tcp, udp } th dport ").append(ports);
                }
                break;
        }
        String verdict = rule.action() == RuleAction.DENY ? "drop"
                : rule.direction() == Direction.INGRESS ? "accept" : "return";
        return s.append(' ').append(verdict).append(" comment \"").append(FILTER_COMMENT).append(' ')
                .append(rule.portId()).append(' ').append(rule.cookie()).append(' ').append(rule.priority())
                .append(commentTail).append('"').toString();
    }

    /** The ids of the address sets the rules reference, in order. */
    private static Set<String> referencedSets(Map<String, List<FilterRule>> filters) {
        Set<String> ids = new TreeSet<>();
        filters.values().forEach(rules -> rules.forEach(r -> {
            if (r.referencesSet()) {
                ids.add(r.remoteSet());
            }
        }));
        return ids;
    }

    /** The nftables sets of some address sets, by name, each with its canonical addresses of its family. */
    private static Map<String, Set<String>> setsByName(Set<String> ids, Map<String, Set<String>> addresses) {
        Map<String, Set<String>> byName = new TreeMap<>();
        for (String id : ids) {
            Set<String> v4 = new TreeSet<>();
            Set<String> v6 = new TreeSet<>();
            for (String address : addresses.getOrDefault(id, Set.of())) {
                String canonical = canonicalAddress(address);
                (canonical.indexOf(':') >= 0 ? v6 : v4).add(canonical);
            }
            byName.put(KernelNames.addressSet(id, false), v4);
            byName.put(KernelNames.addressSet(id, true), v6);
        }
        return byName;
    }

    /** The element type of an address set's nftables set. */
    private static String setType(String name) {
        return name.startsWith(KernelNames.ADDRESS_SET_V6) ? "ipv6_addr" : "ipv4_addr";
    }

    /**
     * @param address an IPv4 or IPv6 address
     * @return it as nftables prints it, so that written and listed elements compare equal
     * @throws IllegalArgumentException when it is not one address
     */
    static String canonicalAddress(String address) {
        IPAddress parsed = new IPAddressString(address).getAddress();
        if (parsed == null || parsed.isPrefixed() && parsed.getNetworkPrefixLength() != parsed.getBitCount()) {
            throw new IllegalArgumentException("'" + address + "' is not one IP address");
        }
        return parsed.withoutPrefixLength().toCanonicalString();
    }

    /** {@code { a, b }} after a lead, on its own line; nothing when there are no elements (nft refuses {@code {}}). */
    private static void elementList(StringBuilder s, String lead, Collection<String> elements) {
        if (!elements.isEmpty()) {
            s.append(lead).append("{ ").append(String.join(", ", elements)).append(" }\n");
        }
    }

    /** The element of {@value KernelNames#MEMBERS_SET} recording a member, with the member in its comment. */
    private static String memberElement(AddressSetEntry member) {
        return "\"" + KernelNames.member(member.set(), member.port()) + "\" comment \"" + memberComment(member)
                + "\"";
    }

    /**
     * @param member a member of an address set
     * @return the comment recording it: {@code SET PORT ADDRESS}
     * @throws IllegalArgumentException when an id cannot be written in a comment or the address is not one
     */
    static String memberComment(AddressSetEntry member) {
        canonicalAddress(member.address());
        return word(member.set()) + " " + word(member.port()) + " " + word(member.address());
    }

    /** An id as one word of a comment: printable, no blank, no quote. */
    private static String word(String id) {
        if (id.isEmpty() || id.chars().anyMatch(c -> c <= ' ' || c > '~' || c == '"' || c == '\\')) {
            throw new IllegalArgumentException("'" + id + "' cannot be recorded in an nftables comment");
        }
        return id;
    }

    /**
     * Address-set elements to add and remove in one router namespace, in one transaction ({@link #elements}).
     *
     * @param memberRemoves members whose record goes
     * @param memberAdds members whose record comes (or is rewritten)
     * @param addressRemoves addresses no member holds any more, by nftables set name
     * @param addressAdds addresses a member holds, by nftables set name
     */
    record ElementChange(List<AddressSetEntry> memberRemoves, List<AddressSetEntry> memberAdds,
            Map<String, Set<String>> addressRemoves, Map<String, Set<String>> addressAdds) {

        List<AddressSetEntry> applyTo(List<AddressSetEntry> members) {
            Map<String, AddressSetEntry> byKey = new LinkedHashMap<>();
            members.forEach(m -> byKey.put(m.key(), m));
            memberRemoves.forEach(m -> byKey.remove(m.key()));
            memberAdds.forEach(m -> byKey.put(m.key(), m));
            return List.copyOf(byKey.values());
        }

        Map<String, Set<String>> applyTo(Map<String, Set<String>> sets) {
            Map<String, Set<String>> changed = new HashMap<>(sets);
            addressRemoves.forEach((name, addresses) -> {
                Set<String> left = new HashSet<>(changed.getOrDefault(name, Set.of()));
                addresses.forEach(a -> left.remove(canonicalAddress(a)));
                changed.put(name, left);
            });
            addressAdds.forEach((name, addresses) -> {
                Set<String> more = new HashSet<>(changed.getOrDefault(name, Set.of()));
                addresses.forEach(a -> more.add(canonicalAddress(a)));
                changed.put(name, more);
            });
            return changed;
        }
    }

    /**
     * The {@code nft -f} script that changes address-set elements only, one transaction, leaving every rule as it is.
     * Each removal is preceded by an addition of the same element, which makes it valid whether or not the element
     * is there; a member's record is removed before it is added, so that its comment is the new one.
     *
     * @param change what to add and remove
     * @return the script
     * @throws IllegalArgumentException when a member cannot be recorded
     */
    static String elements(ElementChange change) {
        String t = "inet " + KernelNames.NFT_TABLE + " ";
        String members = t + KernelNames.MEMBERS_SET + " ";
        StringBuilder s = new StringBuilder("add table ").append(t.trim()).append('\n');
        s.append("add set ").append(members).append("{ type ifname; }\n");
        Set<String> records = new TreeSet<>();
        change.memberRemoves().forEach(m -> records.add("\"" + KernelNames.member(m.set(), m.port()) + "\""));
        change.memberAdds().forEach(m -> records.add("\"" + KernelNames.member(m.set(), m.port()) + "\""));
        elementList(s, "add element " + members, records);
        elementList(s, "delete element " + members, records);
        elementList(s, "add element " + members, change.memberAdds().stream().map(NftRuleset::memberElement)
                .toList());
        Set<String> names = new TreeSet<>(change.addressRemoves().keySet());
        names.addAll(change.addressAdds().keySet());
        for (String name : names) {
            s.append("add set ").append(t).append(name).append(" { type ").append(setType(name)).append("; }\n");
            Set<String> gone = change.addressRemoves().getOrDefault(name, Set.of());
            elementList(s, "add element " + t + name + " ", gone);
            elementList(s, "delete element " + t + name + " ", gone);
            elementList(s, "add element " + t + name + " ", change.addressAdds().getOrDefault(name, Set.of()));
        }
        return s.toString();
    }

    private static String comment(String kind, String id, String role) {
        return " comment \"" + kind + " " + id + " " + role + "\"\n";
    }

    /**
     * What Netloom's two tables in one router namespace realise, as the reader needs to know it: either as
     * {@code nft -j} lists them ({@link #listed}), or as {@link #script} has just written them ({@link #written}).
     * The two agree because every rule reads back as it was written, which {@code NftRulesetTest} checks on the
     * kernel for every shape of rule; a written table is trusted only for seconds (see {@link KernelReader}).
     */
    sealed interface Tables permits Listed, Written {

        /**
         * @return the compiled filter rules the tables realise
         */
        List<FilterEntry> filters();

        /**
         * @param port a port
         * @param bridge its bridge
         * @return whether every rule realising the port is there and names the port's current address, MAC,
         *     devices and chains
         */
        boolean realises(PortEntry port, String bridge);

        /**
         * @param port a port as its devices read back, without pairs
         * @param bridge its bridge
         * @return its allowed address pairs as the rules realise them
         */
        List<AddressPair> pairs(PortEntry port, String bridge);

        /**
         * @return the address-set members recorded in {@value KernelNames#MEMBERS_SET}, each recorded as written
         */
        List<AddressSetEntry> members();

        /**
         * @return the addresses of every address set's nftables set, canonical, by nftables set name
         */
        Map<String, Set<String>> sets();

        /**
         * @param change elements just changed by {@link #elements}
         * @return these tables with the change made
         */
        Tables with(ElementChange change);
    }

    /**
     * Tables as listed.
     *
     * @param filters the filter rules read back
     * @param commented {@link #commentedRules} of both tables
     * @param members see {@link Tables#members}
     * @param sets see {@link Tables#sets}
     */
    record Listed(List<FilterEntry> filters, Map<String, String> commented, List<AddressSetEntry> members,
            Map<String, Set<String>> sets) implements Tables {

        @Override
        public boolean realises(PortEntry port, String bridge) {
            return portRulesPresent(commented, port, bridge);
        }

        @Override
        public List<AddressPair> pairs(PortEntry port, String bridge) {
            return pairsPresent(commented, port, bridge);
        }

        @Override
        public Tables with(ElementChange change) {
            return new Listed(filters, commented, change.applyTo(members), change.applyTo(sets));
        }
    }

    /**
     * Tables as just written.
     *
     * @param filters the filter rules written
     * @param ports the ports written, by id
     * @param members see {@link Tables#members}
     * @param sets see {@link Tables#sets}
     */
    record Written(List<FilterEntry> filters, Map<String, PortRules> ports, List<AddressSetEntry> members,
            Map<String, Set<String>> sets) implements Tables {

        @Override
        public boolean realises(PortEntry port, String bridge) {
            PortRules written = ports.get(port.port());
            return written != null && written.bridge().equals(bridge) && written.entry().ip().equals(port.ip())
                    && written.entry().mac().equals(port.mac());
        }

        @Override
        public List<AddressPair> pairs(PortEntry port, String bridge) {
            PortRules written = ports.get(port.port());
            return written == null ? List.of() : written.entry().allowedAddressPairs();
        }

        @Override
        public Tables with(ElementChange change) {
            return new Written(filters, ports, change.applyTo(members), change.applyTo(sets));
        }
    }

    /**
     * @param inet the elements of {@code table inet netloom} as {@code nft -j} lists them
     * @param bridge the elements of {@code table bridge netloom}
     * @return what they realise
     */
    static Tables listed(JsonArray inet, JsonArray bridge) {
        Map<String, String> commented = new HashMap<>(commentedRules(inet));
        commented.putAll(commentedRules(bridge));
        List<AddressSetEntry> members = new ArrayList<>();
        Map<String, Set<String>> sets = new HashMap<>();
        for (JsonElement e : inet) {
            if (!e.isJsonObject() || !e.getAsJsonObject().has("set")) {
                continue;
            }
            JsonObject set = e.getAsJsonObject().getAsJsonObject("set");
            String name = set.get("name").getAsString();
            JsonArray elements = set.has("elem") ? set.getAsJsonArray("elem") : new JsonArray();
            if (name.equals(KernelNames.MEMBERS_SET)) {
                elements.forEach(element -> member(element).ifPresent(members::add));
            } else if (name.startsWith(KernelNames.ADDRESS_SET_V4) || name.startsWith(KernelNames.ADDRESS_SET_V6)) {
                Set<String> addresses = new HashSet<>();
                for (JsonElement element : elements) {
                    if (element.isJsonPrimitive()) {
                        try {
                            addresses.add(canonicalAddress(element.getAsString()));
                        } catch (IllegalArgumentException notAnAddress) {
                            // Not Netloom's: left out, so the address counts as missing.
                            continue;
                        }
                    }
                }
                sets.put(name, addresses);
            }
        }
        return new Listed(filters(inet), commented, members, sets);
    }

    /** A member's record read back, when its comment names a member and its value is that member's record. */
    private static Optional<AddressSetEntry> member(JsonElement element) {
        if (!element.isJsonObject() || !element.getAsJsonObject().has("elem")) {
            return Optional.empty();
        }
        JsonObject elem = element.getAsJsonObject().getAsJsonObject("elem");
        if (!elem.has("val") || !elem.has("comment")) {
            return Optional.empty();
        }
        String[] words = elem.get("comment").getAsString().split(" ");
        if (words.length != 3 || !elem.get("val").getAsString().equals(KernelNames.member(words[0], words[1]))) {
            return Optional.empty();
        }
        return Optional.of(new AddressSetEntry(words[0], words[1], words[2]));
    }

    /**
     * @param ports what {@link #script} was given
     * @param filters what {@link #script} was given
     * @param elements what {@link #script} was given
     * @return what the tables it wrote realise
     */
    static Tables written(List<PortRules> ports, Map<String, List<FilterRule>> filters, SetElements elements) {
        List<FilterEntry> entries = new ArrayList<>();
        Map<String, PortRules> byId = new HashMap<>();
        for (PortRules p : ports) {
            byId.put(p.entry().port(), p);
            filters.getOrDefault(p.entry().port(), List.of()).forEach(r -> entries.add(new FilterEntry(r)));
        }
        return new Written(entries, byId, List.copyOf(elements.members()),
                setsByName(referencedSets(filters), elements.addresses()));
    }

    /**
     * Reads the compiled rules back from {@code nft -j list table inet netloom}: only rules in the right chain,
     * with Netloom's comment and exactly the shape {@link #render} writes, and a rule referencing an address set
     * only when both its rules (IPv4 and IPv6) are there; anything else is not reported, so the reconciler puts it
     * right.
     *
     * @param nft the output of {@code nft -j list table inet netloom}
     * @return the filter entries found
     */
    static List<FilterEntry> filters(JsonArray nft) {
        List<FilterEntry> found = new ArrayList<>();
        Map<FilterRule, Set<Boolean>> setRules = new LinkedHashMap<>();
        for (JsonObject rule : rules(nft)) {
            String comment = rule.has("comment") ? rule.get("comment").getAsString() : "";
            if (!comment.startsWith(FILTER_COMMENT + " ")) {
                continue;
            }
            String[] words = comment.substring(FILTER_COMMENT.length() + 1).split(" ");
            if (words.length != 3 && words.length != 4 || !words[2].matches("-?[0-9]{1,9}")) {
                continue;
            }
            String portId = words[0];
            String chain = rule.get("chain").getAsString();
            Direction direction = chain.equals(KernelNames.ingressChain(portId)) ? Direction.INGRESS
                    : chain.equals(KernelNames.egressChain(portId)) ? Direction.EGRESS : null;
            if (direction == null) {
                continue;
            }
            Optional<Parsed> parsed = parseRule(portId, direction, words[1], Integer.parseInt(words[2]),
                    words.length == 4 ? words[3] : null, rule.getAsJsonArray("expr"));
            if (parsed.isEmpty()) {
                continue;
            }
            if (parsed.get().rule().referencesSet()) {
                setRules.computeIfAbsent(parsed.get().rule(), r -> new HashSet<>()).add(parsed.get().ipv6());
            } else {
                found.add(new FilterEntry(parsed.get().rule()));
            }
        }
        setRules.forEach((rule, families) -> {
            if (families.size() == 2) {
                found.add(new FilterEntry(rule));
            }
        });
        return found;
    }

    /**
     * @param nft the output of {@code nft -j list table ...}
     * @return the comment of every rule that has one, with the rule's JSON text, for checking port rules
     */
    static Map<String, String> commentedRules(JsonArray nft) {
        Map<String, String> byComment = new HashMap<>();
        for (JsonObject rule : rules(nft)) {
            if (rule.has("comment")) {
                byComment.put(rule.get("comment").getAsString(), rule.getAsJsonArray("expr").toString());
            }
        }
        return byComment;
    }

    /**
     * @param rules {@link #commentedRules} of both tables
     * @param port a port
     * @param bridge its bridge
     * @return whether every rule realising the port is there and names the port's current address, MAC, devices
     *     and chains
     */
    static boolean portRulesPresent(Map<String, String> rules, PortEntry port, String bridge) {
        String id = port.port();
        String dev = NetnsBinding.hostDevice(id);
        Map<String, List<String>> expected = Map.of(
                "egress", List.of(bridge, port.ip(), KernelNames.egressChain(id)),
                "ingress", List.of(bridge, port.ip(), KernelNames.ingressChain(id)),
                "mac", List.of(dev, port.mac()),
                "ip", List.of(dev, port.ip()),
                "arp", List.of(dev, port.ip()),
                "type", List.of(dev),
                "accept", List.of(dev));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            String json = rules.get(PORT_COMMENT + " " + id + " " + e.getKey());
            if (json == null || !e.getValue().stream().allMatch(token -> json.contains("\"" + token + "\""))) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonObject> rules(JsonArray nft) {
        List<JsonObject> rules = new ArrayList<>();
        for (JsonElement e : nft) {
            if (e.isJsonObject() && e.getAsJsonObject().has("rule")) {
                rules.add(e.getAsJsonObject().getAsJsonObject("rule"));
            }
        }
        return rules;
    }

    /** One nftables rule read back: the compiled rule, and the address family of its remote match. */
    private record Parsed(FilterRule rule, boolean ipv6) {
    }

    /** Reads one rule's expressions back into the compiled rule they express, or nothing if they are not ours. */
    static Optional<FilterRule> parse(String portId, Direction direction, String cookie, int priority, String set,
            JsonArray expr) {
        return parseRule(portId, direction, cookie, priority, set, expr).map(Parsed::rule);
    }

    private static Optional<Parsed> parseRule(String portId, Direction direction, String cookie, int priority,
            String set, JsonArray expr) {
        Protocol protocol = Protocol.ANY;
        boolean v6 = false;
        String icmp = null;
        boolean tcpOrUdp = false;
        Integer min = null;
        Integer max = null;
        String remote = null;
        String verdict = null;
        String remoteField = direction == Direction.INGRESS ? "saddr" : "daddr";
        for (JsonElement element : expr) {
            JsonObject e = element.getAsJsonObject();
            Optional<String> v = List.of("accept", "drop", "return").stream().filter(e::has).findFirst();
            if (v.isPresent()) {
                verdict = v.get();
                continue;
            }
            if (e.has("counter")) {
                continue;
            }
            if (!e.has("match") || verdict != null) {
                return Optional.empty();
            }
            JsonObject m = e.getAsJsonObject("match");
            if (!"==".equals(m.get("op").getAsString())) {
                return Optional.empty();
            }
            JsonObject left = m.getAsJsonObject("left");
            JsonElement right = m.get("right");
            if (left.has("payload")) {
                JsonObject payload = left.getAsJsonObject("payload");
                String proto = payload.get("protocol").getAsString();
                String field = payload.get("field").getAsString();
                if ((proto.equals("ip") || proto.equals("ip6")) && field.equals(remoteField)) {
                    v6 = proto.equals("ip6");
                    String setName = set == null ? null : "@" + KernelNames.addressSet(set, v6);
                    remote = set == null ? cidr(right, v6)
                            : right.isJsonPrimitive() && right.getAsString().equals(setName) ? set : null;
                    if (remote == null) {
                        return Optional.empty();
                    }
                } else if ((proto.equals("tcp") || proto.equals("udp") || proto.equals("th"))
                        && field.equals("dport")) {
                    if (!proto.equals("th")) {
                        protocol = proto.equals("tcp") ? Protocol.TCP : Protocol.UDP;
                    }
                    int[] range = ports(right);
                    if (range == null) {
                        return Optional.empty();
                    }
                    min = range[0];
                    max = range[1];
                } else {
                    return Optional.empty();
                }
            } else if (left.has("meta") && "l4proto".equals(left.getAsJsonObject("meta").get("key").getAsString())) {
                if (right.isJsonPrimitive()) {
                    switch (right.getAsString()) {
                        case "tcp":
                            protocol = Protocol.TCP;
                            break;
                        case "udp":
                            protocol = Protocol.UDP;
                            break;
                        case "icmp":
                        case "ipv6-icmp":
                            protocol = Protocol.ICMP;
                            icmp = right.getAsString();
                            break;
                        default:
                            return Optional.empty();
                    }
                } else if (right.isJsonObject() && right.getAsJsonObject().has("set")
                        && right.getAsJsonObject().getAsJsonArray("set").toString().equals("[\"tcp\",\"udp\"]")) {
                    tcpOrUdp = true;
                } else {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
        }
        if (remote == null || verdict == null || tcpOrUdp && (min == null || protocol != Protocol.ANY)) {
            return Optional.empty();
        }
        RuleAction action;
        if (verdict.equals("drop")) {
            action = RuleAction.DENY;
        } else if (verdict.equals(direction == Direction.INGRESS ? "accept" : "return")) {
            action = RuleAction.ALLOW;
        } else {
            return Optional.empty();
        }
        if (protocol == Protocol.ANY && min != null && !tcpOrUdp) {
            return Optional.empty();
        }
        // The two rules of a set differ by family only, so each must carry its own family's ICMP.
        if (set != null && icmp != null && !icmp.equals(v6 ? "ipv6-icmp" : "icmp")) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(set == null
                ? new FilterRule(cookie, portId, direction, protocol, min, max, remote, action, priority)
                : new FilterRule(cookie, portId, direction, protocol, min, max, null, action, priority, set), v6));
    }

    private static String cidr(JsonElement right, boolean v6) {
        String address;
        int length;
        if (right.isJsonPrimitive()) {
            address = right.getAsString();
            length = v6 ? 128 : 32;
        } else if (right.isJsonObject() && right.getAsJsonObject().has("prefix")) {
            JsonObject prefix = right.getAsJsonObject().getAsJsonObject("prefix");
            address = prefix.get("addr").getAsString();
            length = prefix.get("len").getAsInt();
        } else {
            return null;
        }
        return canonicalCidr(address, length);
    }

    /**
     * @param address an address
     * @param length a prefix length
     * @return the prefix as Netloom writes it ({@code 10.200.1.0/24}), or {@code null} when it is not one
     */
    static String canonicalCidr(String address, int length) {
        IPAddress parsed = new IPAddressString(address + "/" + length).getAddress();
        if (parsed == null) {
            return null;
        }
        IPAddress block = parsed.toPrefixBlock();
        return block.getLower().withoutPrefixLength().toCanonicalString() + "/" + length;
    }

    private static int[] ports(JsonElement right) {
        if (right.isJsonPrimitive() && right.getAsJsonPrimitive().isNumber()) {
            int p = right.getAsInt();
            return new int[] {p, p};
        }
        if (right.isJsonObject() && right.getAsJsonObject().has("range")) {
            JsonArray range = right.getAsJsonObject().getAsJsonArray("range");
            return new int[] {range.get(0).getAsInt(), range.get(1).getAsInt()};
        }
        return null;
    }
}
