package io.netloom.driver.sim.internal;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
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
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;

/**
 * The simulated data plane: realises configurations in memory, so Netloom runs (and is tested) where neither Open
 * vSwitch nor the Linux bridge can. It is the embedded default driver.
 *
 * <p>The simulated data plane outlives the driver component, as a real one outlives its driver: stopping and
 * starting this bundle leaves what was programmed in place, and the reconciler finds it there.
 */
@Component(service = NetworkDriver.class)
@DriverType(SimulatedDriver.TYPE)
public class SimulatedDriver implements NetworkDriver {

    static final String TYPE = "sim";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDriver.class);

    /** The simulated data plane itself, per node: it survives the component (see the class comment). */
    static final Map<String, Map<String, ConfigEntry>> DATA_PLANE = new ConcurrentHashMap<>();

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
    public ApplyResult apply(Plan plan) {
        Map<String, ConfigEntry> entries = DATA_PLANE.computeIfAbsent(plan.node(), n -> new LinkedHashMap<>());
        // One lock per node: a plan is applied as one change, as an OpenFlow bundle or an nft transaction would be.
        synchronized (entries) {
            for (PlanStep step : plan.steps()) {
                if (step.op() == PlanStep.Op.ADD) {
                    entries.put(step.entry().key(), step.entry());
                } else {
                    entries.remove(step.entry().key());
                }
            }
        }
        LOG.debug("Applied {} step(s) to node {}", plan.steps().size(), plan.node());
        return ApplyResult.success();
    }
}
