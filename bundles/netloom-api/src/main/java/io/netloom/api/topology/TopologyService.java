package io.netloom.api.topology;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Caller;

/**
 * The graph of what the caller sees.
 */
@ProviderType
public interface TopologyService {

    /**
     * @param caller who asks
     * @return the topology of the objects the caller sees
     */
    Topology topology(Caller caller);
}
