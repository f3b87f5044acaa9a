package io.netloom.reconciler.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.NodeConfig;

/**
 * The desired configuration of each registered host as the reconciler last published it, the agents waiting for a
 * newer one, and what each host's agent last reported. A configuration keeps its revision while its content does
 * not change, so an agent is woken only when it has something to apply. Thread-safe: one lock guards everything.
 */
final class HostConfigs {

    /** One host: its published configuration, the last pass that published it, and its agent's last report. */
    private static final class Host {
        VersionedConfig config;
        /** The highest revision a pass covered when it last published (changed or not) this configuration. */
        long covered;
        AgentReport report;
        final List<Waiter> waiters = new ArrayList<>();
    }

    private record Waiter(long after, CompletableFuture<VersionedConfig> future) {
    }

    private final Map<String, Host> hosts = new HashMap<>();

    /**
     * Publishes what a pass computed for a host.
     *
     * @param node the host
     * @param desired its desired entries (copied when they changed)
     * @param revision the highest revision the pass covers
     * @return whether the content changed (agents waiting for it were handed it)
     */
    synchronized boolean publish(String node, Map<String, ConfigEntry> desired, long revision) {
        Host host = hosts.computeIfAbsent(node, n -> new Host());
        host.covered = Math.max(host.covered, revision);
        if (host.config != null && host.config.config().entries().equals(desired)) {
            return false;
        }
        long at = host.config == null ? revision : Math.max(revision, host.config.revision() + 1);
        host.config = new VersionedConfig(at, new NodeConfig(node, desired));
        var it = host.waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (w.future.isDone() || at > w.after) {
                it.remove();
                w.future.complete(host.config);
            }
        }
        return true;
    }

    /**
     * @param node a host
     * @return its published configuration
     */
    synchronized Optional<VersionedConfig> config(String node) {
        Host host = hosts.get(node);
        return host == null ? Optional.empty() : Optional.ofNullable(host.config);
    }

    /**
     * @param node a host
     * @param after the revision the agent holds
     * @return a future completed with a configuration whose revision is above {@code after}
     */
    synchronized CompletableFuture<VersionedConfig> newer(String node, long after) {
        Host host = hosts.computeIfAbsent(node, n -> new Host());
        CompletableFuture<VersionedConfig> future = new CompletableFuture<>();
        if (host.config != null && host.config.revision() > after) {
            future.complete(host.config);
        } else {
            host.waiters.removeIf(w -> w.future.isDone());
            host.waiters.add(new Waiter(after, future));
        }
        return future;
    }

    /**
     * @param node a host
     * @param report its agent's report
     * @return whether it says something new (another revision or other failures)
     */
    synchronized boolean report(String node, AgentReport report) {
        Host host = hosts.computeIfAbsent(node, n -> new Host());
        AgentReport before = host.report;
        host.report = report;
        return before == null || before.realisedRevision() != report.realisedRevision()
                || !before.failures().equals(report.failures());
    }

    /**
     * @param node a host
     * @return the revision up to which the host has realised the model: the last covered revision when its agent
     *     holds the published configuration without failures; empty when it does not
     */
    synchronized Optional<Long> realisedUpTo(String node) {
        Host host = hosts.get(node);
        if (host == null || host.config == null || host.report == null
                || host.report.realisedRevision() < host.config.revision() || !host.report.failures().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(host.covered);
    }

    /**
     * @param node a host
     * @return what its agent last reported
     */
    synchronized Optional<AgentReport> report(String node) {
        Host host = hosts.get(node);
        return host == null ? Optional.empty() : Optional.ofNullable(host.report);
    }

    /**
     * @return the hosts with a published configuration
     */
    synchronized Set<String> published() {
        Set<String> names = new HashSet<>();
        hosts.forEach((node, host) -> {
            if (host.config != null) {
                names.add(node);
            }
        });
        return names;
    }

    /**
     * Forgets the hosts that no longer exist; their waiting agents are left to time out.
     *
     * @param live the hosts that exist
     */
    synchronized void retain(Set<String> live) {
        hosts.keySet().retainAll(live);
    }
}
