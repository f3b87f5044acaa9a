package io.netloom.api.explain;

import org.osgi.annotation.versioning.ProviderType;

import io.netloom.api.model.Caller;
import io.netloom.api.model.Protocol;

/**
 * Reachability, explained hop by hop: the source port's egress rules, its network's route table, the peering's
 * state and flags, and the destination port's ingress rules.
 */
@ProviderType
public interface ExplainService {

    /**
     * @param caller who asks; must see the source port
     * @param fromPort the source port id or name
     * @param to a destination port id or name, or an IP address
     * @param protocol {@code TCP}, {@code UDP} or {@code ICMP}
     * @param transportPort destination port for TCP/UDP, ignored for ICMP
     * @return the verdict and the hops walked
     */
    Explanation explain(Caller caller, String fromPort, String to, Protocol protocol, int transportPort);
}
