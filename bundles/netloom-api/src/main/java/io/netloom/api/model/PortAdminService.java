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
     * Creates many ports in one write, all or none: every port is validated against the model and against those
     * before it in the list (addresses and MACs stay unique), and the lot is committed, audited and announced
     * together, so the data planes get them in one go.
     *
     * @param caller who asks
     * @param specs the requests, 1 to 1,000
     * @return the ports in the order of {@code specs}, each {@code PENDING} until realised
     * @throws io.netloom.api.ValidationException for bad fields; the field of the {@code i}-th request's field
     *         {@code f} is {@code [i].f}
     * @throws io.netloom.api.ConflictException as for {@link #createPort}, with indexed fields
     */
    List<Port> createPorts(Caller caller, List<PortSpec> specs);

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

    /**
     * Changes a port's name, security groups or allowed address pairs in one write; what the update leaves empty
     * stays as it is.
     *
     * @param caller who asks
     * @param idOrName the port
     * @param update the change
     * @return the updated port
     * @throws io.netloom.api.ValidationException for bad fields ({@code INVALID_CIDR}, {@code INVALID_MAC},
     *         {@code RESERVED_ADDRESS_SPACE}, {@code TOO_MANY_ADDRESS_PAIRS}, {@code DUPLICATE_ADDRESS_PAIR}, with
     *         the field {@code allowedAddressPairs[i].ipAddress} or {@code .macAddress})
     */
    Port updatePort(Caller caller, String idOrName, PortUpdate update);

    /**
     * Quarantines a port (nothing passes in or out, established connections are cut) or releases it. Only an
     * administrator may; the change is audited.
     *
     * @param caller who asks; must write everywhere ({@code netloom-admin})
     * @param idOrName the port
     * @param quarantined {@code true} to isolate it, {@code false} to release it
     * @return the updated port
     * @throws io.netloom.api.ForbiddenException when the caller is not an administrator
     */
    Port setQuarantine(Caller caller, String idOrName, boolean quarantined);
}
