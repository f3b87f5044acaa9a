package io.netloom.api.driver;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A southbound driver: programs one kind of data plane (Open vSwitch, Linux bridge, the simulator, a vendor's).
 *
 * <p>Drivers are OSGi services registered under this interface with the {@value #TYPE_PROPERTY} property naming
 * their type and an optional {@code service.ranking}. When several drivers share a type, the highest ranked one is
 * used; the others stand by. A driver may come and go at any time; Netloom never assumes it is present.
 *
 * <p>The reconciler reads the driver's actual configuration ({@link #readActual}), compares it with the desired
 * one and hands the driver the difference ({@link #apply}); a driver keeps no other state of its own that matters.
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

    /**
     * Reads what the data plane holds now, as Netloom entries: only what Netloom owns (by name, cookie or table),
     * so the reconciler never touches anything else.
     *
     * @param node the node id, {@code node-TYPE}
     * @return the actual configuration; empty on a data plane Netloom never programmed
     * @throws DriverException when the data plane cannot be read
     */
    NodeConfig readActual(String node);

    /**
     * Reads what the data plane holds under some keys only: the reconciler asks this after a change, for the keys
     * the change touched, so that realising one port does not cost a read of the whole node. A driver that can
     * answer without reading everything (one that keeps its entries by key) should; the default reads everything
     * and keeps those keys.
     *
     * @param node the node id, {@code node-TYPE}
     * @param keys the keys wanted
     * @return the entries the data plane holds under those keys (absent keys are absent)
     * @throws DriverException when the data plane cannot be read
     */
    default NodeConfig readActual(String node, Collection<String> keys) {
        Map<String, ConfigEntry> all = readActual(node).entries();
        Map<String, ConfigEntry> wanted = new HashMap<>();
        for (String key : keys) {
            ConfigEntry entry = all.get(key);
            if (entry != null) {
                wanted.put(key, entry);
            }
        }
        return new NodeConfig(node, wanted);
    }

    /**
     * Applies a plan, step by step in its order. A failed step is reported and does not stop the others unless
     * they depend on it; the reconciler reads the actual configuration again afterwards.
     *
     * @param plan the plan
     * @return the failures, by entry key
     * @throws DriverException when the data plane cannot be reached at all
     */
    ApplyResult apply(Plan plan);
}
