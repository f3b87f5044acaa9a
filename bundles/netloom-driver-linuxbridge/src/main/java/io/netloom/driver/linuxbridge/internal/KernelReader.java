package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
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
 */
final class KernelReader {

    private final CommandRunner runner;
    private final Iproute2 ip;
    private final NetnsBinding binding;

    KernelReader(CommandRunner runner) {
        this.runner = runner;
        this.ip = new Iproute2(runner);
        this.binding = new NetnsBinding(runner);
    }

    /** A segment bridge found in a router namespace. */
    record Bridge(String name, SegmentEntry segment, int prefixLength) {
    }

    /** One router namespace as read. */
    record Router(String namespace, String network, List<ConfigEntry> entries, Map<String, Bridge> bridges,
            List<String> links) {
    }

    /**
     * @return every router namespace Netloom made, read whole
     */
    List<Router> routers() {
        List<Router> routers = new ArrayList<>();
        for (String ns : ip.namespaces()) {
            if (ns.startsWith(KernelNames.ROUTER)) {
                try {
                    router(ns).ifPresent(routers::add);
                } catch (HostCommandException e) {
                    // A namespace deleted while it was being read is simply not there.
                    if (Iproute2.namespaceExists(ns)) {
                        throw e;
                    }
                }
            }
        }
        return routers;
    }

    /**
     * @param ns a namespace name
     * @return the router it holds, or empty when it is not a router namespace of Netloom's
     */
    Optional<Router> router(String ns) {
        Optional<String> namespace = Optional.of(ns);
        JsonArray linksJson;
        try {
            linksJson = ip.json(namespace, "-d", "link", "show");
        } catch (HostCommandException e) {
            // Deleted while we listed it.
            if (!Iproute2.namespaceExists(ns)) {
                return Optional.empty();
            }
            throw e;
        }
        Map<String, JsonObject> json = new HashMap<>();
        Map<String, Link> links = new HashMap<>();
        for (JsonElement e : linksJson) {
            Link link = Iproute2.toLink(e.getAsJsonObject());
            links.put(link.name(), link);
            json.put(link.name(), e.getAsJsonObject());
        }
        Link lo = links.get("lo");
        Optional<List<String>> networkAlias = KernelNames.parseAlias(lo == null ? Optional.empty() : lo.alias(),
                "network", 1);
        if (networkAlias.isEmpty() || !KernelNames.routerNamespace(networkAlias.get().get(0)).equals(ns)) {
            return Optional.empty();
        }
        String network = networkAlias.get().get(0);
        List<ConfigEntry> entries = new ArrayList<>();

        Map<String, Bridge> bridges = new HashMap<>();
        for (Link link : links.values()) {
            Optional<List<String>> alias = KernelNames.parseAlias(link.alias(), "segment", 2);
            if (alias.isEmpty() || !link.kind().equals(Optional.of("bridge")) || !link.up()
                    || !alias.get().get(1).equals(network)
                    || !link.name().equals(KernelNames.bridge(alias.get().get(0)))
                    || !filtersBridgedTraffic(json.get(link.name()))) {
                continue;
            }
            List<InterfaceAddress> addresses = ip.addresses(namespace, link.name());
            if (addresses.size() != 1 || addresses.get(0).isIpv6()) {
                continue;
            }
            InterfaceAddress gateway = addresses.get(0);
            SegmentEntry segment = new SegmentEntry(network, alias.get().get(0),
                    NftRuleset.canonicalCidr(gateway.address(), gateway.prefixLength()), gateway.address());
            bridges.put(link.name(), new Bridge(link.name(), segment, gateway.prefixLength()));
            entries.add(segment);
        }

        JsonArray inet = nft(ns, "inet");
        JsonArray bridge = nft(ns, "bridge");
        entries.addAll(NftRuleset.filters(inet));
        Map<String, String> portRules = new HashMap<>(NftRuleset.commentedRules(inet));
        portRules.putAll(NftRuleset.commentedRules(bridge));

        for (Link link : links.values()) {
            Optional<List<String>> alias = KernelNames.parseAlias(link.alias(), "port", 5);
            if (alias.isEmpty() || link.master().isEmpty() || !bridges.containsKey(link.master().get())) {
                continue;
            }
            port(ns, link, alias.get(), bridges.get(link.master().get()), links, portRules).ifPresent(entries::add);
        }

        List<String> linkNames = new ArrayList<>();
        Map<String, List<String>> peerings = new HashMap<>();
        for (Link link : links.values()) {
            Optional<List<String>> alias = KernelNames.parseAlias(link.alias(), "peering", 3);
            if (alias.isPresent() && link.name().equals(KernelNames.link(alias.get().get(0), network))) {
                linkNames.add(link.name());
                if (link.up() && "UP".equals(link.operstate()) && linkReady(ns, link.name(), alias.get())) {
                    peerings.put(link.name(), alias.get());
                }
            }
        }
        if (tableRulePresent(ns)) {
            for (JsonElement e : tableRoutes(runner, ns)) {
                route(network, e.getAsJsonObject(), peerings).ifPresent(entries::add);
            }
        }
        return Optional.of(new Router(ns, network, entries, bridges, linkNames));
    }

    private Optional<ConfigEntry> port(String ns, Link host, List<String> alias, Bridge bridge, Map<String, Link> links,
            Map<String, String> portRules) {
        String portId = alias.get(0);
        if (!host.name().equals(NetnsBinding.hostDevice(portId)) || !host.up()) {
            return Optional.empty();
        }
        String type = alias.get(1).equals("-") ? null : alias.get(1);
        String target = alias.get(2).equals("-") ? null : alias.get(2);
        String address = alias.get(3);
        String mac = alias.get(4);
        SegmentEntry segment = bridge.segment();
        PortEntry entry = new PortEntry(portId, segment.network(), segment.subnet(), address, mac, segment.gateway(),
                type, target);
        if (type == null) {
            Link far = links.get(KernelNames.unboundEnd(portId));
            if (far == null || !host.peerName().equals(Optional.of(far.name()))) {
                return Optional.empty();
            }
        } else if ("netns".equals(type) && target != null) {
            NetnsBinding.Spec spec;
            try {
                spec = NetnsBinding.Spec.of(portId, target, mac, address, bridge.prefixLength(), segment.gateway());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            Optional<NetnsBinding.State> state = binding.read(portId, target, Optional.of(ns));
            if (state.isEmpty() || !state.get().matches(spec)) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        return NftRuleset.portRulesPresent(portRules, entry, bridge.name()) ? Optional.of(entry) : Optional.empty();
    }

    private Optional<ConfigEntry> route(String network, JsonObject route, Map<String, List<String>> peerings) {
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
        return Optional.of(new RouteEntry(network, destination, gateway, null, false));
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

    /** The link's permanent neighbour (the peer end's MAC) and its two policy rules are in place. */
    private boolean linkReady(String ns, String link, List<String> alias) {
        String peerMac = KernelNames.linkMac(alias.get(0), alias.get(1));
        boolean neighbour = false;
        for (JsonElement e : ip.json(Optional.of(ns), "neigh", "show", "dev", link)) {
            JsonObject n = e.getAsJsonObject();
            if (KernelNames.LINK_GATEWAY.equals(text(n, "dst")) && peerMac.equals(text(n, "lladdr"))
                    && n.has("state") && n.getAsJsonArray("state").toString().contains("PERMANENT")) {
                neighbour = true;
            }
        }
        if (!neighbour) {
            return false;
        }
        boolean lookupMain = false;
        boolean unreachable = false;
        for (JsonElement e : ip.json(Optional.of(ns), "rule", "show")) {
            JsonObject r = e.getAsJsonObject();
            if (!link.equals(text(r, "iif"))) {
                continue;
            }
            lookupMain |= r.get("priority").getAsInt() == KernelNames.PEER_RULE_PRIORITY && "main".equals(text(r,
                    "table"));
            unreachable |= r.get("priority").getAsInt() == KernelNames.PEER_RULE_PRIORITY + 1
                    && "unreachable".equals(text(r, "action"));
        }
        return lookupMain && unreachable;
    }

    /** Netloom's table is consulted, and ends in an unreachable default: no route of Netloom's, no forwarding. */
    boolean tableRulePresent(String ns) {
        boolean rule = false;
        for (JsonElement e : ip.json(Optional.of(ns), "rule", "show")) {
            JsonObject r = e.getAsJsonObject();
            rule |= r.get("priority").getAsInt() == KernelNames.TABLE_RULE_PRIORITY && !r.has("iif")
                    && KernelNames.TABLE.equals(text(r, "table"));
        }
        if (!rule) {
            return false;
        }
        for (JsonElement e : tableRoutes(runner, ns)) {
            JsonObject route = e.getAsJsonObject();
            if ("unreachable".equals(text(route, "type")) && "default".equals(text(route, "dst"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param runner runs ip
     * @param ns a router namespace
     * @return the routes of Netloom's table there; empty when the kernel has no such table yet
     */
    static JsonArray tableRoutes(CommandRunner runner, String ns) {
        List<String> argv = Iproute2.ip(Optional.of(ns), "-j", "route", "show", "table", KernelNames.TABLE);
        CommandResult r = runner.execute(argv, null);
        if (r.exitCode() != 0) {
            if (r.stderr().contains("table does not exist")) {
                return new JsonArray();
            }
            throw new HostCommandException(argv, r.exitCode(), r.stderr());
        }
        return r.stdout().isBlank() ? new JsonArray() : JsonParser.parseString(r.stdout()).getAsJsonArray();
    }

    /**
     * @param ns a router namespace
     * @param family {@code inet} or {@code bridge}
     * @return {@code nft -j list table FAMILY netloom} there; empty when the table does not exist
     */
    JsonArray nft(String ns, String family) {
        List<String> argv = Iproute2.inNamespace(ns, "nft", "-j", "list", "table", family, KernelNames.NFT_TABLE);
        CommandResult r = runner.execute(argv, null);
        if (r.exitCode() != 0) {
            if (r.stderr().contains("No such file or directory")) {
                return new JsonArray();
            }
            throw new HostCommandException(argv, r.exitCode(), r.stderr());
        }
        JsonElement parsed = JsonParser.parseString(r.stdout());
        return parsed.getAsJsonObject().getAsJsonArray("nftables");
    }

    private static boolean filtersBridgedTraffic(JsonObject link) {
        if (link == null || !link.has("linkinfo")) {
            return false;
        }
        JsonObject info = link.getAsJsonObject("linkinfo");
        if (!info.has("info_data")) {
            return false;
        }
        JsonElement call = info.getAsJsonObject("info_data").get("nf_call_iptables");
        return call != null && call.getAsInt() == 1;
    }

    private static String text(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
