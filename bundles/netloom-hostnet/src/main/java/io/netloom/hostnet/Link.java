package io.netloom.hostnet;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network device as {@code ip -d -j link show} reports it.
 *
 * @param ifindex the interface index, unique within its namespace
 * @param name the device name
 * @param mac the link-layer address, lower case; empty for devices that have none
 * @param mtu the MTU
 * @param up whether the device is administratively up (flag {@code UP})
 * @param operstate the operational state, such as {@code UP}, {@code DOWN}, {@code UNKNOWN}
 * @param master the bridge (or other master) it is attached to
 * @param alias the interface alias ({@code ifalias}), where drivers record what the device realises
 * @param kind the link kind ({@code veth}, {@code bridge}, ...), empty for a physical device or loopback
 * @param peerIfindex for a veth or other linked device whose peer is in another namespace, the ifindex of its peer
 *     there
 * @param peerName for a veth whose peer is in the same namespace, the peer's name ({@code ip} then prints no index)
 */
public record Link(int ifindex, String name, String mac, int mtu, boolean up, String operstate,
        Optional<String> master, Optional<String> alias, Optional<String> kind, OptionalInt peerIfindex,
        Optional<String> peerName) {

    /**
     * Checks that nothing is missing.
     */
    public Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(operstate, "operstate");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(peerIfindex, "peerIfindex");
        Objects.requireNonNull(peerName, "peerName");
    }
}
