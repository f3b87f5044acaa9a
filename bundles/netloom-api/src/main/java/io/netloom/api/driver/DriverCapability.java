package io.netloom.api.driver;

/**
 * Features a driver may implement; the reconciler only asks a driver for what it declares.
 */
public enum DriverCapability {
    /** Layer-2 forwarding between ports of one subnet. */
    L2_FORWARDING,
    /** Routing between subnets of a network and across active peerings. */
    L3_ROUTING,
    /** Stateful filtering (security groups). */
    STATEFUL_FIREWALL,
    /** Ports bound to network namespaces on the host. */
    NETNS_BINDING,
    /** Forwarding synthetic packets through the realised configuration without a real data plane. */
    PACKET_SIMULATION,
    /**
     * Address sets: filter rules that reference a set ({@link io.netloom.api.firewall.FilterRule#remoteSet()}) and
     * {@link AddressSetEntry set members} as entries of their own. A driver without it is handed every such rule
     * expanded into one rule per member address.
     */
    ADDRESS_SETS
}
