package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.model.AddressPair;
import io.netloom.api.routing.Route;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InterfaceAddress;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.Link;
import io.netloom.hostnet.NetnsBinding;

/**
 * Reads what the kernel holds back into Netloom entries: the driver keeps no state of its own, so this is how it
 * re-adopts a data plane after a restart, and how drift shows. An entry is reported only when every kernel object
 * realising it is there and says what the entry says; a half-made or altered object is left out, so the reconciler
 * adds the entry again and the writer repairs it in place.
 *
 * <p>A read costs two processes per router namespace, run for several namespaces at once: one {@code ip -batch}
 * ({@link RouterScan}) and one {@code nft -j list ruleset}. Ports' namespace ends are read as {@link NamespaceEnds}
 * says: from their host ends on every read, in their own namespaces only when something may have changed there.
 *
 * <p>A router namespace's read is reused by the reads that start within {@link #REUSE_SECONDS} seconds of its end,
 * until the driver writes there ({@link #applied}): the reconciler reads a node and applies the difference, which must
 * read again to know where it starts, and passes follow each other closely while the model changes, so a reused
 * read saves a whole scan of the node without hiding drift for more than those seconds. Likewise nftables tables
 * the driver has just replaced (one transaction, whole), or whose address-set elements it has just changed (the
 * tables as read, with the change), are taken as written by the reads that start within {@link #REUSE_SECONDS}
 * seconds of the end of that apply: listing them costs more than writing them, and while ports keep coming they are
 * replaced again on every pass, which puts right whatever changed in them. Not
 * thread-safe, but for {@link #tablesWritten} and {@link #tablesUnknown}: the driver serialises its calls.
 */
final class KernelReader {

    private static final Logger LOG = LoggerFactory.getLogger(KernelReader.class);

    /** How long a read of a router namespace serves the next reads while the driver writes nothing. */
    static final int REUSE_SECONDS = 2;

    private final CommandRunner runner;
    private final ExecutorService pool;
    private final NamespaceEnds ends;
    private final Map<String, Recent> recent = new HashMap<>();
    private final Map<String, NftRuleset.Tables> writing = new ConcurrentHashMap<>();
    private final Map<String, WrittenTables> written = new ConcurrentHashMap<>();
    /** The Netloom instance whose router namespaces this reads; those of others are never read again. */
    private final String instance;
    /** Router namespaces of other instances, as found: left alone, not even read. */
    private final Set<String> foreign = ConcurrentHashMap.newKeySet();

    /**
     * @param runner runs ip and nft
     * @param pool runs the reads of different namespaces at once
     * @param namespaceCheckSeconds see {@link NamespaceEnds}
     */
    KernelReader(CommandRunner runner, ExecutorService pool, int namespaceCheckSeconds, String instance) {
        this.runner = runner;
        this.pool = pool;
        this.ends = new NamespaceEnds(runner, pool, namespaceCheckSeconds);
        this.instance = instance;
    }

    /**
     * @return what the reader knows of ports' namespace ends, which the writer tells of the bindings it makes
     */
    NamespaceEnds ends() {
        return ends;
    }

    /** A segment bridge found in a router namespace. */
    record Bridge(String name, SegmentEntry segment, int prefixLength) {
    }

    /**
     * One router namespace as read.
     *
     * @param namespace its name
     * @param network the network it realises
     * @param node the node whose data plane it is, {@code null} for one made before namespaces named their owner
     * @param entries the entries found realised in it
     * @param links its ends of peering links
     * @param scan what iproute2 said about it
     * @param tables what its nftables tables realise
     */
    record Router(String namespace, String network, String node, List<ConfigEntry> entries, List<String> links,
            RouterScan scan, NftRuleset.Tables tables) {

        /** Whether it is the data plane of that node (or made before namespaces named their node). */
        boolean isOf(String ownNode) {
            return node == null || node.equals(ownNode);
        }
    }

    /**
     * The address-set members the routers realise. A member is recorded in the namespace of its port's network, and
     * its address must be in the set's nftables set of its family in every namespace whose rules reference the set;
     * a member missing from one of them is not reported, so the reconciler adds it again and the writer puts the
     * address back everywhere. A record that two namespaces hold differently is not
     * reported either.
     *
     * @param routers every router namespace, as read
     * @return the members realised
     */
    static List<AddressSetEntry> members(List<Router> routers) {
        Map<String, AddressSetEntry> claimed = new LinkedHashMap<>();
        Set<String> contested = new HashSet<>();
        Map<String, List<Set<String>>> setsByName = new HashMap<>();
        for (Router router : routers) {
            for (AddressSetEntry m : router.tables().members()) {
                AddressSetEntry before = claimed.putIfAbsent(m.key(), m);
                if (before != null && !before.equals(m)) {
                    contested.add(m.key());
                }
            }
            // Only the sets its rules reference count: a set nothing references there can be left as it is.
            Set<String> ids = new HashSet<>();
            for (FilterEntry f : router.tables().filters()) {
                if (f.rule().referencesSet()) {
                    ids.add(f.rule().remoteSet());
                }
            }
            Set<String> referenced = new HashSet<>();
            for (String id : ids) {
                referenced.add(KernelNames.addressSet(id, false));
                referenced.add(KernelNames.addressSet(id, true));
            }
            router.tables().sets().forEach((name, addresses) -> {
                if (referenced.contains(name)) {
                    setsByName.computeIfAbsent(name, n -> new ArrayList<>()).add(addresses);
                }
            });
        }
        List<AddressSetEntry> realised = new ArrayList<>();
        for (AddressSetEntry m : claimed.values()) {
            if (contested.contains(m.key())) {
                continue;
            }
            String address;
            try {
                address = NftRuleset.canonicalAddress(m.address());
            } catch (IllegalArgumentException notAnAddress) {
                // A record altered by hand: not reported, so the reconciler writes it again.
                continue;
            }
            List<Set<String>> holders = setsByName.getOrDefault(KernelNames.addressSet(m.set(), m.ipv6()), List.of());
            if (holders.stream().allMatch(addresses -> addresses.contains(address))) {
                realised.add(m);
            }
        }
        return realised;
    }

    private record Recent(Router router, long readAt) {
    }

    private record WrittenTables(NftRuleset.Tables tables, long writtenAt) {
    }

    /** A router namespace scanned, before its ports' namespace ends are checked. */
    private record Draft(RouterScan scan, String network, String node, NftRuleset.Tables tables,
            Map<String, Bridge> bridges,
            List<Claim> ports, List<NamespaceEnds.Candidate> candidates) {
    }

    /** A host end whose alias says which port it realises, on the bridge of that port's subnet. */
    private record Claim(Link host, PortEntry entry, Bridge bridge) {
    }

    /**
     * @return every router namespace this Netloom instance made (or one made before namespaces named their owner),
     *     read whole; another instance's are not read
     * @throws HostCommandException when a namespace that exists cannot be read
     */
    List<Router> routers() {
        long now = System.nanoTime();
        written.values().removeIf(w -> now - w.writtenAt() > TimeUnit.SECONDS.toNanos(REUSE_SECONDS));
        List<String> names = new ArrayList<>();
        List<String> all = new Iproute2(runner).namespaces();
        foreign.retainAll(all);
        for (String ns : all) {
            if (ns.startsWith(KernelNames.ROUTER) && !foreign.contains(ns)) {
                names.add(ns);
            }
        }
        recent.keySet().retainAll(names);
        List<String> stale = names.stream().filter(ns -> !recent.containsKey(ns)
                || now - recent.get(ns).readAt() > TimeUnit.SECONDS.toNanos(REUSE_SECONDS)).toList();
        List<Draft> drafts = new ArrayList<>();
        for (Optional<Draft> d : Parallel.map(pool, stale, this::draft)) {
            d.ifPresent(drafts::add);
        }
        List<NamespaceEnds.Candidate> candidates = new ArrayList<>();
        drafts.forEach(d -> candidates.addAll(d.candidates()));
        Set<String> bound = ends.check(candidates);
        stale.forEach(recent::remove);
        // A read is as old as its end: a slow read under load still serves the apply that follows it.
        long readAt = System.nanoTime();
        for (Draft d : drafts) {
            recent.put(d.scan().namespace(), new Recent(router(d, bound), readAt));
        }
        List<Router> routers = new ArrayList<>();
        for (String ns : names) {
            if (recent.containsKey(ns)) {
                routers.add(recent.get(ns).router());
            }
        }
        return routers;
    }

    /**
     * The driver has applied a plan: the reads of the namespaces it ran commands in are forgotten, so the next read
     * shows what it wrote, and the nftables tables it replaced are taken as written by the reads of the next
     * {@link #REUSE_SECONDS} seconds. The read of a namespace the apply left alone stays as good as it was: a change
     * to one network's ports must not cost a scan of every other network.
     *
     * @param touched every argument of every command the apply ran (a namespace it worked in is one of them, or the
     *     last part of one, as in {@code nsenter --net=/run/netns/NAME})
     */
    void applied(Set<String> touched) {
        recent.keySet().removeIf(touched::contains);
        long now = System.nanoTime();
        writing.forEach((ns, tables) -> written.put(ns, new WrittenTables(tables, now)));
        writing.clear();
    }

    /**
     * The writer has just replaced a router namespace's nftables tables, or changed their address-set elements (may
     * be called from several threads).
     *
     * @param ns the router namespace
     * @param tables what the tables written realise
     */
    void tablesWritten(String ns, NftRuleset.Tables tables) {
        writing.put(ns, tables);
    }

    /**
     * The writer tried to replace a router namespace's tables and failed: the next read lists them (may be called
     * from several threads).
     *
     * @param ns the router namespace
     */
    void tablesUnknown(String ns) {
        writing.remove(ns);
        written.remove(ns);
    }

    /**
     * @param ns a namespace name
     * @return its scan, or empty when it is not a router namespace of Netloom's or was deleted while being read
     */
    private Optional<Draft> draft(String ns) {
        try {
            RouterScan scan = RouterScan.read(runner, ns);
            Optional<KernelNames.Owner> owner = owner(scan);
            if (owner.isEmpty()) {
                return Optional.empty();
            }
            if (!owner.get().isOf(instance, null)) {
                foreign.add(ns);
                LOG.debug("Router namespace {} belongs to Netloom instance {}: left alone", ns,
                        owner.get().instance());
                return Optional.empty();
            }
            Optional<String> network = Optional.of(owner.get().network());
            WrittenTables w = written.get(ns);
            boolean fresh = w != null && System.nanoTime() - w.writtenAt() <= TimeUnit.SECONDS.toNanos(REUSE_SECONDS);
            return Optional.of(draft(scan, network.get(), owner.get().node(), fresh ? w.tables() : nft(runner, ns)));
        } catch (HostCommandException e) {
            if (Iproute2.namespaceExists(ns)) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Whose router this is, as the alias of its {@code lo} says, if it is one of Netloom's. */
    private static Optional<KernelNames.Owner> owner(RouterScan scan) {
        Optional<KernelNames.Owner> owner = KernelNames.owner(scan.link("lo").flatMap(Link::alias));
        if (owner.isEmpty() || !KernelNames.routerNamespace(owner.get().network(), owner.get().node())
                .equals(scan.namespace())) {
            return Optional.empty();
        }
        return owner;
    }

    private static Draft draft(RouterScan scan, String network, String node, NftRuleset.Tables tables) {
        Map<String, Bridge> bridges = new HashMap<>();
        for (JsonObject json : scan.allDevices()) {
            Link link = Iproute2.toLink(json);
            Optional<List<String>> alias = KernelNames.parseAlias(link.alias(), "segment", 2);
            if (alias.isEmpty() || !link.kind().equals(Optional.of("bridge")) || !link.up()
                    || !alias.get().get(1).equals(network)
                    || !link.name().equals(KernelNames.bridge(alias.get().get(0)))
                    || !filtersBridgedTraffic(json)) {
                continue;
            }
            List<InterfaceAddress> addresses = IpBatch.addresses(json);
            if (addresses.size() != 1 || addresses.get(0).isIpv6()) {
                continue;
            }
            InterfaceAddress gateway = addresses.get(0);
            SegmentEntry segment = new SegmentEntry(network, alias.get().get(0),
                    NftRuleset.canonicalCidr(gateway.address(), gateway.prefixLength()), gateway.address());
            bridges.put(link.name(), new Bridge(link.name(), segment, gateway.prefixLength()));
        }
        List<Claim> ports = new ArrayList<>();
        List<NamespaceEnds.Candidate> candidates = new ArrayList<>();
        for (JsonObject json : scan.allDevices()) {
            Link host = Iproute2.toLink(json);
            Optional<List<String>> alias = KernelNames.parseAlias(host.alias(), "port", 5);
            if (alias.isEmpty() || host.master().isEmpty() || !bridges.containsKey(host.master().get())
                    || !host.name().equals(NetnsBinding.hostDevice(alias.get().get(0))) || !host.up()) {
                continue;
            }
            Claim claim = claim(host, alias.get(), bridges.get(host.master().get()));
            ports.add(claim);
            spec(claim).flatMap(spec -> NamespaceEnds.candidate(json, scan, spec)).ifPresent(candidates::add);
        }
        return new Draft(scan, network, node, tables, bridges, ports, candidates);
    }

    private static Claim claim(Link host, List<String> alias, Bridge bridge) {
        String type = alias.get(1).equals("-") ? null : alias.get(1);
        String target = alias.get(2).equals("-") ? null : alias.get(2);
        SegmentEntry segment = bridge.segment();
        return new Claim(host, new PortEntry(alias.get(0), segment.network(), segment.subnet(), alias.get(3),
                alias.get(4), segment.gateway(), type, target), bridge);
    }

    /** The binding a port bound to a namespace calls for; empty when it is not bound or its fields are malformed. */
    private static Optional<NetnsBinding.Spec> spec(Claim claim) {
        PortEntry p = claim.entry();
        if (!"netns".equals(p.bindingType()) || p.bindingTarget() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(NamespaceEnds.spec(p, claim.bridge().prefixLength()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The entries of a scanned router, given which ports' namespace ends are right. */
    private static Router router(Draft d, Set<String> bound) {
        RouterScan scan = d.scan();
        List<ConfigEntry> entries = new ArrayList<>();
        d.bridges().values().forEach(b -> entries.add(b.segment()));
        entries.addAll(d.tables().filters());
        for (Claim claim : d.ports()) {
            PortEntry entry = claim.entry();
            boolean bindingRight;
            if (entry.bindingType() == null) {
                String far = KernelNames.unboundEnd(entry.port());
                bindingRight = scan.link(far).isPresent() && claim.host().peerName().equals(Optional.of(far));
            } else {
                bindingRight = bound.contains(entry.port());
            }
            if (bindingRight && d.tables().realises(entry, claim.bridge().name())) {
                List<AddressPair> pairs = d.tables().pairs(entry, claim.bridge().name());
                entries.add(pairs.isEmpty() ? entry : new PortEntry(entry.port(), entry.network(), entry.subnet(),
                        entry.ip(), entry.mac(), entry.gateway(), entry.bindingType(), entry.bindingTarget(), pairs));
            }
        }

        List<String> linkNames = new ArrayList<>();
        Map<String, List<String>> peerings = new HashMap<>();
        for (JsonObject json : scan.allDevices()) {
            Link link = Iproute2.toLink(json);
            Optional<List<String>> alias = KernelNames.parseAlias(link.alias(), "peering", 3);
            if (alias.isPresent() && link.name().equals(KernelNames.link(alias.get().get(0), d.network()))) {
                linkNames.add(link.name());
                if (link.up() && "UP".equals(link.operstate()) && linkReady(scan, link.name(), alias.get())) {
                    peerings.put(link.name(), alias.get());
                }
            }
        }
        if (scan.tableRulePresent() && scan.unreachableDefault()) {
            for (JsonElement e : scan.tableRoutes()) {
                route(d.network(), e.getAsJsonObject(), peerings).ifPresent(entries::add);
            }
        }
        return new Router(scan.namespace(), d.network(), d.node(), entries, linkNames, scan, d.tables());
    }

    private static Optional<ConfigEntry> route(String network, JsonObject route, Map<String, List<String>> peerings) {
        String destination = destination(route.get("dst").getAsString());
        if (destination == null) {
            return Optional.empty();
        }
        String type = route.has("type") ? route.get("type").getAsString() : "unicast";
        if (type.equals("throw")) {
            return Optional.of(new RouteEntry(network, destination, Route.LOCAL, null, false));
        }
        if (!type.equals("unicast") || !route.has("gateway")) {
            return Optional.empty();
        }
        String gateway = route.get("gateway").getAsString();
        String dev = route.has("dev") ? route.get("dev").getAsString() : "";
        if (gateway.equals(KernelNames.LINK_GATEWAY)) {
            List<String> peering = peerings.get(dev);
            if (peering == null) {
                return Optional.empty();
            }
            return Optional.of(new RouteEntry(network, destination, Route.peeringTarget(peering.get(0)),
                    peering.get(1), peering.get(2).equals("1")));
        }
        // A next hop beyond a peering link (an appliance of the peer network) is routed over that link.
        List<String> over = peerings.get(dev);
        return Optional.of(new RouteEntry(network, destination, gateway, over == null ? null : over.get(1), false));
    }

    private static String destination(String dst) {
        if (dst.equals("default")) {
            return "0.0.0.0/0";
        }
        int slash = dst.indexOf('/');
        if (slash < 0) {
            return NftRuleset.canonicalCidr(dst, dst.indexOf(':') >= 0 ? 128 : 32);
        }
        return NftRuleset.canonicalCidr(dst.substring(0, slash), Integer.parseInt(dst.substring(slash + 1)));
    }

    /**
     * @param scan a router namespace's scan
     * @param link a peering link end there
     * @param alias the link's alias fields
     * @return whether the link's permanent neighbour (the peer end's MAC) and its two policy rules are in place
     */
    private static boolean linkReady(RouterScan scan, String link, List<String> alias) {
        return scan.linkNeighbour(link, KernelNames.linkMac(alias.get(0), alias.get(1)))
                && scan.linkRule(link, KernelNames.PEER_RULE_PRIORITY)
                && scan.linkRule(link, KernelNames.PEER_RULE_PRIORITY + 1);
    }

    /**
     * @param runner runs nft
     * @param ns a router namespace
     * @return what Netloom's tables there realise, as {@code nft -j} lists them
     * @throws HostCommandException when nft fails
     */
    static NftRuleset.Tables nft(CommandRunner runner, String ns) {
        List<String> argv = Iproute2.inNamespace(ns, "nft", "-j", "list", "ruleset");
        CommandResult r = runner.run(argv);
        JsonArray inet = new JsonArray();
        JsonArray bridge = new JsonArray();
        JsonElement parsed = JsonParser.parseString(r.stdout());
        if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("nftables")) {
            throw new HostCommandException(argv, 0, "printed no nftables array");
        }
        for (JsonElement e : parsed.getAsJsonObject().getAsJsonArray("nftables")) {
            if (!e.isJsonObject() || e.getAsJsonObject().has("metainfo")) {
                continue;
            }
            for (Map.Entry<String, JsonElement> member : e.getAsJsonObject().entrySet()) {
                JsonObject object = member.getValue().getAsJsonObject();
                String table = IpBatch.text(object, member.getKey().equals("table") ? "name" : "table");
                if (KernelNames.NFT_TABLE.equals(table)) {
                    String family = IpBatch.text(object, "family");
                    if ("inet".equals(family)) {
                        inet.add(e);
                    } else if ("bridge".equals(family)) {
                        bridge.add(e);
                    }
                }
            }
        }
        return NftRuleset.listed(inet, bridge);
    }

    /**
     * @param link a bridge, as {@code ip -j -d} prints it
     * @return whether its bridged IPv4 passes the inet hooks ({@code nf_call_iptables})
     */
    static boolean filtersBridgedTraffic(JsonObject link) {
        if (!link.has("linkinfo")) {
            return false;
        }
        JsonObject info = link.getAsJsonObject("linkinfo");
        if (!info.has("info_data")) {
            return false;
        }
        JsonElement call = info.getAsJsonObject("info_data").get("nf_call_iptables");
        return call != null && call.getAsInt() == 1;
    }
}
