package io.netloom.agent.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.driver.NetworkDriver;

/**
 * The agent's work, one round at a time: wait for a newer configuration, realise it (or, when none came, the one
 * held, which repairs drift), report. Fail secure: while the controller cannot be reached nothing is applied or
 * removed, the data plane stays exactly as it is, and rounds are retried with a growing pause; the first round after
 * that asks for the whole configuration again (a resync), which changes nothing when nothing changed.
 */
final class AgentLoop {

    static final long MIN_BACKOFF_MILLIS = 500;
    /** The key under which a failure of the whole data plane (no driver, driver down) is reported. */
    static final String DRIVER_KEY = "driver";
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);

    private final String node;
    private final String driverType;
    private final ControllerClient controller;
    private final Supplier<Optional<NetworkDriver>> drivers;
    private final String version;
    private final Duration pollWait;
    private final long maxBackoffMillis;

    /** The configuration last fetched; only the loop's thread uses it. */
    private VersionedConfig held;
    /** The revision to poll after: 0 after a failure, so that the next answer is the whole configuration. */
    private long after;
    private long backoffMillis;
    private boolean unreachable;
    /** Whether the last report was refused or lost; written by whichever thread reports. */
    private volatile boolean reportFailing;
    /** What the last realisation did: read by the heartbeat. */
    private volatile Realiser.Outcome last;

    AgentLoop(String node, String driverType, ControllerClient controller, Supplier<Optional<NetworkDriver>> drivers,
            String version, Duration pollWait, Duration maxBackoff) {
        this.node = node;
        this.driverType = driverType;
        this.controller = controller;
        this.drivers = drivers;
        this.version = version;
        this.pollWait = pollWait;
        this.maxBackoffMillis = Math.max(MIN_BACKOFF_MILLIS, maxBackoff.toMillis());
    }

    /**
     * One round.
     *
     * @return how long to pause before the next round, in milliseconds (0: go on at once)
     */
    long round() {
        Realiser.Outcome before = last;
        boolean retrying = before != null && !before.failures().isEmpty();
        Optional<VersionedConfig> fetched;
        try {
            // After a failed realisation the held configuration is tried again soon, with a growing pause.
            fetched = controller.poll(after, retrying ? Duration.ofMillis(backoffMillis) : pollWait);
        } catch (IOException e) {
            after = 0;
            if (!unreachable) {
                LOG.warn("The controller cannot be reached ({}): the data plane is left exactly as it is; retrying",
                        e.toString());
                unreachable = true;
            }
            return nextBackoff();
        }
        if (unreachable) {
            LOG.info("The controller is reachable again: resyncing node {}", node);
            unreachable = false;
        }
        if (fetched.isPresent()) {
            VersionedConfig config = fetched.get();
            if (!node.equals(config.config().node())) {
                LOG.error("The controller sent the configuration of node {} to node {}: refused, nothing applied",
                        config.config().node(), node);
                after = 0;
                return nextBackoff();
            }
            held = config;
            after = config.revision();
        }
        if (held == null) {
            return 0;
        }
        Realiser.Outcome outcome = realise(held);
        last = outcome;
        if (fetched.isPresent() || outcome.changes() > 0 || !outcome.failures().isEmpty()) {
            LOG.info("Realised revision {} of node {}: {} change(s), {} failure(s)", outcome.revision(), node,
                    outcome.changes(), outcome.failures().size());
        }
        report();
        if (outcome.failures().isEmpty()) {
            backoffMillis = 0;
        } else {
            nextBackoff();
        }
        return 0;
    }

    private Realiser.Outcome realise(VersionedConfig config) {
        Optional<NetworkDriver> driver = drivers.get();
        if (driver.isEmpty()) {
            return new Realiser.Outcome(config.revision(), 0, Map.of(DRIVER_KEY, "No " + driverType
                    + " driver is running on this node: the data plane is left as it is"));
        }
        try {
            return Realiser.realise(node, config, driver.get());
        } catch (RuntimeException e) {
            LOG.warn("Realising revision {} of node {} failed: {}", config.revision(), node, e.toString());
            return new Realiser.Outcome(config.revision(), 0, Map.of(DRIVER_KEY, "The " + driverType
                    + " driver failed: " + e.getMessage()));
        }
    }

    private long nextBackoff() {
        backoffMillis = backoffMillis == 0 ? MIN_BACKOFF_MILLIS : Math.min(maxBackoffMillis, backoffMillis * 2);
        return backoffMillis;
    }

    /**
     * @return what to report now: the revision last realised (0 before any) and its failures
     */
    AgentReport currentReport() {
        Realiser.Outcome at = last;
        return new AgentReport(at == null ? 0 : at.revision(), version, at == null ? Map.of() : at.failures());
    }

    /** Sends the current report (after a realisation, and as the heartbeat); a failure is retried next time. */
    void report() {
        try {
            controller.report(currentReport());
            if (reportFailing) {
                LOG.info("The heartbeat of node {} is taken again", node);
                reportFailing = false;
            }
        } catch (IOException e) {
            if (!reportFailing) {
                LOG.warn("The heartbeat of node {} was not taken: {}", node, e.toString());
                reportFailing = true;
            }
        }
    }

    /**
     * @return the configuration last fetched, if any
     */
    Optional<VersionedConfig> held() {
        return Optional.ofNullable(held);
    }
}
