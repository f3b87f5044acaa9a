package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InterfaceAddress;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.Link;

/**
 * What iproute2 says about one router namespace, read with one process: every device with its details and
 * addresses, the policy rules, the neighbour entries, the ids under which the namespace knows the other namespaces
 * (so that a port's host end tells where its peer lives), whether it forwards IPv4, and Netloom's route table. Both
 * the reader and the writer decide from a scan, so what counts as "in place" is said once.
 *
 * @param namespace the namespace
 * @param devices every device by name, as {@code ip -j -d addr show} prints it
 * @param rules {@code ip -j rule show} (IPv4)
 * @param neighbours {@code ip -j neigh show}
 * @param namespaceIds the names of the namespaces this one has ids for, by id ({@code ip netns list-id})
 * @param forwarding whether IPv4 forwarding is on ({@code net.ipv4.ip_forward})
 * @param tableRoutes the IPv4 routes of table {@value KernelNames#TABLE}; empty when it does not exist
 */
record RouterScan(String namespace, Map<String, JsonObject> devices, JsonArray rules, JsonArray neighbours,
        Map<Integer, String> namespaceIds, boolean forwarding, JsonArray tableRoutes) {

    /** The commands of a scan, in the order of the record's members; the table is last, as it may not exist. */
    private static final List<String> COMMANDS = List.of("addr show", "rule show", "neigh show", "netns list-id",
            "netconf show", "route show table " + KernelNames.TABLE);

    /**
     * @param runner runs ip
     * @param namespace a namespace
     * @return the scan
     * @throws HostCommandException when ip fails, for instance because the namespace is gone
     */
    static RouterScan read(CommandRunner runner, String namespace) {
        IpBatch.Read read = IpBatch.read(runner, namespace, COMMANDS);
        List<JsonArray> out = read.arrays();
        if (out.size() >= COMMANDS.size() - 1 && read.result().stderr().contains("table does not exist")) {
            // A router namespace being made has no table yet.
            out = new ArrayList<>(out.subList(0, COMMANDS.size() - 1));
            out.add(new JsonArray());
        } else if (read.result().exitCode() != 0 || out.size() != COMMANDS.size()) {
            throw new HostCommandException(read.argv(), read.result().exitCode(), read.result().stderr()
                    + " (printed " + read.arrays().size() + " of " + COMMANDS.size() + " results)");
        }
        Map<String, JsonObject> devices = new LinkedHashMap<>();
        for (JsonElement e : out.get(0)) {
            devices.put(e.getAsJsonObject().get("ifname").getAsString(), e.getAsJsonObject());
        }
        Map<Integer, String> ids = new HashMap<>();
        for (JsonElement e : out.get(3)) {
            JsonObject id = e.getAsJsonObject();
            if (id.has("nsid") && id.has("name")) {
                ids.put(id.get("nsid").getAsInt(), id.get("name").getAsString());
            }
        }
        boolean forwarding = false;
        for (JsonElement e : out.get(4)) {
            JsonObject conf = e.getAsJsonObject();
            if ("inet".equals(IpBatch.text(conf, "family")) && "all".equals(IpBatch.text(conf, "interface"))) {
                forwarding = isOn(conf.get("forwarding"));
            }
        }
        return new RouterScan(namespace, devices, out.get(1), out.get(2), ids, forwarding, out.get(5));
    }

    /** iproute2 prints netconf flags as booleans, older versions as "on" or numbers. */
    private static boolean isOn(JsonElement value) {
        if (value == null || !value.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        return p.isBoolean() ? p.getAsBoolean() : p.isNumber() ? p.getAsInt() != 0 : p.getAsString().equals("on");
    }

    /**
     * @param name a device name
     * @return the device
     */
    Optional<Link> link(String name) {
        return json(name).map(Iproute2::toLink);
    }

    /**
     * @param name a device name
     * @return the device as iproute2 printed it
     */
    Optional<JsonObject> json(String name) {
        return Optional.ofNullable(devices.get(name));
    }

    /**
     * @return every device as iproute2 printed it
     */
    Collection<JsonObject> allDevices() {
        return devices.values();
    }

    /**
     * @param name a device name
     * @return its addresses of global scope
     */
    List<InterfaceAddress> addresses(String name) {
        return json(name).map(IpBatch::addresses).orElse(List.of());
    }

    /**
     * @param device a device with a peer in another namespace (a veth end)
     * @return the name of the namespace its peer is in, when this namespace has a name for it
     */
    Optional<String> peerNamespace(JsonObject device) {
        return device.has("link_netnsid") ? Optional.ofNullable(namespaceIds.get(device.get("link_netnsid")
                .getAsInt())) : Optional.empty();
    }

    /**
     * @return whether rule {@value KernelNames#TABLE_RULE_PRIORITY} sends every lookup to Netloom's table
     */
    boolean tableRulePresent() {
        boolean rule = false;
        for (JsonElement e : rules) {
            JsonObject r = e.getAsJsonObject();
            rule |= r.get("priority").getAsInt() == KernelNames.TABLE_RULE_PRIORITY && !r.has("iif")
                    && KernelNames.TABLE.equals(IpBatch.text(r, "table"));
        }
        return rule;
    }

    /**
     * @return whether Netloom's table ends in {@code unreachable default}
     */
    boolean unreachableDefault() {
        for (JsonElement e : tableRoutes) {
            JsonObject route = e.getAsJsonObject();
            if ("unreachable".equals(IpBatch.text(route, "type")) && "default".equals(IpBatch.text(route, "dst"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param link a peering link end
     * @param peerMac the MAC of the other end
     * @return whether the link has the permanent neighbour entry for {@value KernelNames#LINK_GATEWAY}
     */
    boolean linkNeighbour(String link, String peerMac) {
        for (JsonElement e : neighbours) {
            JsonObject n = e.getAsJsonObject();
            if (link.equals(IpBatch.text(n, "dev")) && KernelNames.LINK_GATEWAY.equals(IpBatch.text(n, "dst"))
                    && peerMac.equals(IpBatch.text(n, "lladdr")) && n.has("state")
                    && n.getAsJsonArray("state").toString().contains("PERMANENT")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A policy rule to delete.
     *
     * @param priority its priority
     * @param iif the device it matches arriving traffic on
     */
    record StrayRule(String priority, String iif) {
    }

    /**
     * @return the rules for traffic arriving over a peering link that is gone: they would match nothing, but they
     *     are Netloom's litter
     */
    List<StrayRule> strayLinkRules() {
        List<StrayRule> stray = new ArrayList<>();
        for (JsonElement e : rules) {
            JsonObject r = e.getAsJsonObject();
            String iif = IpBatch.text(r, "iif");
            if (iif != null && iif.startsWith(KernelNames.LINK) && link(iif).isEmpty()) {
                stray.add(new StrayRule(r.get("priority").getAsString(), iif));
            }
        }
        return stray;
    }

    /**
     * @param link a peering link end
     * @param priority {@value KernelNames#PEER_RULE_PRIORITY} (lookup main) or one more (unreachable)
     * @return whether the rule of that priority for traffic arriving over the link is there
     */
    boolean linkRule(String link, int priority) {
        for (JsonElement e : rules) {
            JsonObject r = e.getAsJsonObject();
            if (link.equals(IpBatch.text(r, "iif")) && r.get("priority").getAsInt() == priority
                    && (priority == KernelNames.PEER_RULE_PRIORITY ? "main".equals(IpBatch.text(r, "table"))
                            : "unreachable".equals(IpBatch.text(r, "action")))) {
                return true;
            }
        }
        return false;
    }
}
