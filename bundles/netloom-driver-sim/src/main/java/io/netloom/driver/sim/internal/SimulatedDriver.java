package io.netloom.driver.sim.internal;

import java.util.EnumSet;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.NetworkDriver;

/**
 * The simulated data plane: realises configurations in memory, so Netloom runs (and is tested) where neither Open
 * vSwitch nor the Linux bridge can. It is the embedded default driver.
 */
@Component(service = NetworkDriver.class)
@DriverType(SimulatedDriver.TYPE)
public class SimulatedDriver implements NetworkDriver {

    static final String TYPE = "sim";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDriver.class);

    @Activate
    void activate() {
        LOG.info("Simulated data plane started");
    }

    @Deactivate
    void deactivate() {
        LOG.info("Simulated data plane stopped");
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
}
