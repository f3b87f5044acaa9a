package io.netloom.api.agent;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The desired configuration of each registered host, as the reconciler computes it, and what the hosts' agents
 * report they realised. Callers are trusted components (the REST layer checks that a node reads only its own).
 */
@ProviderType
public interface NodeConfigService {

    /**
     * @param node a registered host's id
     * @return its desired configuration, once a pass of the reconciler has computed it
     */
    Optional<VersionedConfig> config(String node);

    /**
     * Waits for a newer configuration: the future completes with the node's configuration as soon as its revision
     * is above {@code after} (at once when it already is). The caller bounds the wait and cancels the future.
     *
     * @param node a registered host's id
     * @param after the revision the caller holds (0 for none)
     * @return the newer configuration, when there is one
     */
    CompletableFuture<VersionedConfig> newer(String node, long after);

    /**
     * Takes an agent's report: the revision it realised goes into the realisation ledger (so {@code ?wait} returns
     * once the host realised a write) and its ports' status follows what it reports.
     *
     * @param node a registered host's id
     * @param report what its agent reports
     */
    void report(String node, AgentReport report);
}
