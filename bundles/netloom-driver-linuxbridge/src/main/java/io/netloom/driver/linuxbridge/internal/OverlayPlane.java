package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.DeviceNames;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InterfaceAddress;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.Link;

/**
 * The VXLAN overlay on a Linux bridge data plane: per segment of a network that spans several nodes, a kernel
 * {@code vxlan} device ({@code nlv...}, made in the driver's own namespace on the underlay device, so that its UDP
 * socket lives there, then moved into the network's router namespace) on the segment's bridge, with learning off and
 * ARP/ND suppression on; per remote port, two static forwarding entries for its MAC (the tunnel's {@code dst} the
 * remote node's underlay address, and the bridge's {@code master static} one) and a permanent neighbour for its
 * address on its segment's bridge. No default forwarding entry exists, so nothing floods over the tunnel, and
 * nothing is learned from it.
 *
 * <p>Per router namespace with a tunnel, two nftables tables {@value #TABLE} (one transaction): {@code bridge}
 * drops every ARP frame entering from or leaving to a tunnel device (the distributed gateway has the same address on
 * every node and must answer only locally; remote ports are answered from the permanent neighbours), and
 * {@code inet} marks packets to remote ports' addresses ({@value #MARK}) before {@code inet netloom}'s forwarding
 * chain, whose last rule accepts the mark: the source's egress rules have been applied by then, and the
 * destination's ingress rules are applied on the destination's node. The {@code inet} table's set records each
 * remote port (its comment names the port and its node), which is how the remote ports read back.
 */
final class OverlayPlane {

    /** VXLAN's UDP port. */
    static final int VXLAN_PORT = 4789;
    /** The MTU of tunnels and of workload veths on a node with an overlay (1500 less VXLAN's 50 bytes). */
    static final int MTU = 1450;
    /** Name of the overlay's nftables tables (bridge and inet) in a router namespace. */
    static final String TABLE = "netloom_overlay";
    /** The mark of packets to remote ports, accepted by the forwarding chain of {@code inet netloom}. */
    static final String MARK = "0x4e4c0f00";
    /** Prefix of tunnel devices. */
    static final String TUNNEL = "nlv";
    private static final String REMOTE_SET = "remote4";

    private static final Logger LOG = LoggerFactory.getLogger(OverlayPlane.class);

    private final CommandRunner runner;
    /** The configured underlay device, empty: the device holding the tunnel's local address. */
    private final String underlayInterface;
    /** The configured underlay address, used when the node's configuration names none. */
    private final String underlayAddress;
    /** The named namespace holding the underlay device; empty: the driver's own. */
    private final Optional<String> underlayNamespace;

    /**
     * @param runner runs ip, bridge and nft
     * @param underlayInterface the underlay device; empty: the device holding the tunnel's address
     * @param underlayAddress the tunnel endpoint when the node names none; may be empty
     * @param underlayNamespace the named namespace the underlay device is in; empty: the driver's own
     */
    OverlayPlane(CommandRunner runner, String underlayInterface, String underlayAddress, String underlayNamespace) {
        this.runner = runner;
        this.underlayInterface = underlayInterface == null ? "" : underlayInterface.strip();
        this.underlayAddress = underlayAddress == null ? "" : underlayAddress.strip();
        this.underlayNamespace = underlayNamespace == null || underlayNamespace.isBlank() ? Optional.empty()
                : Optional.of(underlayNamespace.strip());
    }

    /** The same underlay settings over another runner (one that records what an apply touches). */
    OverlayPlane(CommandRunner runner, OverlayPlane settings) {
        this(runner, settings.underlayInterface, settings.underlayAddress,
                settings.underlayNamespace.orElse(""));
    }

    static String tunnel(String subnetId) {
        return DeviceNames.of(TUNNEL, subnetId);
    }

    static String tunnelAlias(TunnelEntry t) {
        return "netloom tunnel " + t.subnet() + " " + t.network() + " " + t.vni() + " "
                + (t.localAddress().isEmpty() ? "-" : t.localAddress());
    }

    static boolean isOverlay(ConfigEntry e) {
        return e instanceof TunnelEntry || e instanceof RemotePortEntry;
    }

    /** Whether a router namespace, as scanned, holds a tunnel device (without reading anything more). */
    static boolean hasTunnel(RouterScan scan) {
        return scan.devices().keySet().stream().anyMatch(name -> name.startsWith(TUNNEL));
    }

    /** Whether a key is that of an overlay entry ({@link TunnelEntry#key()}, {@link RemotePortEntry#keyOf}). */
    static boolean isOverlayKey(String key) {
        return key.startsWith("tunnel:") || key.startsWith(RemotePortEntry.keyOf(""));
    }

    // ---------------------------------------------------------------- reading

    /**
     * The overlay entries the given router namespaces realise: a tunnel when its device is as written and the
     * namespace's overlay tables exist; a remote port when its set element, neighbour and both forwarding entries are
     * there.
     */
    List<ConfigEntry> read(List<KernelReader.Router> routers) {
        List<ConfigEntry> found = new ArrayList<>();
        for (KernelReader.Router router : routers) {
            Map<String, TunnelEntry> tunnels = tunnels(router.scan());
            if (tunnels.isEmpty()) {
                continue;
            }
            String ns = router.namespace();
            Optional<JsonArray> tables = listTables(ns);
            if (tables.isEmpty()) {
                continue;
            }
            found.addAll(tunnels.values());
            JsonArray fdb = jsonOf(List.of("bridge", "-n", ns, "-j", "fdb", "show"));
            for (Map.Entry<String, String[]> element : remoteElements(tables.get()).entrySet()) {
                remote(router.scan(), tunnels, fdb, element.getKey(), element.getValue()).ifPresent(found::add);
            }
        }
        return found;
    }

    /** The tunnels of a router namespace that are as written, by subnet. */
    private Map<String, TunnelEntry> tunnels(RouterScan scan) {
        Map<String, TunnelEntry> tunnels = new LinkedHashMap<>();
        for (JsonObject json : scan.allDevices()) {
            Link link = Iproute2.toLink(json);
            Optional<List<String>> alias = KernelNames.parseAlias(link.alias(), "tunnel", 4);
            if (alias.isEmpty()) {
                continue;
            }
            List<String> a = alias.get();
            TunnelEntry entry;
            try {
                entry = new TunnelEntry(a.get(1), a.get(0), Integer.parseInt(a.get(2)),
                        a.get(3).equals("-") ? "" : a.get(3));
            } catch (IllegalArgumentException malformed) {
                continue;
            }
            if (link.name().equals(tunnel(entry.subnet())) && tunnelRight(json, link, entry)) {
                tunnels.put(entry.subnet(), entry);
            }
        }
        return tunnels;
    }

    private boolean tunnelRight(JsonObject json, Link link, TunnelEntry entry) {
        JsonObject info = json.has("linkinfo") ? json.getAsJsonObject("linkinfo") : new JsonObject();
        JsonObject data = info.has("info_data") ? info.getAsJsonObject("info_data") : new JsonObject();
        JsonObject slave = info.has("info_slave_data") ? info.getAsJsonObject("info_slave_data") : new JsonObject();
        String local = entry.localAddress().isEmpty() ? underlayAddress : entry.localAddress();
        return "vxlan".equals(IpBatch.text(info, "info_kind")) && data.has("id")
                && data.get("id").getAsInt() == entry.vni()
                && (local.isEmpty() || local.equals(IpBatch.text(data, "local")))
                && data.has("port") && data.get("port").getAsInt() == VXLAN_PORT
                && isFalse(data, "learning") && isFalse(slave, "learning") && isTrue(slave, "neigh_suppress")
                && link.master().equals(Optional.of(KernelNames.bridge(entry.subnet()))) && link.up()
                && json.has("mtu") && json.get("mtu").getAsInt() == MTU;
    }

    private static boolean isFalse(JsonObject o, String member) {
        return o.has(member) && o.get(member).isJsonPrimitive() && !o.get(member).getAsBoolean();
    }

    private static boolean isTrue(JsonObject o, String member) {
        return o.has(member) && o.get(member).isJsonPrimitive() && o.get(member).getAsBoolean();
    }

    private JsonArray jsonOf(List<String> argv) {
        String out = runner.run(argv).stdout();
        return out.isBlank() ? new JsonArray() : JsonParser.parseString(out).getAsJsonArray();
    }

    /** The overlay tables of a namespace, when both exist. */
    private Optional<JsonArray> listTables(String ns) {
        CommandResult r = runner.execute(Iproute2.inNamespace(ns, "nft", "-j", "list", "ruleset"), null);
        if (r.exitCode() != 0) {
            throw new HostCommandException(Iproute2.inNamespace(ns, "nft", "-j", "list", "ruleset"), r.exitCode(),
                    r.stderr());
        }
        JsonArray all = JsonParser.parseString(r.stdout()).getAsJsonObject().getAsJsonArray("nftables");
        Set<String> families = new TreeSet<>();
        for (JsonElement e : all) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("table") && TABLE.equals(IpBatch.text(o.getAsJsonObject("table"), "name"))) {
                families.add(IpBatch.text(o.getAsJsonObject("table"), "family"));
            }
        }
        return families.containsAll(List.of("bridge", "inet")) ? Optional.of(all) : Optional.empty();
    }

    /** The remote ports' set elements: address → {port, node}. */
    private static Map<String, String[]> remoteElements(JsonArray nft) {
        Map<String, String[]> elements = new LinkedHashMap<>();
        for (JsonElement e : nft) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("set")) {
                continue;
            }
            JsonObject set = o.getAsJsonObject("set");
            if (!TABLE.equals(IpBatch.text(set, "table")) || !REMOTE_SET.equals(IpBatch.text(set, "name"))
                    || !set.has("elem")) {
                continue;
            }
            for (JsonElement element : set.getAsJsonArray("elem")) {
                if (!element.isJsonObject() || !element.getAsJsonObject().has("elem")) {
                    continue;
                }
                JsonObject elem = element.getAsJsonObject().getAsJsonObject("elem");
                if (!elem.has("val") || !elem.has("comment")) {
                    continue;
                }
                String[] words = elem.get("comment").getAsString().split(" ");
                if (words.length == 2) {
                    elements.put(elem.get("val").getAsString(), words);
                }
            }
        }
        return elements;
    }

    /** A remote port read back, when its neighbour and both forwarding entries are in place. */
    private static Optional<RemotePortEntry> remote(RouterScan scan, Map<String, TunnelEntry> tunnels, JsonArray fdb,
            String ip, String[] element) {
        for (JsonElement e : scan.neighbours()) {
            JsonObject n = e.getAsJsonObject();
            if (!ip.equals(IpBatch.text(n, "dst")) || !n.has("lladdr") || !n.toString().contains("PERMANENT")) {
                continue;
            }
            String bridge = IpBatch.text(n, "dev");
            for (TunnelEntry t : tunnels.values()) {
                if (!KernelNames.bridge(t.subnet()).equals(bridge)) {
                    continue;
                }
                String mac = IpBatch.text(n, "lladdr");
                String device = tunnel(t.subnet());
                String remote = null;
                boolean master = false;
                for (JsonElement f : fdb) {
                    JsonObject entry = f.getAsJsonObject();
                    if (!mac.equals(IpBatch.text(entry, "mac")) || !device.equals(IpBatch.text(entry, "ifname"))) {
                        continue;
                    }
                    if (entry.has("dst") && !entry.has("master")) {
                        remote = remote == null ? IpBatch.text(entry, "dst") : "";
                    } else if (bridge.equals(IpBatch.text(entry, "master"))
                            && "static".equals(IpBatch.text(entry, "state"))) {
                        master = true;
                    }
                }
                if (remote == null || remote.isEmpty() || !master) {
                    return Optional.empty();
                }
                return Optional.of(new RemotePortEntry(element[0], t.network(), t.subnet(), ip, mac, t.vni(),
                        element[1], remote));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Brings the overlay of the networks the plan touches from {@code actual} to {@code target}. Runs after the
     * rest of the plan: the router namespaces and bridges exist.
     *
     * @return failures by entry key
     */
    Map<String, String> apply(String node, Map<String, ConfigEntry> actual, Map<String, ConfigEntry> target,
            List<ConfigEntry> adds, List<ConfigEntry> removes) {
        Map<String, String> failures = new LinkedHashMap<>();
        Set<String> networks = new TreeSet<>();
        for (ConfigEntry e : adds) {
            networks.add(network(e));
        }
        for (ConfigEntry e : removes) {
            networks.add(network(e));
        }
        for (String network : networks) {
            String ns = KernelNames.routerNamespace(network, node);
            List<ConfigEntry> mine = new ArrayList<>();
            adds.stream().filter(e -> network(e).equals(network)).forEach(mine::add);
            if (!Iproute2.namespaceExists(ns)) {
                mine.forEach(e -> failures.put(e.key(), "router namespace " + ns + " of network " + network
                        + " does not exist"));
                continue;
            }
            for (ConfigEntry e : removes) {
                if (network(e).equals(network) && !target.containsKey(e.key())) {
                    KernelWriter.attempt(failures, e, () -> remove(ns, e));
                }
            }
            Set<String> remade = new TreeSet<>();
            for (ConfigEntry e : mine) {
                if (e instanceof TunnelEntry t) {
                    KernelWriter.attempt(failures, e, () -> ensureTunnel(ns, t));
                    remade.add(t.subnet());
                }
            }
            List<TunnelEntry> tunnels = new ArrayList<>();
            List<RemotePortEntry> remotes = new ArrayList<>();
            for (ConfigEntry e : target.values()) {
                if (e instanceof TunnelEntry t && t.network().equals(network)) {
                    tunnels.add(t);
                } else if (e instanceof RemotePortEntry r && r.network().equals(network)) {
                    remotes.add(r);
                }
            }
            try {
                writeTables(ns, tunnels, remotes);
            } catch (RuntimeException ex) {
                mine.forEach(e -> failures.putIfAbsent(e.key(), "overlay nftables of network " + network + ": "
                        + ex.getMessage()));
                continue;
            }
            // A tunnel made anew has no forwarding entries: every remote port of its segment is written again.
            for (RemotePortEntry r : remotes) {
                if (mine.contains(r) || remade.contains(r.subnet())) {
                    KernelWriter.attempt(failures, r, () -> ensureRemote(ns, r));
                }
            }
        }
        return failures;
    }

    private static String network(ConfigEntry e) {
        return e instanceof TunnelEntry t ? t.network() : ((RemotePortEntry) e).network();
    }

    /** Makes a segment's tunnel device as {@link #tunnelRight} wants it, remaking it when it is of another kind. */
    private void ensureTunnel(String ns, TunnelEntry t) {
        String device = tunnel(t.subnet());
        String local = t.localAddress().isEmpty() ? underlayAddress : t.localAddress();
        if (local.isEmpty()) {
            throw new IllegalStateException("No underlay address for the tunnel of segment " + t.subnet()
                    + ": the node names none and the driver's underlay.address is not set");
        }
        String dev = underlayInterface.isEmpty() ? deviceHolding(local) : underlayInterface;
        // A device of that name in the router namespace is remade: its VNI, local address or device cannot change.
        runner.execute(Iproute2.ip(Optional.of(ns), "link", "del", "dev", device), null);
        // Left in the driver's own namespace by an apply that failed between making and moving it.
        runner.execute(Iproute2.ip(underlayNamespace, "link", "del", "dev", device), null);
        runner.run(Iproute2.ip(underlayNamespace, "link", "add", device, "type", "vxlan", "id",
                Integer.toString(t.vni()), "local", local, "dev", dev, "dstport", Integer.toString(VXLAN_PORT),
                "nolearning"));
        runner.run(Iproute2.ip(underlayNamespace, "link", "set", "dev", device, "netns", ns));
        String bridge = KernelNames.bridge(t.subnet());
        Map<Integer, String> failed = IpBatch.write(runner, ns, List.of(
                List.of("link", "set", "dev", device, "master", bridge),
                List.of("link", "set", "dev", device, "type", "bridge_slave", "learning", "off", "neigh_suppress",
                        "on"),
                List.of("link", "set", "dev", device, "mtu", Integer.toString(MTU), "alias", tunnelAlias(t)),
                List.of("link", "set", "dev", device, "up")));
        if (!failed.isEmpty()) {
            throw new IllegalStateException("Tunnel " + device + ": " + String.join("; ", failed.values()));
        }
        LOG.info("Tunnel {} of segment {} (VNI {}, {} on {}) is up", device, t.subnet(), t.vni(), local, dev);
    }

    /** The device of the driver's own namespace that holds an address. */
    private String deviceHolding(String address) {
        for (JsonElement e : jsonOf(Iproute2.ip(underlayNamespace, "-j", "addr", "show"))) {
            JsonObject device = e.getAsJsonObject();
            for (InterfaceAddress a : IpBatch.addresses(device)) {
                if (a.address().equals(address)) {
                    return IpBatch.text(device, "ifname");
                }
            }
        }
        throw new IllegalStateException("The underlay address " + address + " is on no device of this host; set the "
                + "driver's underlay.interface");
    }

    private void ensureRemote(String ns, RemotePortEntry r) {
        String device = tunnel(r.subnet());
        String bridge = KernelNames.bridge(r.subnet());
        runner.run(List.of("bridge", "-n", ns, "fdb", "replace", r.mac(), "dev", device, "dst", r.remoteAddress(),
                "self", "permanent"));
        runner.run(List.of("bridge", "-n", ns, "fdb", "replace", r.mac(), "dev", device, "master", "static"));
        runner.run(Iproute2.ip(Optional.of(ns), "neigh", "replace", r.ip(), "lladdr", r.mac(), "dev", bridge, "nud",
                "permanent"));
    }

    private void remove(String ns, ConfigEntry e) {
        if (e instanceof TunnelEntry t) {
            runner.execute(Iproute2.ip(Optional.of(ns), "link", "del", "dev", tunnel(t.subnet())), null);
            return;
        }
        RemotePortEntry r = (RemotePortEntry) e;
        String device = tunnel(r.subnet());
        // Gone already when its tunnel or bridge went: nothing to fail on.
        runner.execute(List.of("bridge", "-n", ns, "fdb", "del", r.mac(), "dev", device, "dst", r.remoteAddress(),
                "self"), null);
        runner.execute(List.of("bridge", "-n", ns, "fdb", "del", r.mac(), "dev", device, "master"), null);
        runner.execute(Iproute2.ip(Optional.of(ns), "neigh", "del", r.ip(), "dev", KernelNames.bridge(r.subnet())),
                null);
    }

    /** Replaces the overlay tables of a namespace in one transaction; removes them when it has no tunnel. */
    private void writeTables(String ns, List<TunnelEntry> tunnels, List<RemotePortEntry> remotes) {
        runner.run(Iproute2.inNamespace(ns, "nft", "-f", "-"), script(tunnels, remotes));
    }

    /**
     * @param tunnels the namespace's tunnels
     * @param remotes its remote ports
     * @return the nft script replacing both overlay tables (only deleting them when there is no tunnel)
     */
    static String script(List<TunnelEntry> tunnels, List<RemotePortEntry> remotes) {
        StringBuilder s = new StringBuilder();
        s.append("table inet ").append(TABLE).append('\n').append("delete table inet ").append(TABLE).append('\n');
        s.append("table bridge ").append(TABLE).append('\n').append("delete table bridge ").append(TABLE)
                .append('\n');
        if (tunnels.isEmpty()) {
            return s.toString();
        }
        s.append("table inet ").append(TABLE).append(" {\n  set ").append(REMOTE_SET)
                .append(" {\n    type ipv4_addr;\n");
        List<String> elements = new ArrayList<>();
        for (RemotePortEntry r : remotes) {
            if (r.ip().indexOf(':') < 0) {
                elements.add(r.ip() + " comment \"" + r.port() + " " + r.node() + "\"");
            }
        }
        if (!elements.isEmpty()) {
            s.append("    elements = { ").append(String.join(", ", elements)).append(" }\n");
        }
        s.append("  }\n  chain remoteports {\n    type filter hook forward priority -10; policy accept;\n")
                .append("    ip daddr @").append(REMOTE_SET).append(" meta mark set ").append(MARK).append('\n')
                .append("  }\n}\n");
        s.append("table bridge ").append(TABLE).append(" {\n");
        String[][] hooks = {{"fromtunnel", "prerouting", "iifname"}, {"totunnel", "forward", "oifname"},
            {"localout", "output", "oifname"}};
        for (String[] hook : hooks) {
            s.append("  chain ").append(hook[0]).append(" {\n    type filter hook ").append(hook[1])
                    .append(" priority -10; policy accept;\n    ").append(hook[2]).append(" \"").append(TUNNEL)
                    .append("*\" ether type arp drop\n  }\n");
        }
        s.append("}\n");
        return s.toString();
    }
}
