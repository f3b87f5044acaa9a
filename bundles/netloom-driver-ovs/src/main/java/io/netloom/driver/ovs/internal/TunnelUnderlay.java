package io.netloom.driver.ovs.internal;

import java.util.Optional;

/**
 * Whether this host can send VXLAN from a tunnel's local address, asked before a tunnel entry is realised, so that
 * a host without its underlay fails the entry with the reason instead of realising flows that reach no other node.
 */
interface TunnelUnderlay {

    /** Accepts every address: for tests of the engine that prepare no underlay. */
    TunnelUnderlay UNCHECKED = address -> Optional.empty();

    /**
     * @param localAddress a tunnel entry's local address
     * @return why tunnels from that address cannot work on this host, or empty when they can
     */
    Optional<String> problem(String localAddress);
}
