package io.netloom.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An attachment point of a network: one address in one subnet (or none: an L2-only port, which gets no IP-based
 * rules and is not bound to a workload yet), with its MAC and security groups.
 *
 * @param id server-generated id
 * @param name the user's name for it
 * @param tenant the tenant it belongs to (that of its network)
 * @param network the id of its network
 * @param subnet the id of its subnet, or {@code null} for a port without an address
 * @param ip its address, allocated by IPAM unless given, or {@code null} for a port without an address
 * @param mac its MAC address, unique in its network, generated unless given
 * @param securityGroups ids of its security groups; empty means the network's default group
 * @param binding where it is attached on the host, or {@code null} when it is not bound
 * @param createdAt when it was created
 * @param status how far it is realised
 * @param statusDetail a sentence explaining the status, empty when there is nothing to add
 * @param quarantined whether an administrator has isolated it: nothing passes in or out, whatever its groups say,
 *     and its established connections are cut
 * @param allowedAddressPairs extra source prefixes (with their MACs) port security lets it send from; empty for none
 *     ({@code null} is read as empty, as in a port stored before pairs existed)
 * @param host the id of the node it is placed on; {@code null} only in a port built without one, which stands for
 *     the local node of its network's driver type ({@link Node#localId})
 * @param adminDown whether its owner has set it administratively down: like a quarantine, nothing passes in or
 *     out, but its owner sets and clears it ({@code false}, up, in a port stored before the flag existed)
 */
public record Port(String id, String name, String tenant, String network, String subnet, String ip, String mac,
        List<String> securityGroups, Binding binding, Instant createdAt, RealisationStatus status,
        String statusDetail, boolean quarantined, List<AddressPair> allowedAddressPairs, String host,
        boolean adminDown) {

    /**
     * Checks that no required component is missing and freezes the lists.
     */
    public Port {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(network, "network");
        if ((subnet == null) != (ip == null)) {
            throw new IllegalArgumentException("A port has both a subnet and an address, or neither");
        }
        Objects.requireNonNull(mac, "mac");
        securityGroups = List.copyOf(securityGroups);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusDetail, "statusDetail");
        allowedAddressPairs = allowedAddressPairs == null ? List.of() : List.copyOf(allowedAddressPairs);
    }

    /**
     * A port that is administratively up.
     */
    public Port(String id, String name, String tenant, String network, String subnet, String ip, String mac,
            List<String> securityGroups, Binding binding, Instant createdAt, RealisationStatus status,
            String statusDetail, boolean quarantined, List<AddressPair> allowedAddressPairs, String host) {
        this(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status, statusDetail,
                quarantined, allowedAddressPairs, host, false);
    }

    /**
     * A port without a named host (placed on the local node of its network's driver type).
     */
    public Port(String id, String name, String tenant, String network, String subnet, String ip, String mac,
            List<String> securityGroups, Binding binding, Instant createdAt, RealisationStatus status,
            String statusDetail, boolean quarantined, List<AddressPair> allowedAddressPairs) {
        this(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status, statusDetail,
                quarantined, allowedAddressPairs, null);
    }

    /**
     * A port without allowed address pairs.
     */
    public Port(String id, String name, String tenant, String network, String subnet, String ip, String mac,
            List<String> securityGroups, Binding binding, Instant createdAt, RealisationStatus status,
            String statusDetail, boolean quarantined, String host) {
        this(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status, statusDetail,
                quarantined, List.of(), host);
    }

    /**
     * A port without allowed address pairs or a named host.
     */
    public Port(String id, String name, String tenant, String network, String subnet, String ip, String mac,
            List<String> securityGroups, Binding binding, Instant createdAt, RealisationStatus status,
            String statusDetail, boolean quarantined) {
        this(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status, statusDetail,
                quarantined, List.of(), (String) null);
    }

    /**
     * A port that is not quarantined, without allowed address pairs or a named host.
     */
    public Port(String id, String name, String tenant, String network, String subnet, String ip, String mac,
            List<String> securityGroups, Binding binding, Instant createdAt, RealisationStatus status,
            String statusDetail) {
        this(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status, statusDetail,
                false);
    }

    /**
     * @return whether it has an address (and a subnet); a port without one is L2 only
     */
    public boolean hasAddress() {
        return ip != null;
    }

    /**
     * @return the binding, when the port is bound
     */
    public Optional<Binding> bindingIfAny() {
        return Optional.ofNullable(binding);
    }

    /**
     * @param status the status the reconciler reports
     * @param detail its explanation
     * @return this port with that status
     */
    public Port withStatus(RealisationStatus status, String detail) {
        return new Port(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status,
                detail, quarantined, allowedAddressPairs, host, adminDown);
    }

    /**
     * @param driverType the driver type of its network
     * @return the id of the node it is placed on: its host, or the local node of {@code driverType}
     */
    public String hostOr(String driverType) {
        return host != null ? host : Node.localId(driverType);
    }

    /**
     * @param node the id of the node it is placed on
     * @return this port placed there
     */
    public Port withHost(String node) {
        return new Port(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status,
                statusDetail, quarantined, allowedAddressPairs, node, adminDown);
    }

    /**
     * @param groups ids of its security groups; empty means the network's default group
     * @return this port with those groups
     */
    public Port withSecurityGroups(List<String> groups) {
        return new Port(id, name, tenant, network, subnet, ip, mac, groups, binding, createdAt, status, statusDetail,
                quarantined, allowedAddressPairs, host, adminDown);
    }

    /**
     * @param isolated whether it is quarantined
     * @return this port quarantined or released
     */
    public Port withQuarantine(boolean isolated) {
        return new Port(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status,
                statusDetail, isolated, allowedAddressPairs, host, adminDown);
    }

    /**
     * @param newName the new name
     * @return this port renamed
     */
    public Port withName(String newName) {
        return new Port(id, newName, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status,
                statusDetail, quarantined, allowedAddressPairs, host, adminDown);
    }

    /**
     * @param pairs its allowed address pairs, empty for none
     * @return this port with those pairs
     */
    public Port withAllowedAddressPairs(List<AddressPair> pairs) {
        return new Port(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status,
                statusDetail, quarantined, pairs, host, adminDown);
    }

    /**
     * @param newSubnet the id of its new subnet
     * @param newIp its new address in that subnet
     * @return this port with that address
     */
    public Port withAddress(String newSubnet, String newIp) {
        return new Port(id, name, tenant, network, newSubnet, newIp, mac, securityGroups, binding, createdAt, status,
                statusDetail, quarantined, allowedAddressPairs, host, adminDown);
    }

    /**
     * @param down whether it is administratively down
     * @return this port set down or up
     */
    public Port withAdminDown(boolean down) {
        return new Port(id, name, tenant, network, subnet, ip, mac, securityGroups, binding, createdAt, status,
                statusDetail, quarantined, allowedAddressPairs, host, down);
    }

    /**
     * @return whether nothing may pass in or out of it: quarantined or administratively down
     */
    public boolean isolated() {
        return quarantined || adminDown;
    }
}
