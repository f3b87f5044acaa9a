package io.netloom.examples.vendor;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;

/**
 * What both example drivers share: a data plane that stands in for a vendor's device by holding each node's
 * entries in memory. A real driver would translate each {@link PlanStep} into the device's own API in
 * {@link #apply}, and read the device back in {@link #readActual}; everything else about being a Netloom driver
 * (the component, its {@code driver.type}, its ranking) is in the subclasses.
 *
 * <p>The entries live as long as the driver component: when the bundle stops they are gone, and the reconciler,
 * reading an empty configuration from the restarted driver, programs everything again. A real device keeps its
 * state, and the reconciler would only apply the difference.
 */
abstract class InMemoryDriver implements NetworkDriver {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryDriver.class);

    private final Map<String, Map<String, ConfigEntry>> nodes = new ConcurrentHashMap<>();

    @Override
    public DriverHealth health() {
        return DriverHealth.up();
    }

    /**
     * {@inheritDoc}
     *
     * <p>No {@link DriverCapability#PACKET_SIMULATION} or {@link DriverCapability#NETNS_BINDING}: an example
     * device forwards no packets and binds nothing on the host.
     */
    @Override
    public Set<DriverCapability> capabilities() {
        return EnumSet.of(DriverCapability.L2_FORWARDING, DriverCapability.L3_ROUTING,
                DriverCapability.STATEFUL_FIREWALL);
    }

    @Override
    public NodeConfig readActual(String node) {
        Objects.requireNonNull(node, "node");
        Map<String, ConfigEntry> entries = nodes.get(node);
        if (entries == null) {
            return NodeConfig.empty(node);
        }
        synchronized (entries) {
            return new NodeConfig(node, new LinkedHashMap<>(entries));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The steps are applied in order under one lock per node, so a reader never sees half a plan; an in-memory
     * store fails no step.
     */
    @Override
    public ApplyResult apply(Plan plan) {
        Map<String, ConfigEntry> entries = nodes.computeIfAbsent(plan.node(), n -> new LinkedHashMap<>());
        int added = 0;
        int removed = 0;
        int held;
        synchronized (entries) {
            for (PlanStep step : plan.steps()) {
                LOG.debug("{} node {}: {} {}", name(), plan.node(), step.op(), step.entry());
                if (step.op() == PlanStep.Op.ADD) {
                    entries.put(step.entry().key(), step.entry());
                    added++;
                } else {
                    entries.remove(step.entry().key());
                    removed++;
                }
            }
            held = entries.size();
        }
        LOG.info("{} node {}: applied {} addition(s) and {} removal(s); it holds {} entries", name(), plan.node(),
                added, removed, held);
        return ApplyResult.success();
    }
}
