package io.netloom.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.driver.NetworkDriver;

public class DriverRegistryManagerTest {

    private static NetworkDriver driver(String name, DriverHealth health) {
        return new TestDriver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public DriverHealth health() {
                return health;
            }

            @Override
            public Set<DriverCapability> capabilities() {
                return Set.of();
            }
        };
    }

    private static DriverEntry entry(long id, String type, int ranking, NetworkDriver driver) {
        return new DriverEntry(id, type, ranking, "bundle." + id, id, "1.0.0", driver);
    }

    private static DriverRegistryManager.Config config(String defaultDriver) {
        return new DriverRegistryManager.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DriverRegistryManager.Config.class;
            }

            @Override
            public String default_driver() {
                return defaultDriver;
            }
        };
    }

    @Test
    public void higherRankedDriverOfATypeIsSelectedAndTheOtherStandsBy() {
        DriverRegistryManager registry = new DriverRegistryManager(k -> null);
        NetworkDriver builtIn = driver("built-in", DriverHealth.up());
        NetworkDriver vendor = driver("vendor", DriverHealth.up());
        registry.add(entry(10, "ovs", 0, builtIn));
        registry.add(entry(11, "ovs", 100, vendor));

        assertSame(vendor, registry.driver("ovs").orElseThrow());
        List<DriverDescriptor> drivers = registry.drivers();
        assertEquals("vendor", drivers.get(0).name());
        assertEquals(DriverStatus.ACTIVE, drivers.get(0).status());
        assertEquals(DriverStatus.STANDBY, drivers.get(1).status());

        registry.remove(11);
        assertSame(builtIn, registry.driver("ovs").orElseThrow());
        assertEquals(DriverStatus.ACTIVE, registry.drivers().get(0).status());
    }

    @Test
    public void onEqualRankingTheFirstRegisteredWins() {
        DriverRegistryManager registry = new DriverRegistryManager(k -> null);
        NetworkDriver first = driver("first", DriverHealth.up());
        registry.add(entry(5, "sim", 0, first));
        registry.add(entry(6, "sim", 0, driver("second", DriverHealth.up())));
        assertSame(first, registry.driver("sim").orElseThrow());
    }

    @Test
    public void unknownTypeIsEmptyAndNoDriversIsAnEmptyList() {
        DriverRegistryManager registry = new DriverRegistryManager(k -> null);
        assertTrue(registry.driver("sim").isEmpty());
        assertTrue(registry.drivers().isEmpty());
    }

    @Test
    public void healthIsReportedAndAFailingHealthCheckMeansDown() {
        DriverRegistryManager registry = new DriverRegistryManager(k -> null);
        registry.add(entry(1, "a", 0, driver("degraded",
                new DriverHealth(DriverHealth.State.DEGRADED, "reconnecting"))));
        registry.add(entry(2, "b", 0, new TestDriver() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public DriverHealth health() {
                throw new IllegalStateException("boom");
            }

            @Override
            public Set<DriverCapability> capabilities() {
                return Set.of();
            }
        }));
        List<DriverDescriptor> drivers = registry.drivers();
        assertEquals(DriverStatus.DEGRADED, drivers.get(0).status());
        assertEquals("reconnecting", drivers.get(0).detail());
        assertEquals(DriverStatus.DOWN, drivers.get(1).status());
        assertTrue(drivers.get(1).detail().contains("boom"));
    }

    @Test
    public void environmentOverridesConfiguredDefaultDriver() {
        DriverRegistryManager fromConfig = new DriverRegistryManager(k -> null);
        fromConfig.configure(config("ovs"));
        assertEquals("ovs", fromConfig.defaultType());

        DriverRegistryManager fromEnv = new DriverRegistryManager(
                Map.of(DriverRegistryManager.DEFAULT_DRIVER_ENV, "linuxbridge")::get);
        fromEnv.configure(config("ovs"));
        assertEquals("linuxbridge", fromEnv.defaultType());
    }
}
