package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.routing.Route;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InterfaceAddress;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.Link;
import io.netloom.hostnet.NetnsBinding;

/**
 * Makes the kernel hold a node configuration, changing only what differs: every step first reads the object it
 * realises and touches it only when it is missing or wrong, so applying a configuration twice changes nothing, and
 * a repair never recreates what is right (no flap of ports or links).
 *
 * <p>Per network, a router namespace ({@code nlr...}) holds everything of that network: one bridge per subnet with
 * the gateway address, the host ends of its ports, its route table ({@value KernelNames#TABLE}), its ends of
 * peering links, and its nftables tables ({@link NftRuleset}). Keeping bridges inside the router namespace isolates
 * tenants from the host (no address, bridge or netfilter setting of the host touches them, and networks may reuse
 * addresses), makes one netfilter scope per network, and lets a network be removed with its namespace.
 *
 * <p>Routing in a router namespace: rule {@value KernelNames#TABLE_RULE_PRIORITY} sends every lookup to table
 * {@value KernelNames#TABLE}, which ends in {@code unreachable default}. A {@code local} route is a {@code throw}
 * route: the lookup falls through to the main table, which holds only the subnets' connected routes, so an address
 * of the network is delivered only if a subnet holds it. A peering route points over the peering link at
 * {@value KernelNames#LINK_GATEWAY}, a next hop that is only a permanent neighbour entry for the other end's MAC
 * (no address on the link, so any number of links can coexist). Traffic arriving over a link looks up the main table
 * only (rules {@value KernelNames#PEER_RULE_PRIORITY}/+1): it reaches the peer network's own ports and nothing
 * else, so peering is not transitive and a network's static routes never carry a peer's traffic on, exactly as the
 * simulator forwards. A next-hop route is a plain gateway route towards the appliance port's address.
 */
final class KernelWriter {

    private static final Logger LOG = LoggerFactory.getLogger(KernelWriter.class);

    private final CommandRunner runner;
    private final Iproute2 ip;
    private final NetnsBinding binding;
    private final OptionalInt mtu;

    KernelWriter(CommandRunner runner, OptionalInt mtu) {
        this.runner = runner;
        this.ip = new Iproute2(runner);
        this.binding = new NetnsBinding(runner);
        this.mtu = mtu;
    }

    /**
     * Brings the kernel from {@code actual} to {@code target}.
     *
     * @param actual what {@link KernelReader} reported, by key
     * @param target the configuration to hold, by key
     * @param adds the entries the plan adds
     * @param removes the entries the plan removes
     * @param routers the router namespaces that exist now, by network id
     * @return failures by entry key
     */
    Map<String, String> apply(Map<String, ConfigEntry> actual, Map<String, ConfigEntry> target, List<ConfigEntry> adds,
            List<ConfigEntry> removes, Map<String, KernelReader.Router> routers) {
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, PortEntry> targetPorts = new LinkedHashMap<>();
        Map<String, SegmentEntry> targetSegments = new LinkedHashMap<>();
        Set<String> needed = new TreeSet<>();
        for (ConfigEntry e : target.values()) {
            if (e instanceof PortEntry p) {
                targetPorts.put(p.port(), p);
                needed.add(p.network());
            } else if (e instanceof SegmentEntry s) {
                targetSegments.put(s.subnet(), s);
                needed.add(s.network());
            } else if (e instanceof RouteEntry r) {
                needed.add(r.network());
                if (r.peerNetwork() != null) {
                    needed.add(r.peerNetwork());
                }
            }
        }

        // The networks whose nftables rules this plan changes.
        Set<String> rewrite = new TreeSet<>();
        for (ConfigEntry e : concat(adds, removes)) {
            networkOf(e, targetPorts, actual).ifPresent(rewrite::add);
            if (e instanceof RouteEntry r && r.peerNetwork() != null) {
                rewrite.add(r.peerNetwork());
            }
        }

        Set<String> brokenRouters = new HashSet<>();
        for (String network : needed) {
            try {
                ensureRouter(network);
            } catch (RuntimeException ex) {
                brokenRouters.add(network);
                fail(failures, concat(adds, removes), network, targetPorts, actual, "router namespace of " + network
                        + ": " + ex.getMessage());
            }
        }
        for (ConfigEntry e : adds) {
            if (e instanceof SegmentEntry s && !brokenRouters.contains(s.network())) {
                attempt(failures, e, () -> ensureSegment(s));
            }
        }
        for (String network : rewrite) {
            if (!needed.contains(network) || brokenRouters.contains(network)) {
                continue;
            }
            try {
                writeRules(network, target, targetPorts, targetSegments);
            } catch (RuntimeException ex) {
                fail(failures, concat(adds, removes), network, targetPorts, actual, "nftables of network " + network
                        + ": " + ex.getMessage());
            }
        }
        for (ConfigEntry e : adds) {
            if (e instanceof PortEntry p && !brokenRouters.contains(p.network()) && !failures.containsKey(e.key())) {
                attempt(failures, e, () -> ensurePort(p, targetSegments.get(p.subnet())));
            } else if (e instanceof FilterEntry f && !targetPorts.containsKey(f.rule().portId())) {
                failures.put(e.key(), "Port " + f.rule().portId() + " is not on this node, so its rule has no "
                        + "network to go to");
            }
        }
        for (ConfigEntry e : adds) {
            if (e instanceof RouteEntry r && !brokenRouters.contains(r.network())) {
                attempt(failures, e, () -> ensureRoute(r));
            }
        }
        for (ConfigEntry e : removes) {
            if (e instanceof RouteEntry r && routers.containsKey(r.network())) {
                attempt(failures, e, () -> removeRoute(r));
            }
        }
        removeUnusedLinks(target, routers);
        for (ConfigEntry e : removes) {
            if (e instanceof PortEntry p && routers.containsKey(p.network())
                    && !targetPorts.containsKey(p.port())) {
                attempt(failures, e, () -> removePort(p));
            }
        }
        for (ConfigEntry e : removes) {
            if (e instanceof SegmentEntry s && routers.containsKey(s.network())
                    && !targetSegments.containsKey(s.subnet())) {
                attempt(failures, e, () -> ip.run(Optional.of(KernelNames.routerNamespace(s.network())), "link",
                        "del", "dev", KernelNames.bridge(s.subnet())));
            }
        }
        for (KernelReader.Router router : routers.values()) {
            if (!needed.contains(router.network())) {
                // Nothing of the network is left: its namespace goes, and every device and rule in it with it.
                ip.runner().run(List.of("ip", "netns", "del", router.namespace()));
                LOG.info("Removed router namespace {} of network {}", router.namespace(), router.network());
            }
        }
        return failures;
    }

    private static List<ConfigEntry> concat(List<ConfigEntry> a, List<ConfigEntry> b) {
        List<ConfigEntry> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Optional<String> networkOf(ConfigEntry e, Map<String, PortEntry> targetPorts,
            Map<String, ConfigEntry> actual) {
        if (e instanceof PortEntry p) {
            return Optional.of(p.network());
        }
        if (e instanceof SegmentEntry s) {
            return Optional.of(s.network());
        }
        if (e instanceof RouteEntry r) {
            return Optional.of(r.network());
        }
        String port = ((FilterEntry) e).rule().portId();
        PortEntry p = targetPorts.get(port);
        if (p == null && actual.get("port:" + port) instanceof PortEntry old) {
            p = old;
        }
        return Optional.ofNullable(p).map(PortEntry::network);
    }

    private static void fail(Map<String, String> failures, List<ConfigEntry> entries, String network,
            Map<String, PortEntry> targetPorts, Map<String, ConfigEntry> actual, String reason) {
        for (ConfigEntry e : entries) {
            if (networkOf(e, targetPorts, actual).equals(Optional.of(network))) {
                failures.putIfAbsent(e.key(), reason);
            }
        }
    }

    private static void attempt(Map<String, String> failures, ConfigEntry entry, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not realise {}: {}", entry.key(), e.getMessage());
            failures.put(entry.key(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The router namespace, its forwarding, its table's default and the rule that consults the table. */
    void ensureRouter(String network) {
        String name = KernelNames.routerNamespace(network);
        Optional<String> ns = Optional.of(name);
        if (!Iproute2.namespaceExists(name)) {
            runner.run(List.of("ip", "netns", "add", name));
            LOG.info("Created router namespace {} for network {}", name, network);
        }
        Link lo = ip.link(ns, "lo").orElseThrow(() -> new IllegalStateException("no lo in " + name));
        String alias = KernelNames.networkAlias(network);
        if (!lo.alias().equals(Optional.of(alias))) {
            ip.run(ns, "link", "set", "dev", "lo", "alias", alias);
        }
        if (!lo.up()) {
            ip.run(ns, "link", "set", "dev", "lo", "up");
        }
        if (!runner.run(Iproute2.inNamespace(name, "sysctl", "-n", "net.ipv4.ip_forward")).stdout().strip()
                .equals("1")) {
            runner.run(Iproute2.inNamespace(name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        }
        boolean unreachable = false;
        for (JsonElement e : KernelReader.tableRoutes(runner, name)) {
            JsonObject r = e.getAsJsonObject();
            unreachable |= r.has("type") && r.get("type").getAsString().equals("unreachable")
                    && r.get("dst").getAsString().equals("default");
        }
        if (!unreachable) {
            ip.run(ns, "route", "replace", "unreachable", "default", "table", KernelNames.TABLE);
        }
        boolean rule = false;
        for (JsonElement e : ip.json(ns, "rule", "show")) {
            JsonObject r = e.getAsJsonObject();
            rule |= r.get("priority").getAsInt() == KernelNames.TABLE_RULE_PRIORITY && !r.has("iif")
                    && r.has("table") && r.get("table").getAsString().equals(KernelNames.TABLE);
            // A rule left behind by a link that is gone would match nothing, but it is Netloom's litter.
            if (r.has("iif") && r.get("iif").getAsString().startsWith(KernelNames.LINK)
                    && ip.link(ns, r.get("iif").getAsString()).isEmpty()) {
                ip.run(ns, "rule", "del", "pref", r.get("priority").getAsString(), "iif", r.get("iif").getAsString());
            }
        }
        if (!rule) {
            ip.run(ns, "rule", "add", "pref", Integer.toString(KernelNames.TABLE_RULE_PRIORITY), "lookup",
                    KernelNames.TABLE);
        }
    }

    /** The subnet's bridge: bridged IPv4 passes the inet hooks, the gateway is its only address, it is up. */
    void ensureSegment(SegmentEntry segment) {
        Optional<String> ns = Optional.of(KernelNames.routerNamespace(segment.network()));
        String bridge = KernelNames.bridge(segment.subnet());
        Optional<Link> link = ip.link(ns, bridge);
        if (link.isEmpty()) {
            ip.run(ns, "link", "add", "name", bridge, "type", "bridge", "nf_call_iptables", "1");
            link = ip.link(ns, bridge);
        } else if (!ip.json(ns, "-d", "link", "show", "dev", bridge).toString().contains("\"nf_call_iptables\":1")) {
            ip.run(ns, "link", "set", "dev", bridge, "type", "bridge", "nf_call_iptables", "1");
        }
        String alias = KernelNames.segmentAlias(segment.subnet(), segment.network());
        if (!link.get().alias().equals(Optional.of(alias))) {
            ip.run(ns, "link", "set", "dev", bridge, "alias", alias);
        }
        int length = Integer.parseInt(segment.cidr().substring(segment.cidr().indexOf('/') + 1));
        InterfaceAddress gateway = new InterfaceAddress(segment.gateway(), length);
        List<InterfaceAddress> addresses = ip.addresses(ns, bridge);
        for (InterfaceAddress a : addresses) {
            if (!a.equals(gateway)) {
                ip.run(ns, "addr", "del", a.cidr(), "dev", bridge);
            }
        }
        if (!addresses.contains(gateway)) {
            ip.run(ns, "addr", "add", gateway.cidr(), "dev", bridge);
        }
        if (!link.get().up()) {
            ip.run(ns, "link", "set", "dev", bridge, "up");
        }
    }

    /** The network's nftables tables, replaced whole in one transaction. */
    private void writeRules(String network, Map<String, ConfigEntry> target, Map<String, PortEntry> targetPorts,
            Map<String, SegmentEntry> targetSegments) {
        List<NftRuleset.PortRules> ports = new ArrayList<>();
        Map<String, List<FilterRule>> filters = new LinkedHashMap<>();
        for (PortEntry p : targetPorts.values()) {
            if (p.network().equals(network) && targetSegments.containsKey(p.subnet())) {
                ports.add(new NftRuleset.PortRules(p, KernelNames.bridge(p.subnet())));
            }
        }
        for (ConfigEntry e : target.values()) {
            if (e instanceof FilterEntry f && targetPorts.containsKey(f.rule().portId())
                    && targetPorts.get(f.rule().portId()).network().equals(network)) {
                filters.computeIfAbsent(f.rule().portId(), k -> new ArrayList<>()).add(f.rule());
            }
        }
        Set<String> links = new LinkedHashSet<>();
        for (ConfigEntry e : target.values()) {
            if (e instanceof RouteEntry r && r.peerNetwork() != null
                    && (r.network().equals(network) || r.peerNetwork().equals(network))) {
                links.add(KernelNames.link(peeringId(r), network));
            }
        }
        String script = NftRuleset.script(ports, filters, List.copyOf(links));
        runner.run(Iproute2.inNamespace(KernelNames.routerNamespace(network), "nft", "-f", "-"), script);
        LOG.debug("Replaced the nftables rules of network {}: {} port(s), {} rule(s)", network, ports.size(),
                filters.values().stream().mapToInt(List::size).sum());
    }

    /** The port's veth pair (into its workload namespace, or unbound), on its subnet's bridge, with its alias. */
    void ensurePort(PortEntry port, SegmentEntry segment) {
        if (segment == null) {
            throw new IllegalStateException("Subnet " + port.subnet() + " of port " + port.port() + " is not on this "
                    + "node");
        }
        String name = KernelNames.routerNamespace(port.network());
        Optional<String> ns = Optional.of(name);
        String host = NetnsBinding.hostDevice(port.port());
        if (port.bindingType() == null) {
            String far = KernelNames.unboundEnd(port.port());
            Optional<Link> h = ip.link(ns, host);
            Optional<Link> f = ip.link(ns, far);
            boolean paired = h.isPresent() && f.isPresent()
                    && h.get().peerName().equals(Optional.of(far));
            if (!paired) {
                if (h.isPresent()) {
                    ip.run(ns, "link", "del", "dev", host);
                }
                if (ip.link(ns, far).isPresent()) {
                    ip.run(ns, "link", "del", "dev", far);
                }
                ip.run(ns, "link", "add", "name", host, "type", "veth", "peer", "name", far);
            }
            if (!ip.link(ns, host).get().up()) {
                ip.run(ns, "link", "set", "dev", host, "up");
            }
        } else if ("netns".equals(port.bindingType()) && port.bindingTarget() != null) {
            int length = Integer.parseInt(segment.cidr().substring(segment.cidr().indexOf('/') + 1));
            NetnsBinding.Spec spec = NetnsBinding.Spec.of(port.port(), port.bindingTarget(), port.mac(), port.ip(),
                    length, port.gateway()).withHostNamespace(name);
            if (mtu.isPresent()) {
                spec = spec.withMtu(mtu.getAsInt());
            }
            binding.apply(spec);
        } else {
            throw new IllegalArgumentException("The linuxbridge driver binds ports to network namespaces only "
                    + "(binding type netns), not '" + port.bindingType() + "'");
        }
        Link link = ip.link(ns, host).orElseThrow(() -> new IllegalStateException(host + " vanished"));
        String bridge = KernelNames.bridge(port.subnet());
        if (!link.master().equals(Optional.of(bridge))) {
            ip.run(ns, "link", "set", "dev", host, "master", bridge);
        }
        String alias = KernelNames.portAlias(port.port(), port.bindingType(), port.bindingTarget(), port.ip(),
                port.mac());
        if (!link.alias().equals(Optional.of(alias))) {
            ip.run(ns, "link", "set", "dev", host, "alias", alias);
        }
    }

    private void removePort(PortEntry port) {
        String name = KernelNames.routerNamespace(port.network());
        if (port.bindingTarget() != null) {
            binding.remove(port.port(), port.bindingTarget(), Optional.of(name));
        } else if (ip.link(Optional.of(name), NetnsBinding.hostDevice(port.port())).isPresent()) {
            ip.run(Optional.of(name), "link", "del", "dev", NetnsBinding.hostDevice(port.port()));
        }
    }

    /** One route of the network's table; for a peering route, the link it needs first. */
    void ensureRoute(RouteEntry route) {
        Optional<String> ns = Optional.of(KernelNames.routerNamespace(route.network()));
        if (Route.LOCAL.equals(route.target())) {
            ip.run(ns, "route", "replace", "throw", route.destination(), "table", KernelNames.TABLE);
        } else if (route.peerNetwork() != null) {
            String link = ensureLink(peeringId(route), route.network(), route.peerNetwork(), route.allowForwarded());
            ip.run(ns, "route", "replace", route.destination(), "via", KernelNames.LINK_GATEWAY, "dev", link,
                    "onlink", "table", KernelNames.TABLE);
        } else {
            ip.run(ns, "route", "replace", route.destination(), "via", route.target(), "table", KernelNames.TABLE);
        }
    }

    private static String peeringId(RouteEntry route) {
        String prefix = Route.peeringTarget("");
        if (!route.target().startsWith(prefix)) {
            throw new IllegalArgumentException("Route " + route.key() + " names peer network " + route.peerNetwork()
                    + " but its target " + route.target() + " is no peering");
        }
        return route.target().substring(prefix.length());
    }

    /** A veth pair between the two router namespaces, each end with its alias, neighbour entry and rules. */
    private String ensureLink(String peering, String network, String peer, boolean allowForwarded) {
        ensureRouter(peer);
        String a = KernelNames.link(peering, network);
        String b = KernelNames.link(peering, peer);
        Optional<String> nsA = Optional.of(KernelNames.routerNamespace(network));
        Optional<String> nsB = Optional.of(KernelNames.routerNamespace(peer));
        Optional<Link> la = ip.link(nsA, a);
        Optional<Link> lb = ip.link(nsB, b);
        boolean paired = la.isPresent() && lb.isPresent()
                && la.get().peerIfindex().equals(OptionalInt.of(lb.get().ifindex()))
                && lb.get().peerIfindex().equals(OptionalInt.of(la.get().ifindex()));
        if (!paired) {
            if (la.isPresent()) {
                ip.run(nsA, "link", "del", "dev", a);
            }
            if (ip.link(nsB, b).isPresent()) {
                ip.run(nsB, "link", "del", "dev", b);
            }
            ip.run(nsA, "link", "add", "name", a, "address", KernelNames.linkMac(peering, network), "type", "veth",
                    "peer", "name", b, "address", KernelNames.linkMac(peering, peer), "netns", nsB.get());
            LOG.info("Linked networks {} and {} for peering {}", network, peer, peering);
        }
        linkEnd(nsA, a, KernelNames.peeringAlias(peering, peer, allowForwarded), KernelNames.linkMac(peering, peer));
        linkEnd(nsB, b, KernelNames.peeringAlias(peering, network, allowForwarded),
                KernelNames.linkMac(peering, network));
        return a;
    }

    private void linkEnd(Optional<String> ns, String dev, String alias, String peerMac) {
        Link link = ip.link(ns, dev).orElseThrow(() -> new IllegalStateException(dev + " vanished"));
        if (!link.alias().equals(Optional.of(alias))) {
            ip.run(ns, "link", "set", "dev", dev, "alias", alias);
        }
        if (!link.up()) {
            ip.run(ns, "link", "set", "dev", dev, "up");
        }
        boolean neighbour = false;
        for (JsonElement e : ip.json(ns, "neigh", "show", "dev", dev)) {
            JsonObject n = e.getAsJsonObject();
            neighbour |= n.has("lladdr") && n.get("lladdr").getAsString().equals(peerMac)
                    && n.get("dst").getAsString().equals(KernelNames.LINK_GATEWAY)
                    && n.getAsJsonArray("state").toString().contains("PERMANENT");
        }
        if (!neighbour) {
            ip.run(ns, "neigh", "replace", KernelNames.LINK_GATEWAY, "lladdr", peerMac, "dev", dev, "nud",
                    "permanent");
        }
        boolean main = false;
        boolean unreachable = false;
        for (JsonElement e : ip.json(ns, "rule", "show")) {
            JsonObject r = e.getAsJsonObject();
            if (r.has("iif") && r.get("iif").getAsString().equals(dev)) {
                main |= r.get("priority").getAsInt() == KernelNames.PEER_RULE_PRIORITY && r.has("table")
                        && r.get("table").getAsString().equals("main");
                unreachable |= r.get("priority").getAsInt() == KernelNames.PEER_RULE_PRIORITY + 1
                        && r.has("action") && r.get("action").getAsString().equals("unreachable");
            }
        }
        if (!main) {
            ip.run(ns, "rule", "add", "pref", Integer.toString(KernelNames.PEER_RULE_PRIORITY), "iif", dev, "lookup",
                    "main");
        }
        if (!unreachable) {
            ip.run(ns, "rule", "add", "pref", Integer.toString(KernelNames.PEER_RULE_PRIORITY + 1), "iif", dev,
                    "unreachable");
        }
    }

    private void removeRoute(RouteEntry route) {
        String name = KernelNames.routerNamespace(route.network());
        List<String> argv = Iproute2.ip(Optional.of(name), "route", "del", route.destination(), "table",
                KernelNames.TABLE);
        CommandResult result = runner.execute(argv, null);
        if (result.exitCode() != 0 && !result.stderr().contains("No such process")) {
            throw new HostCommandException(argv, result.exitCode(), result.stderr());
        }
    }

    /** Peering links no route of the target uses any more go, with their policy rules. */
    private void removeUnusedLinks(Map<String, ConfigEntry> target, Map<String, KernelReader.Router> routers) {
        Set<String> used = new HashSet<>();
        for (ConfigEntry e : target.values()) {
            if (e instanceof RouteEntry r && r.peerNetwork() != null) {
                used.add(KernelNames.link(peeringId(r), r.network()));
                used.add(KernelNames.link(peeringId(r), r.peerNetwork()));
            }
        }
        for (KernelReader.Router router : routers.values()) {
            Optional<String> ns = Optional.of(router.namespace());
            for (String link : router.links()) {
                if (used.contains(link) || !Iproute2.namespaceExists(router.namespace())) {
                    continue;
                }
                if (ip.link(ns, link).isPresent()) {
                    ip.run(ns, "link", "del", "dev", link);
                    LOG.info("Removed peering link {} of network {}", link, router.network());
                }
                for (String pref : List.of(Integer.toString(KernelNames.PEER_RULE_PRIORITY),
                        Integer.toString(KernelNames.PEER_RULE_PRIORITY + 1))) {
                    runner.execute(Iproute2.ip(ns, "rule", "del", "pref", pref, "iif", link), null);
                }
            }
        }
    }
}
