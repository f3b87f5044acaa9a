package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates, changes and deletes ports; allocates their addresses (IPAM) and MACs.
 */
@ProviderType
public interface PortAdminService extends PortService {

    /**
     * @param caller who asks
     * @param spec the request
     * @return the port with its allocated IP and MAC, {@code PENDING} until realised
     * @throws io.netloom.api.ValidationException for bad fields
     * @throws io.netloom.api.ConflictException {@code ADDRESS_IN_USE}, {@code MAC_IN_USE}, {@code SUBNET_EXHAUSTED}
     */
    Port createPort(Caller caller, PortSpec spec);

    /**
     * @param caller who asks
     * @param idOrName the port
     */
    void deletePort(Caller caller, String idOrName);

    /**
     * Replaces a port's security groups.
     *
     * @param caller who asks
     * @param idOrName the port
     * @param groups group ids or names; empty for the network's default group
     * @return the updated port
     */
    Port setSecurityGroups(Caller caller, String idOrName, List<String> groups);
}
