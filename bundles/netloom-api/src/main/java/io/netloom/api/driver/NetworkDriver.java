package io.netloom.api.driver;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A southbound driver: programs one kind of data plane (Open vSwitch, Linux bridge, the simulator, a vendor's).
 *
 * <p>Drivers are OSGi services registered under this interface with the {@value #TYPE_PROPERTY} property naming
 * their type and an optional {@code service.ranking}. When several drivers share a type, the highest ranked one is
 * used; the others stand by. A driver may come and go at any time; Netloom never assumes it is present.
 */
@ConsumerType
public interface NetworkDriver {

    /** Service property naming the driver type, such as {@code ovs}, {@code linuxbridge} or {@code sim}. */
    String TYPE_PROPERTY = "driver.type";

    /**
     * @return a short human-readable name of this implementation, such as {@code Simulated data plane}
     */
    String name();

    /**
     * Reports whether the driver can reach and program its data plane now. Must not block for long: a driver
     * answers from what it last observed.
     *
     * @return the current health, never {@code null}
     */
    DriverHealth health();

    /**
     * @return the features this driver implements; never {@code null}
     */
    Set<DriverCapability> capabilities();
}
