package io.netloom.api.model;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads ports.
 */
@ProviderType
public interface PortService {

    /**
     * @param caller who asks
     * @param networkIdOrName only the ports of this network, when given
     * @return the ports the caller sees, oldest first
     */
    List<Port> ports(Caller caller, Optional<String> networkIdOrName);

    /**
     * @param caller who asks
     * @param idOrName a port id or unique name
     * @return the port
     * @throws io.netloom.api.NotFoundException when there is none the caller sees
     */
    Port port(Caller caller, String idOrName);
}
