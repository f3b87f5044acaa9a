package io.netloom.examples.vendor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.NetworkDriver;

/**
 * An example driver of a new type, {@value #TYPE}: a network created with {@code "driver": "vendorx"} is realised
 * by it. Registering a {@link NetworkDriver} service with the {@code driver.type} property is all it takes; the
 * {@link DriverType} annotation sets that property.
 */
@Component(service = NetworkDriver.class)
@DriverType(VendorDriver.TYPE)
public class VendorDriver extends InMemoryDriver {

    /** The driver type this bundle adds. */
    public static final String TYPE = "vendorx";

    private static final Logger LOG = LoggerFactory.getLogger(VendorDriver.class);

    @Activate
    void activate() {
        LOG.info("Example vendor driver registered for driver type {}", TYPE);
    }

    @Deactivate
    void deactivate() {
        LOG.info("Example vendor driver for driver type {} stopped", TYPE);
    }

    @Override
    public String name() {
        return "Example vendor data plane";
    }
}
