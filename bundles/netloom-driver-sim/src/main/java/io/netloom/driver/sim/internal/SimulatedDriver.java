package io.netloom.driver.sim.internal;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.PacketSimulator;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.model.Protocol;

/**
 * The simulated data plane: realises configurations in memory, so Netloom runs (and is tested) where neither Open
 * vSwitch nor the Linux bridge can. It is the embedded default driver.
 *
 * <p>It is also the {@link PacketSimulator} of type {@value #TYPE}: {@link #send} forwards a synthetic packet through
 * what {@link #apply} realised, with {@link SimForwarder} (which documents the walk and how a reply is sent).
 *
 * <p>The simulated data plane outlives the driver component, as a real one outlives its driver: stopping and
 * starting this bundle leaves what was programmed in place, and the reconciler finds it there. Its flow table
 * (connection tracking) survives as well, as the kernel's would.
 */
@Component(service = {NetworkDriver.class, PacketSimulator.class})
@DriverType(SimulatedDriver.TYPE)
public class SimulatedDriver implements NetworkDriver, PacketSimulator {

    static final String TYPE = "sim";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDriver.class);

    /** The simulated data plane itself, per node: it survives the component (see the class comment). */
    static final Map<String, Map<String, ConfigEntry>> DATA_PLANE = new ConcurrentHashMap<>();

    /** The established flows, per node; kept beside the data plane for the same reason. */
    static final Map<String, FlowTable> FLOWS = new ConcurrentHashMap<>();

    @Activate
    void activate() {
        LOG.info("Simulated data plane started; it holds {} node(s)", DATA_PLANE.size());
    }

    @Deactivate
    void deactivate() {
        LOG.info("Simulated data plane driver stopped; the data plane is left as it is");
    }

    @Override
    public String name() {
        return "Simulated data plane";
    }

    @Override
    public DriverHealth health() {
        return DriverHealth.up();
    }

    @Override
    public Set<DriverCapability> capabilities() {
        return EnumSet.allOf(DriverCapability.class);
    }

    @Override
    public NodeConfig readActual(String node) {
        Map<String, ConfigEntry> entries = DATA_PLANE.get(node);
        if (entries == null) {
            return NodeConfig.empty(node);
        }
        synchronized (entries) {
            return new NodeConfig(node, new LinkedHashMap<>(entries));
        }
    }

    @Override
    public NodeConfig readActual(String node, Collection<String> keys) {
        Map<String, ConfigEntry> entries = DATA_PLANE.get(node);
        if (entries == null) {
            return NodeConfig.empty(node);
        }
        Map<String, ConfigEntry> wanted = new HashMap<>();
        synchronized (entries) {
            for (String key : keys) {
                ConfigEntry entry = entries.get(key);
                if (entry != null) {
                    wanted.put(key, entry);
                }
            }
        }
        return new NodeConfig(node, wanted);
    }

    /**
     * {@inheritDoc}
     *
     * <p>An entry the forwarder could not use (an address or prefix that is not one, a peering route without its
     * peer network) is refused, as a real data plane refuses a malformed flow or rule: its step is reported as
     * failed and the entry is not installed.
     */
    @Override
    public ApplyResult apply(Plan plan) {
        Map<String, ConfigEntry> entries = DATA_PLANE.computeIfAbsent(plan.node(), n -> new LinkedHashMap<>());
        Map<String, String> failures = new LinkedHashMap<>();
        // One lock per node: a plan is applied as one change, as an OpenFlow bundle or an nft transaction would be.
        synchronized (entries) {
            for (PlanStep step : plan.steps()) {
                ConfigEntry entry = step.entry();
                if (step.op() == PlanStep.Op.REMOVE) {
                    entries.remove(entry.key());
                    continue;
                }
                Optional<String> problem = SimForwarder.problem(entry);
                if (problem.isPresent()) {
                    failures.put(entry.key(), problem.get());
                } else {
                    entries.put(entry.key(), entry);
                }
            }
        }
        if (failures.isEmpty()) {
            LOG.debug("Applied {} step(s) to node {}", plan.steps().size(), plan.node());
        } else {
            LOG.warn("Applied {} step(s) to node {}; refused {}: {}", plan.steps().size(), plan.node(),
                    failures.size(), failures);
        }
        return new ApplyResult(failures);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A packet sent from the destination port of a delivered flow back to its source's address, with the same
     * protocol and destination port as the flow, is that flow's reply and passes statefully; see
     * {@link SimForwarder}. A node with nothing realised has no ports, so nothing is delivered from it.
     *
     * @throws IllegalArgumentException when the node is not given, the protocol is {@code ANY} or missing, a TCP or
     *     UDP port is outside 1-65535, or the destination is not one IP address
     */
    @Override
    public Delivery send(String node, String fromPort, String toAddress, Protocol protocol, int transportPort) {
        if (node == null) {
            throw new IllegalArgumentException("Name the node");
        }
        FlowTable flows = FLOWS.computeIfAbsent(node, n -> new FlowTable());
        Delivery delivery = new SimForwarder(readActual(node), flows).send(fromPort, toAddress, protocol,
                transportPort);
        LOG.debug("Simulated {} {} -> {} ({}) on {}: {}", protocol, fromPort, toAddress, transportPort, node,
                delivery.reason());
        return delivery;
    }

    @Override
    public void resetFlows() {
        int forgotten = FLOWS.values().stream().mapToInt(FlowTable::size).sum();
        FLOWS.values().forEach(FlowTable::clear);
        LOG.debug("Forgot {} established flow(s)", forgotten);
    }
}
