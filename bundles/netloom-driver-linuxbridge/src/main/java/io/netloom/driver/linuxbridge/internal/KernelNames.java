package io.netloom.driver.linuxbridge.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

import io.netloom.hostnet.DeviceNames;
import io.netloom.hostnet.NetnsBinding;

/**
 * Every kernel object name and alias the driver uses, made from ids only (see {@link DeviceNames}), and the alias
 * texts that record on a device which Netloom object it realises, so that the kernel itself is the driver's memory.
 *
 * <p>Prefixes end in a letter that is not a hex digit, so that no generated name of one kind can be read as one of
 * another: {@code nlr} router namespace, {@code nlbr} subnet bridge, {@code nlk} peering link end, {@code nlh} and
 * {@code nlp} port veth ends ({@link NetnsBinding}).
 */
final class KernelNames {

    /** Prefix of router namespace names. */
    static final String ROUTER = "nlr";
    /** Prefix of bridge names. */
    static final String BRIDGE = "nlbr";
    /** Prefix of peering link ends. */
    static final String LINK = "nlk";
    /** Prefix of the nftables sets holding an address set's IPv4 addresses. */
    static final String ADDRESS_SET_V4 = "as4";
    /** Prefix of the nftables sets holding an address set's IPv6 addresses. */
    static final String ADDRESS_SET_V6 = "as6";
    /** The routing table of Netloom's routes in each router namespace. */
    static final String TABLE = "200";
    /** The next hop every peering route names; it is never an address of anything, only a neighbour entry. */
    static final String LINK_GATEWAY = "169.254.0.1";
    /** Priority of the rules that keep traffic arriving over a peering inside the network (iif LINK lookup main). */
    static final int PEER_RULE_PRIORITY = 1000;
    /**
     * Priority of the rule that sends traffic arriving over a peering link to the appliances the other network's
     * next hops name in this one (iif LINK lookup {@link #applianceTable}); a lookup that finds nothing there goes
     * on to the rules of {@link #PEER_RULE_PRIORITY}.
     */
    static final int APPLIANCE_RULE_PRIORITY = PEER_RULE_PRIORITY - 1;
    /** Priority of the rule that makes everything else look up {@link #TABLE}. */
    static final int TABLE_RULE_PRIORITY = 2000;
    /** Name of the nftables tables (inet and bridge families) in every router namespace. */
    static final String NFT_TABLE = "netloom";
    /**
     * Name of the nftables set, in each router namespace's inet table, that records the address-set members whose
     * port is in that network: one element per member, so membership reads back per port (see {@link #member}).
     */
    static final String MEMBERS_SET = "members";

    private static final String ALIAS = "netloom";
    /** The controller's own node of this driver type. */
    static final String LOCAL_NODE = "node-linuxbridge";

    private KernelNames() {
    }

    /** The router namespace of a network on the controller's own node. */
    static String routerNamespace(String networkId) {
        return routerNamespace(networkId, LOCAL_NODE);
    }

    /**
     * The router namespace of a network on a node. The controller's own node keeps the name it always had (made
     * from the network id); a registered host's namespace is named from the network and the host, so that the
     * agents of several hosts in namespaces of one kernel (and the controller beside them) never share one.
     *
     * @param networkId the network
     * @param node the node whose data plane it is; {@code null} or the local node for the controller's own
     */
    static String routerNamespace(String networkId, String node) {
        return node == null || LOCAL_NODE.equals(node) ? DeviceNames.of(ROUTER, networkId)
                : DeviceNames.of(ROUTER, networkId + "|" + node);
    }

    static String bridge(String subnetId) {
        return DeviceNames.of(BRIDGE, subnetId);
    }

    /** The end of a peering's link that lives in {@code networkId}'s router namespace. */
    static String link(String peeringId, String networkId) {
        return DeviceNames.of(LINK, peeringId + "|" + networkId);
    }

    /**
     * The routing table, in a peer network's router namespace, of the routes a network's static routes send through
     * that peer's appliances: one per (namespace, network the traffic comes from).
     */
    static String applianceTable(String fromNetworkId) {
        return Integer.toString(10000 + Math.floorMod(fromNetworkId.hashCode(), 50000));
    }

    static String egressChain(String portId) {
        return DeviceNames.of("eg", portId);
    }

    static String ingressChain(String portId) {
        return DeviceNames.of("in", portId);
    }

    /**
     * The nftables set that holds an address set's IPv4 or IPv6 addresses, in every router namespace whose rules
     * reference it; a name made from the set's id only, so it is a valid nft identifier whatever the id.
     */
    static String addressSet(String setId, boolean ipv6) {
        return DeviceNames.of(ipv6 ? ADDRESS_SET_V6 : ADDRESS_SET_V4, setId);
    }

    /** The element of {@link #MEMBERS_SET} that records one member of an address set. */
    static String member(String setId, String portId) {
        return DeviceNames.of("m", setId + "|" + portId);
    }

    /**
     * A deterministic locally administered MAC for a peering link end, so the other end can hold a permanent
     * neighbour entry for it without asking.
     */
    static String linkMac(String peeringId, String networkId) {
        String hex = link(peeringId, networkId).substring(LINK.length());
        return "02:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6) + ":"
                + hex.substring(6, 8) + ":" + hex.substring(8, 10);
    }

    /**
     * The alias of a router namespace's {@code lo}: the network it realises and its owner, the Netloom instance and
     * the node whose data plane it is.
     */
    static String networkAlias(String networkId, String instance, String node) {
        return alias("network", networkId, instance, node);
    }

    /**
     * Whose a router namespace is.
     *
     * @param network the network it realises
     * @param instance the Netloom instance that made it, {@code null} for a namespace made before namespaces named
     *     their owner (adopted by whichever instance reads it)
     * @param node the node whose data plane it is, {@code null} likewise
     */
    record Owner(String network, String instance, String node) {

        /** Whether it is the namespace of that instance and node (or made before owners were recorded). */
        boolean isOf(String ownInstance, String ownNode) {
            return instance == null || instance.equals(ownInstance) && (ownNode == null || node.equals(ownNode));
        }
    }

    /**
     * @param alias the alias of a router namespace's {@code lo}
     * @return its owner, when the alias is one of Netloom's
     */
    static Optional<Owner> owner(Optional<String> alias) {
        Optional<List<String>> owned = parseAlias(alias, "network", 3);
        if (owned.isPresent()) {
            return Optional.of(new Owner(owned.get().get(0), owned.get().get(1), owned.get().get(2)));
        }
        return parseAlias(alias, "network", 1).map(legacy -> new Owner(legacy.get(0), null, null));
    }

    /**
     * The MAC address a subnet's bridge is made with on a node: locally administered, unicast, from a hash of the
     * subnet and the node, so that it never changes. A bridge made without one takes the lowest MAC of its ports
     * and changes it as ports come, and a change of the bridge's MAC wipes its neighbour table, permanent entries
     * included (the overlay's neighbours of remote ports).
     *
     * @param subnetId the subnet
     * @param node the node
     * @return the address, such as {@code 02:3f:a1:09:7c:d2}
     */
    static String bridgeMac(String subnetId, String node) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest((subnetId + "|" + node).getBytes(
                    StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            mac.append(String.format(":%02x", hash[i] & 0xff));
        }
        return mac.toString();
    }

    static String segmentAlias(String subnetId, String networkId) {
        return alias("segment", subnetId, networkId);
    }

    static String portAlias(String portId, String bindingType, String bindingTarget, String ip, String mac) {
        return alias("port", portId, bindingType == null ? "-" : bindingType,
                bindingTarget == null ? "-" : bindingTarget, ip, mac);
    }

    static String peeringAlias(String peeringId, String peerNetwork, boolean allowForwarded) {
        return alias("peering", peeringId, peerNetwork, allowForwarded ? "1" : "0");
    }

    private static String alias(String kind, String... fields) {
        StringBuilder text = new StringBuilder(ALIAS).append(' ').append(kind);
        for (String f : fields) {
            if (f.isEmpty() || f.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("'" + f + "' cannot be recorded in a device alias");
            }
            text.append(' ').append(f);
        }
        return text.toString();
    }

    /**
     * @param alias a device alias, or empty
     * @param kind the kind of object expected
     * @param fields how many fields that kind has
     * @return the fields, when the alias is Netloom's and of that kind
     */
    static Optional<List<String>> parseAlias(Optional<String> alias, String kind, int fields) {
        if (alias.isEmpty()) {
            return Optional.empty();
        }
        String[] words = alias.get().split(" ");
        if (words.length != fields + 2 || !words[0].equals(ALIAS) || !words[1].equals(kind)) {
            return Optional.empty();
        }
        return Optional.of(List.of(words).subList(2, words.length));
    }

    /** Unbound ports get a veth pair whose far end stays, down, in the router namespace. */
    static String unboundEnd(String portId) {
        return NetnsBinding.namespaceDevice(portId);
    }
}
