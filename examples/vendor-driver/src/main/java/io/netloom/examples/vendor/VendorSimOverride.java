package io.netloom.examples.vendor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.NetworkDriver;

/**
 * Shows how a vendor replaces a built-in driver type: a driver of type {@code sim} with {@code service.ranking} 100
 * outranks the built-in simulator (ranking 0), so Netloom uses it for every {@code sim} network while it is
 * registered and falls back to the built-in one when it leaves.
 *
 * <p>It only activates when its configuration {@value #PID} exists ({@code etc/io.netloom.examples.override.cfg}),
 * so installing this bundle adds the {@code vendorx} type without taking over {@code sim} by surprise. Deleting the
 * file deactivates it.
 */
@Component(service = NetworkDriver.class, configurationPid = VendorSimOverride.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "service.ranking:Integer=100")
@DriverType("sim")
@Designate(ocd = VendorSimOverride.Config.class)
public class VendorSimOverride extends InMemoryDriver {

    /** The configuration that switches the override on. */
    public static final String PID = "io.netloom.examples.override";

    private static final Logger LOG = LoggerFactory.getLogger(VendorSimOverride.class);

    /** The override's configuration; that it exists at all is what matters. */
    @ObjectClassDefinition(name = "Netloom example: override of the sim driver",
            description = "While this configuration exists, the example vendor driver replaces the built-in"
                    + " simulated data plane for driver type sim")
    public @interface Config {

        /**
         * @return the name the override reports in the driver list
         */
        @AttributeDefinition(name = "Name", description = "The name shown by vnet:driver-list and GET /drivers")
        String name() default "Example vendor override of the simulated data plane";
    }

    private volatile String name = "";

    @Activate
    void activate(Config config) {
        name = config.name();
        LOG.info("Example vendor override active for driver type sim with ranking 100 ('{}'); the built-in"
                + " simulator stands by", name);
    }

    @Deactivate
    void deactivate() {
        LOG.info("Example vendor override for driver type sim stopped; the built-in simulator takes over again");
    }

    @Override
    public String name() {
        return name;
    }
}
