package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.routing.RouteTarget;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InterfaceAddress;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.Link;
import io.netloom.hostnet.NetnsBinding;

/**
 * Makes the kernel hold a node configuration, changing only what differs: each object is compared with what the
 * read this apply starts from found in its router namespace ({@link RouterScan}), and only what is missing or wrong
 * is written, so applying a configuration twice changes nothing, and a repair never recreates what is right (no
 * flap of ports or links).
 *
 * <p>Writes are batched, since a process costs more than the kernel work it asks for: one {@code ip -batch} per
 * router namespace for each kind of object, one {@code nft} transaction per router namespace, and
 * {@link NetnsBinding#applyAll} for the ports' bindings; independent namespaces are worked on at once, and the
 * rules are written while the bindings are made (a port's host end joins its bridge only once its network's rules
 * are in place). A port whose
 * batch line fails is made again on its own path, which reads and repairs it step by step, so one bad object does
 * not fail its neighbours and its failure says what is wrong.
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
    private final ExecutorService pool;
    private final KernelReader reader;
    /** The router namespace of a network on this writer's node. */
    private String routerNamespace(String network) {
        return KernelNames.routerNamespace(network, node);
    }

    /** The owner every router namespace written records: this Netloom instance and the node of the plan. */
    private final String instance;
    private final String node;

    /**
     * @param runner runs ip, nft and sysctl
     * @param mtu the MTU of port veths, or empty for the kernel's
     * @param pool runs the work of different router namespaces at once
     * @param reader told of the nftables tables and namespace ends this writer makes
     */
    KernelWriter(CommandRunner runner, OptionalInt mtu, ExecutorService pool, KernelReader reader, String instance,
            String node) {
        this.instance = instance;
        this.node = node;
        this.runner = runner;
        this.ip = new Iproute2(runner);
        this.binding = new NetnsBinding(runner);
        this.mtu = mtu;
        this.pool = pool;
        this.reader = reader;
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

        // The networks whose nftables rules this plan changes; members alone change elements only.
        Set<String> rewrite = new TreeSet<>();
        for (ConfigEntry e : concat(adds, removes)) {
            if (e instanceof AddressSetEntry) {
                continue;
            }
            networkOf(e, targetPorts, actual).ifPresent(rewrite::add);
            if (e instanceof RouteEntry r && r.peerNetwork() != null) {
                rewrite.add(r.peerNetwork());
            }
        }
        AddressSets sets = new AddressSets(target.values(), targetPorts);
        Map<String, AddressSets.Change> elementChanges = sets.changes(adds, removes, rewrite, actual);
        // Elements are changed in tables as read; a namespace not read yet gets its tables whole.
        elementChanges.keySet().removeIf(network -> !routers.containsKey(network) && rewrite.add(network));

        Map<String, List<SegmentEntry>> segmentAdds = new HashMap<>();
        for (ConfigEntry e : adds) {
            if (e instanceof SegmentEntry s) {
                segmentAdds.computeIfAbsent(s.network(), n -> new ArrayList<>()).add(s);
            }
        }
        Set<String> brokenRouters = new HashSet<>();
        Map<String, RouterScan> scans = new HashMap<>();
        for (Setup setup : Parallel.map(pool, needed, network -> setUp(network,
                Optional.ofNullable(routers.get(network)), segmentAdds.getOrDefault(network, List.of())))) {
            if (setup.scan().isEmpty()) {
                brokenRouters.add(setup.network());
                fail(failures, concat(adds, removes), setup.network(), targetPorts, actual, "router namespace of "
                        + setup.network() + ": " + setup.failures().get(""));
            } else {
                scans.put(setup.network(), setup.scan().get());
                failures.putAll(setup.failures());
            }
        }
        Set<String> nftOf = new TreeSet<>(rewrite);
        nftOf.addAll(elementChanges.keySet());
        nftOf.removeIf(n -> !needed.contains(n) || brokenRouters.contains(n));
        List<String> rulesOf = List.copyOf(nftOf);
        // The rules are written while the ports are plugged in: a port's pair carries nothing until its host end
        // joins its bridge, and that waits for its network's rules (fail closed).
        List<Future<Optional<String>>> writing = Parallel.start(pool, rulesOf, network -> {
            try {
                if (elementChanges.containsKey(network)) {
                    writeElements(network, elementChanges.get(network).change(), routers.get(network),
                            () -> writeRules(network, target, targetPorts, targetSegments, sets));
                } else {
                    writeRules(network, target, targetPorts, targetSegments, sets);
                }
                return Optional.empty();
            } catch (RuntimeException ex) {
                return Optional.of(String.valueOf(ex.getMessage()));
            }
        });
        List<PortEntry> ports = new ArrayList<>();
        for (ConfigEntry e : adds) {
            if (e instanceof PortEntry p && !brokenRouters.contains(p.network()) && !failures.containsKey(e.key())) {
                ports.add(p);
            } else if (e instanceof FilterEntry f && !targetPorts.containsKey(f.rule().portId())) {
                failures.put(e.key(), "Port " + f.rule().portId() + " is not on this node, so its rule has no "
                        + "network to go to");
            } else if (e instanceof AddressSetEntry m) {
                sets.problem(m).ifPresent(why -> failures.put(e.key(), why));
            }
        }
        Map<String, List<PortEntry>> bound;
        try {
            bound = bindPorts(ports, targetSegments, failures);
        } catch (RuntimeException e) {
            // The rules are written, or not, before the failure goes up: no write outlives the apply.
            Parallel.join(writing);
            throw e;
        }
        List<Optional<String>> ruleFailures = Parallel.join(writing);
        for (int i = 0; i < rulesOf.size(); i++) {
            String network = rulesOf.get(i);
            ruleFailures.get(i).ifPresent(why -> {
                String reason = "nftables of network " + network + ": " + why;
                fail(failures, concat(adds, removes), network, targetPorts, actual, reason);
                List<ConfigEntry> members = elementChanges.containsKey(network)
                        ? elementChanges.get(network).entries() : sets.dependingOn(network, concat(adds, removes));
                members.forEach(e -> failures.putIfAbsent(e.key(), reason));
            });
        }
        attachPorts(bound, targetSegments, scans, failures);
        List<RouteEntry> routes = new ArrayList<>();
        for (ConfigEntry e : adds) {
            if (e instanceof RouteEntry r && !brokenRouters.contains(r.network())) {
                routes.add(r);
            }
        }
        ensureRoutes(routes, target, targetSegments, failures);
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
                attempt(failures, e, () -> ip.run(Optional.of(routerNamespace(s.network())), "link",
                        "del", "dev", KernelNames.bridge(s.subnet())));
            }
        }
        for (KernelReader.Router router : routers.values()) {
            // A read may be a few seconds old: a namespace deleted since is gone already.
            if (!needed.contains(router.network()) && Iproute2.namespaceExists(router.namespace())) {
                // Nothing of the network is left: its namespace goes, and every device and rule in it with it.
                ip.runner().run(List.of("ip", "netns", "del", router.namespace()));
                LOG.info("Removed router namespace {} of network {}", router.namespace(), router.network());
            }
        }
        return failures;
    }

    /**
     * What setting up one network's router namespace and new segments came to.
     *
     * @param network the network
     * @param scan its router namespace as it was found; empty when it could not be set up
     * @param failures why segments failed, by entry key; why the namespace failed under the key {@code ""}
     */
    private record Setup(String network, Optional<RouterScan> scan, Map<String, String> failures) {
    }

    /** The network's router namespace, then its new segments; networks are set up at once, each on its own. */
    private Setup setUp(String network, Optional<KernelReader.Router> read, List<SegmentEntry> segments) {
        RouterScan scan;
        try {
            scan = ensureRouter(network, read);
        } catch (RuntimeException e) {
            return new Setup(network, Optional.empty(), Map.of("", String.valueOf(e.getMessage())));
        }
        Map<String, String> failures = new LinkedHashMap<>();
        for (SegmentEntry s : segments) {
            attempt(failures, s, () -> ensureSegment(s, scan));
        }
        return new Setup(network, Optional.of(scan), failures);
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
        String port = e instanceof AddressSetEntry m ? m.port() : ((FilterEntry) e).rule().portId();
        PortEntry p = targetPorts.get(port);
        if (p == null && actual.get(PortEntry.keyOf(port)) instanceof PortEntry old) {
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

    /** Runs one entry's step; a failure is recorded for that entry only. */
    static void attempt(Map<String, String> failures, ConfigEntry entry, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not realise {}: {}", entry.key(), e.getMessage());
            failures.put(entry.key(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * The router namespace, its forwarding, its table's default and the rule that consults the table; what is
     * missing is added with one batch.
     *
     * @param network the network
     * @param read the namespace as the reader found it at the start of this apply; empty to read it now
     * @return the namespace as it was before this call changed anything
     */
    RouterScan ensureRouter(String network, Optional<KernelReader.Router> read) {
        String name = routerNamespace(network);
        RouterScan scan;
        if (read.isPresent()) {
            scan = read.get().scan();
        } else {
            if (!Iproute2.namespaceExists(name)) {
                runner.run(List.of("ip", "netns", "add", name));
                LOG.info("Created router namespace {} for network {}", name, network);
            }
            scan = RouterScan.read(runner, name);
        }
        Link lo = scan.link("lo").orElseThrow(() -> new IllegalStateException("no lo in " + name));
        Optional<KernelNames.Owner> owner = KernelNames.owner(lo.alias());
        if (owner.isPresent() && !owner.get().isOf(instance, node)) {
            // Same name, another owner (a copied model): never touched.
            throw new IllegalStateException("Router namespace " + name + " belongs to Netloom instance "
                    + owner.get().instance() + ", node " + owner.get().node() + ": left alone");
        }
        if (!scan.forwarding()) {
            runner.run(Iproute2.inNamespace(name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        }
        List<List<String>> commands = new ArrayList<>();
        String alias = KernelNames.networkAlias(network, instance, node);
        if (!lo.alias().equals(Optional.of(alias))) {
            commands.add(List.of("link", "set", "dev", "lo", "alias", alias));
        }
        if (!lo.up()) {
            commands.add(List.of("link", "set", "dev", "lo", "up"));
        }
        if (!scan.unreachableDefault()) {
            commands.add(List.of("route", "replace", "unreachable", "default", "table", KernelNames.TABLE));
        }
        for (RouterScan.StrayRule r : scan.strayLinkRules()) {
            commands.add(List.of("rule", "del", "pref", r.priority(), "iif", r.iif()));
        }
        if (!scan.tableRulePresent()) {
            commands.add(List.of("rule", "add", "pref", Integer.toString(KernelNames.TABLE_RULE_PRIORITY), "lookup",
                    KernelNames.TABLE));
        }
        write(name, commands);
        return scan;
    }

    /** Runs commands in a namespace with one batch; all must succeed. */
    private void write(String namespace, List<List<String>> commands) {
        Map<Integer, String> failed = IpBatch.write(runner, namespace, commands);
        if (!failed.isEmpty()) {
            throw new HostCommandException(List.of("ip", "-n", namespace, "-batch", "-"), 1,
                    String.join("; ", failed.values()));
        }
    }

    /**
     * The subnet's bridge: bridged IPv4 passes the inet hooks, the gateway is its only address, it is up.
     *
     * @param segment the subnet
     * @param scan its router namespace, as {@link #ensureRouter} found it
     */
    void ensureSegment(SegmentEntry segment, RouterScan scan) {
        String bridge = KernelNames.bridge(segment.subnet());
        Optional<Link> link = scan.link(bridge);
        List<List<String>> commands = new ArrayList<>();
        if (link.isEmpty()) {
            // Made with an address of its own, so that ports joining later never change it (see bridgeMac).
            commands.add(List.of("link", "add", "name", bridge, "address", KernelNames.bridgeMac(segment.subnet(),
                    node), "type", "bridge", "nf_call_iptables", "1"));
        } else if (!KernelReader.filtersBridgedTraffic(scan.json(bridge).get())) {
            commands.add(List.of("link", "set", "dev", bridge, "type", "bridge", "nf_call_iptables", "1"));
        }
        String alias = KernelNames.segmentAlias(segment.subnet(), segment.network());
        if (link.isEmpty() || !link.get().alias().equals(Optional.of(alias))) {
            commands.add(List.of("link", "set", "dev", bridge, "alias", alias));
        }
        InterfaceAddress gateway = new InterfaceAddress(segment.gateway(), prefixLength(segment));
        List<InterfaceAddress> addresses = scan.addresses(bridge);
        for (InterfaceAddress a : addresses) {
            if (!a.equals(gateway)) {
                commands.add(List.of("addr", "del", a.cidr(), "dev", bridge));
            }
        }
        if (!addresses.contains(gateway)) {
            commands.add(List.of("addr", "add", gateway.cidr(), "dev", bridge));
        }
        if (link.isEmpty() || !link.get().up()) {
            commands.add(List.of("link", "set", "dev", bridge, "up"));
        }
        write(scan.namespace(), commands);
    }

    /**
     * Address-set elements of a network whose rules stay, changed in one transaction; when that fails (its tables
     * are not what they were read to be), the tables are rewritten whole instead.
     */
    private void writeElements(String network, NftRuleset.ElementChange change, KernelReader.Router read,
            Runnable rewrite) {
        String ns = routerNamespace(network);
        try {
            runner.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), NftRuleset.elements(change));
        } catch (HostCommandException e) {
            reader.tablesUnknown(ns);
            LOG.debug("Could not change the address-set elements of network {}; rewriting its tables: {}", network,
                    e.getMessage());
            rewrite.run();
            return;
        }
        reader.tablesWritten(ns, read.tables().with(change));
        LOG.debug("Changed the address-set elements of network {}: {} member(s) added, {} removed", network,
                change.memberAdds().size(), change.memberRemoves().size());
    }

    /** The network's nftables tables, replaced whole in one transaction. */
    private void writeRules(String network, Map<String, ConfigEntry> target, Map<String, PortEntry> targetPorts,
            Map<String, SegmentEntry> targetSegments, AddressSets sets) {
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
        Map<String, List<String>> guarded = new TreeMap<>();
        for (ConfigEntry e : target.values()) {
            if (e instanceof RouteEntry r && isPeeringRoute(r)
                    && (r.network().equals(network) || r.peerNetwork().equals(network))) {
                String link = KernelNames.link(peeringId(r), network);
                links.add(link);
                // What comes in over the link must come from the peer's address space, which this network's
                // routes over the peering name, unless the peering allows forwarded traffic.
                if (r.network().equals(network) && !r.allowForwarded()) {
                    guarded.computeIfAbsent(link, l -> new ArrayList<>()).add(r.destination());
                }
            }
        }
        List<NftRuleset.ForwardGuard> guards = new ArrayList<>();
        guarded.forEach((link, prefixes) -> guards.add(new NftRuleset.ForwardGuard(link, List.copyOf(
                new TreeSet<>(prefixes)))));
        String ns = routerNamespace(network);
        NftRuleset.SetElements elements = sets.elements(network);
        try {
            runner.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), NftRuleset.script(ports, filters,
                    List.copyOf(links), guards, elements));
        } catch (RuntimeException e) {
            reader.tablesUnknown(ns);
            throw e;
        }
        reader.tablesWritten(ns, NftRuleset.written(ports, filters, elements));
        LOG.debug("Replaced the nftables rules of network {}: {} port(s), {} rule(s)", network, ports.size(),
                filters.values().stream().mapToInt(List::size).sum());
    }

    /**
     * The ports' veth pairs, made together by {@link NetnsBinding#applyAll} for bound ports; unbound ports' pairs are
     * made by {@link #attachPorts}. Their host ends are not on a bridge yet.
     *
     * @return the ports to attach, by network, without those that failed
     */
    private Map<String, List<PortEntry>> bindPorts(List<PortEntry> ports, Map<String, SegmentEntry> segments,
            Map<String, String> failures) {
        List<NetnsBinding.Spec> specs = new ArrayList<>();
        Map<String, List<PortEntry>> byNetwork = new TreeMap<>();
        for (PortEntry p : ports) {
            attempt(failures, p, () -> {
                SegmentEntry segment = segment(p, segments);
                if (p.bindingType() != null) {
                    specs.add(spec(p, segment));
                }
                // Whether the alias can record the port is known before anything is made.
                alias(p);
                byNetwork.computeIfAbsent(p.network(), n -> new ArrayList<>()).add(p);
            });
        }
        Map<String, RuntimeException> notBound = specs.isEmpty() ? Map.of() : binding.applyAll(specs);
        notBound.forEach((port, e) -> {
            LOG.warn("Could not bind port {}: {}", port, e.getMessage());
            failures.put(PortEntry.keyOf(port), e.getMessage() == null ? e.toString() : e.getMessage());
        });
        byNetwork.values().forEach(list -> list.removeIf(p -> notBound.containsKey(p.port())));
        byNetwork.values().removeIf(List::isEmpty);
        return byNetwork;
    }

    /**
     * Puts the host ends of bound ports, and the pairs of unbound ones, on their subnets' bridges with their aliases:
     * one batch per router namespace (several namespaces at once). Ports that have failed meanwhile (their network's
     * rules could not be written) are left off their bridge. A port whose batch line failed is made on its own by
     * {@link #ensurePort}, which reads and repairs it step by step and says what is wrong. The namespace ends of the
     * ports bound here count as read (see {@link NamespaceEnds#written}).
     */
    private void attachPorts(Map<String, List<PortEntry>> byNetwork, Map<String, SegmentEntry> segments,
            Map<String, RouterScan> scans, Map<String, String> failures) {
        byNetwork.values().forEach(list -> list.removeIf(p -> failures.containsKey(p.key())));
        byNetwork.values().removeIf(List::isEmpty);
        List<PortEntry> oneByOne = new ArrayList<>();
        Parallel.map(pool, byNetwork.values(), list -> {
            try {
                return hostEnds(list, scans.get(list.get(0).network()));
            } catch (HostCommandException e) {
                LOG.debug("The batch for {} port(s) failed; making them one by one: {}", list.size(), e.getMessage());
                return list;
            }
        }).forEach(oneByOne::addAll);
        for (PortEntry p : oneByOne) {
            attempt(failures, p, () -> ensurePort(p, segments.get(p.subnet())));
        }
        for (List<PortEntry> list : byNetwork.values()) {
            for (PortEntry p : list) {
                if (p.bindingType() != null && !failures.containsKey(p.key())) {
                    reader.ends().written(NamespaceEnds.spec(p, prefixLength(segments.get(p.subnet()))));
                }
            }
        }
    }

    /**
     * The host ends of some ports of one network, with one batch: an unbound port's pair is made when the scan of
     * the router namespace does not show it whole; every host end is set on its bridge, with its alias, up (setting
     * what is already so changes nothing, and these ports are in the plan because something of them is wrong).
     *
     * @return the ports whose lines failed, to be made one by one
     */
    private List<PortEntry> hostEnds(List<PortEntry> ports, RouterScan scan) {
        List<List<String>> commands = new ArrayList<>();
        List<PortEntry> owners = new ArrayList<>();
        for (PortEntry p : ports) {
            String host = NetnsBinding.hostDevice(p.port());
            List<List<String>> own = new ArrayList<>();
            if (p.bindingType() == null) {
                String far = KernelNames.unboundEnd(p.port());
                Optional<Link> h = scan.link(host);
                if (h.isEmpty() || scan.link(far).isEmpty() || !h.get().peerName().equals(Optional.of(far))) {
                    h.ifPresent(stale -> own.add(List.of("link", "del", "dev", host)));
                    scan.link(far).ifPresent(stale -> own.add(List.of("link", "del", "dev", far)));
                    own.add(List.of("link", "add", "name", host, "type", "veth", "peer", "name", far));
                }
            }
            own.add(List.of("link", "set", "dev", host, "master", KernelNames.bridge(p.subnet()), "alias", alias(p),
                    "up"));
            own.forEach(command -> {
                commands.add(command);
                owners.add(p);
            });
        }
        Set<PortEntry> failed = new LinkedHashSet<>();
        IpBatch.write(runner, scan.namespace(), commands).keySet().forEach(i -> failed.add(owners.get(i)));
        return new ArrayList<>(failed);
    }

    private static SegmentEntry segment(PortEntry port, Map<String, SegmentEntry> segments) {
        SegmentEntry segment = segments.get(port.subnet());
        if (segment == null) {
            throw new IllegalStateException("Subnet " + port.subnet() + " of port " + port.port() + " is not on this "
                    + "node");
        }
        return segment;
    }

    /** The binding of a port bound to a namespace, with its host end in the network's router namespace. */
    private NetnsBinding.Spec spec(PortEntry port, SegmentEntry segment) {
        if (!"netns".equals(port.bindingType()) || port.bindingTarget() == null) {
            throw new IllegalArgumentException("The linuxbridge driver binds ports to network namespaces only "
                    + "(binding type netns), not '" + port.bindingType() + "'");
        }
        NetnsBinding.Spec spec = NamespaceEnds.spec(port, prefixLength(segment))
                .withHostNamespace(routerNamespace(port.network()));
        return mtu.isPresent() ? spec.withMtu(mtu.getAsInt()) : spec;
    }

    private static int prefixLength(SegmentEntry segment) {
        return Integer.parseInt(segment.cidr().substring(segment.cidr().indexOf('/') + 1));
    }

    private static String alias(PortEntry port) {
        return KernelNames.portAlias(port.port(), port.bindingType(), port.bindingTarget(), port.ip(), port.mac());
    }

    /** One port's veth pair (into its workload namespace, or unbound), on its subnet's bridge, with its alias. */
    private void ensurePort(PortEntry port, SegmentEntry segment) {
        String name = routerNamespace(port.network());
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
        } else {
            binding.apply(spec(port, segment));
        }
        Link link = ip.link(ns, host).orElseThrow(() -> new IllegalStateException(host + " vanished"));
        String bridge = KernelNames.bridge(port.subnet());
        if (!link.master().equals(Optional.of(bridge))) {
            ip.run(ns, "link", "set", "dev", host, "master", bridge);
        }
        String alias = alias(port);
        if (!link.alias().equals(Optional.of(alias))) {
            ip.run(ns, "link", "set", "dev", host, "alias", alias);
        }
    }

    private void removePort(PortEntry port) {
        String name = routerNamespace(port.network());
        if (port.bindingTarget() != null) {
            binding.remove(port.port(), port.bindingTarget(), Optional.of(name));
        } else if (ip.link(Optional.of(name), NetnsBinding.hostDevice(port.port())).isPresent()) {
            ip.run(Optional.of(name), "link", "del", "dev", NetnsBinding.hostDevice(port.port()));
        }
    }

    /**
     * The routes, one batch per network (several networks at once). Peering links are made first, one route at a
     * time, as the two routes of a peering share their link.
     */
    private void ensureRoutes(List<RouteEntry> routes, Map<String, ConfigEntry> target,
            Map<String, SegmentEntry> segments, Map<String, String> failures) {
        Map<String, List<RouteEntry>> byNetwork = new TreeMap<>();
        Map<RouteEntry, List<String>> commands = new HashMap<>();
        for (RouteEntry r : routes) {
            attempt(failures, r, () -> {
                commands.put(r, routeCommand(r, target, segments));
                byNetwork.computeIfAbsent(r.network(), n -> new ArrayList<>()).add(r);
            });
        }
        List<Map<Integer, String>> failed = Parallel.map(pool, byNetwork.values(), list -> IpBatch.write(runner,
                routerNamespace(list.get(0).network()), list.stream().map(commands::get).toList()));
        int n = 0;
        for (List<RouteEntry> list : byNetwork.values()) {
            failed.get(n++).forEach((i, why) -> {
                LOG.warn("Could not realise {}: {}", list.get(i).key(), why);
                failures.put(list.get(i).key(), why);
            });
        }
    }

    /** The command that puts one route into its network's table; for a peering route, the link it needs first. */
    private List<String> routeCommand(RouteEntry route, Map<String, ConfigEntry> target,
            Map<String, SegmentEntry> segments) {
        if (RouteTarget.of(route.target()) instanceof RouteTarget.Local) {
            return List.of("route", "replace", "throw", route.destination(), "table", KernelNames.TABLE);
        }
        if (route.peerNetwork() != null && !isPeeringRoute(route)) {
            return applianceRoute(route, target, segments);
        }
        if (route.peerNetwork() != null) {
            String link = ensureLink(peeringId(route), route.network(), route.peerNetwork(), route.allowForwarded());
            return List.of("route", "replace", route.destination(), "via", KernelNames.LINK_GATEWAY, "dev", link,
                    "onlink", "table", KernelNames.TABLE);
        }
        return List.of("route", "replace", route.destination(), "via", route.target(), "table", KernelNames.TABLE);
    }

    private static boolean isPeeringRoute(RouteEntry route) {
        return route.peerNetwork() != null && RouteTarget.of(route.target()) instanceof RouteTarget.Peering;
    }

    /**
     * A route whose next hop is an appliance of a peered network: in this network, the destination goes over the
     * peering's link to the next hop's address (a permanent neighbour entry gives it the far end's MAC); in the
     * peer's namespace, what arrives over that link looks up the {@link KernelNames#applianceTable} of this network
     * first, where the destination goes to the appliance on its subnet's bridge.
     */
    private List<String> applianceRoute(RouteEntry route, Map<String, ConfigEntry> target,
            Map<String, SegmentEntry> segments) {
        RouteEntry peering = target.values().stream()
                .filter(e -> e instanceof RouteEntry r && isPeeringRoute(r) && r.network().equals(route.network())
                        && r.peerNetwork().equals(route.peerNetwork()))
                .map(RouteEntry.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("No peering of network " + route.network()
                        + " with network " + route.peerNetwork() + " carries the next hop " + route.target()));
        String peeringId = peeringId(peering);
        SegmentEntry segment = segments.values().stream()
                .filter(g -> g.network().equals(route.peerNetwork()) && contains(g.cidr(), route.target()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The next hop " + route.target() + " is in no subnet "
                        + "of network " + route.peerNetwork()));
        String link = ensureLink(peeringId, route.network(), route.peerNetwork(), peering.allowForwarded());
        String farLink = KernelNames.link(peeringId, route.peerNetwork());
        Optional<String> ns = Optional.of(routerNamespace(route.network()));
        Optional<String> far = Optional.of(routerNamespace(route.peerNetwork()));
        ip.run(ns, "neigh", "replace", route.target(), "lladdr", KernelNames.linkMac(peeringId, route.peerNetwork()),
                "dev", link, "nud", "permanent");
        String table = KernelNames.applianceTable(route.network());
        ip.run(far, "route", "replace", route.destination(), "via", route.target(), "dev",
                KernelNames.bridge(segment.subnet()), "onlink", "table", table);
        String pref = Integer.toString(KernelNames.APPLIANCE_RULE_PRIORITY);
        runner.execute(Iproute2.ip(far, "rule", "del", "pref", pref, "iif", farLink), null);
        ip.run(far, "rule", "add", "pref", pref, "iif", farLink, "lookup", table);
        return List.of("route", "replace", route.destination(), "via", route.target(), "dev", link, "onlink",
                "table", KernelNames.TABLE);
    }

    private static boolean contains(String cidr, String address) {
        IPAddress block = new IPAddressString(cidr).getAddress();
        IPAddress host = new IPAddressString(address).getAddress();
        return block != null && host != null && block.getIPVersion() == host.getIPVersion()
                && block.toPrefixBlock().contains(host);
    }

    private static String peeringId(RouteEntry route) {
        if (!(RouteTarget.of(route.target()) instanceof RouteTarget.Peering via)) {
            throw new IllegalArgumentException("Route " + route.key() + " names peer network " + route.peerNetwork()
                    + " but its target " + route.target() + " is no peering");
        }
        return via.peeringId();
    }

    /** A veth pair between the two router namespaces, each end with its alias, neighbour entry and rules. */
    private String ensureLink(String peering, String network, String peer, boolean allowForwarded) {
        ensureRouter(peer, Optional.empty());
        String a = KernelNames.link(peering, network);
        String b = KernelNames.link(peering, peer);
        Optional<String> nsA = Optional.of(routerNamespace(network));
        Optional<String> nsB = Optional.of(routerNamespace(peer));
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
        RouterScan scan = RouterScan.read(runner, ns.get());
        Link link = scan.link(dev).orElseThrow(() -> new IllegalStateException(dev + " vanished"));
        if (!link.alias().equals(Optional.of(alias))) {
            ip.run(ns, "link", "set", "dev", dev, "alias", alias);
        }
        if (!link.up()) {
            ip.run(ns, "link", "set", "dev", dev, "up");
        }
        if (!scan.linkNeighbour(dev, peerMac)) {
            ip.run(ns, "neigh", "replace", KernelNames.LINK_GATEWAY, "lladdr", peerMac, "dev", dev, "nud",
                    "permanent");
        }
        if (!scan.linkRule(dev, KernelNames.PEER_RULE_PRIORITY)) {
            ip.run(ns, "rule", "add", "pref", Integer.toString(KernelNames.PEER_RULE_PRIORITY), "iif", dev, "lookup",
                    "main");
        }
        if (!scan.linkRule(dev, KernelNames.PEER_RULE_PRIORITY + 1)) {
            ip.run(ns, "rule", "add", "pref", Integer.toString(KernelNames.PEER_RULE_PRIORITY + 1), "iif", dev,
                    "unreachable");
        }
    }

    private void removeRoute(RouteEntry route) {
        if (route.peerNetwork() != null && !isPeeringRoute(route)) {
            // The peer's side of a route through its appliance; gone already with the peer's namespace or table.
            runner.execute(Iproute2.ip(Optional.of(routerNamespace(route.peerNetwork())), "route", "del",
                    route.destination(), "table", KernelNames.applianceTable(route.network())), null);
        }
        String name = routerNamespace(route.network());
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
            if (e instanceof RouteEntry r && isPeeringRoute(r)) {
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
                for (String pref : List.of(Integer.toString(KernelNames.APPLIANCE_RULE_PRIORITY),
                        Integer.toString(KernelNames.PEER_RULE_PRIORITY),
                        Integer.toString(KernelNames.PEER_RULE_PRIORITY + 1))) {
                    runner.execute(Iproute2.ip(ns, "rule", "del", "pref", pref, "iif", link), null);
                }
            }
        }
    }
}
