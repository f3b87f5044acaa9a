package io.netloom.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.DriverStatus;
import io.netloom.api.driver.NetworkDriver;

/**
 * Tracks every {@link NetworkDriver} service: bound dynamically and greedily, so a driver installed, updated or
 * stopped at runtime (or a higher-ranked one of the same type) is seen at once without restarting anything.
 */
@Component(service = DriverRegistry.class, configurationPid = DriverRegistryManager.PID)
@Designate(ocd = DriverRegistryManager.Config.class)
public class DriverRegistryManager implements DriverRegistry {

    static final String PID = "io.netloom";
    static final String DEFAULT_DRIVER_ENV = "NETLOOM_DEFAULT_DRIVER";

    private static final Logger LOG = LoggerFactory.getLogger(DriverRegistryManager.class);

    /** Netloom's global settings, {@code etc/io.netloom.cfg}. */
    @ObjectClassDefinition(name = "Netloom", description = "Netloom global settings")
    public @interface Config {
        /**
         * @return the driver type used when a request names none
         */
        @AttributeDefinition(description = "Driver type used when a request names none; the environment variable "
                + DEFAULT_DRIVER_ENV + " overrides it")
        String default_driver() default "sim";
    }

    private final Map<Long, DriverEntry> entries = new ConcurrentHashMap<>();
    private final UnaryOperator<String> environment;
    private volatile String defaultType = "sim";

    /** Used by the component runtime. */
    public DriverRegistryManager() {
        this(System::getenv);
    }

    DriverRegistryManager(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Activate
    @Modified
    void configure(Config config) {
        String fromEnv = environment.apply(DEFAULT_DRIVER_ENV);
        String type = fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : config.default_driver().trim();
        if (!type.equals(defaultType)) {
            LOG.info("Default driver type is now '{}'", type);
        }
        defaultType = type;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(NetworkDriver driver, ServiceReference<NetworkDriver> ref) {
        DriverEntry entry = entryOf(driver, ref);
        entries.put(entry.serviceId(), entry);
        LOG.info("Driver bound: type={} bundle={} version={} ranking={}", entry.type(), entry.bundle(),
                entry.version(), entry.ranking());
    }

    void updatedDriver(NetworkDriver driver, ServiceReference<NetworkDriver> ref) {
        DriverEntry entry = entryOf(driver, ref);
        entries.put(entry.serviceId(), entry);
        LOG.info("Driver updated: type={} ranking={}", entry.type(), entry.ranking());
    }

    void unbindDriver(NetworkDriver driver, ServiceReference<NetworkDriver> ref) {
        DriverEntry gone = entries.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (gone != null) {
            LOG.info("Driver unbound: type={} bundle={}", gone.type(), gone.bundle());
        }
    }

    private static DriverEntry entryOf(NetworkDriver driver, ServiceReference<NetworkDriver> ref) {
        Object type = ref.getProperty(NetworkDriver.TYPE_PROPERTY);
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new DriverEntry((Long) ref.getProperty(Constants.SERVICE_ID),
                type == null ? "unknown" : type.toString(),
                ranking instanceof Integer r ? r : 0,
                ref.getBundle().getSymbolicName(),
                ref.getBundle().getBundleId(),
                ref.getBundle().getVersion().toString(),
                driver);
    }

    void add(DriverEntry entry) {
        entries.put(entry.serviceId(), entry);
    }

    void remove(long serviceId) {
        entries.remove(serviceId);
    }

    @Override
    public List<DriverDescriptor> drivers() {
        List<DriverEntry> snapshot = new ArrayList<>(entries.values());
        snapshot.sort(Comparator.comparing(DriverEntry::type)
                .thenComparing(Comparator.comparingInt(DriverEntry::ranking).reversed())
                .thenComparingLong(DriverEntry::serviceId));
        List<DriverDescriptor> result = new ArrayList<>(snapshot.size());
        for (DriverEntry entry : snapshot) {
            boolean selected = selected(snapshot, entry.type()).filter(e -> e == entry).isPresent();
            DriverHealth health = healthOf(entry);
            result.add(new DriverDescriptor(entry.type(), entry.driver().name(), entry.version(), entry.bundle(),
                    entry.bundleId(), entry.ranking(), statusOf(selected, health), health.detail()));
        }
        return result;
    }

    private static DriverHealth healthOf(DriverEntry entry) {
        try {
            return entry.driver().health();
        } catch (RuntimeException e) {
            // A driver that cannot answer its own health check is reported as down, with the reason.
            LOG.warn("Driver {} failed its health check", entry.type(), e);
            return new DriverHealth(DriverHealth.State.DOWN, "Health check failed: " + e);
        }
    }

    private static DriverStatus statusOf(boolean selected, DriverHealth health) {
        if (!selected) {
            return DriverStatus.STANDBY;
        }
        return switch (health.state()) {
            case UP -> DriverStatus.ACTIVE;
            case DEGRADED -> DriverStatus.DEGRADED;
            case DOWN -> DriverStatus.DOWN;
        };
    }

    private static Optional<DriverEntry> selected(List<DriverEntry> snapshot, String type) {
        DriverEntry best = null;
        for (DriverEntry e : snapshot) {
            if (e.type().equals(type) && (best == null || e.outranks(best))) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public Optional<NetworkDriver> driver(String type) {
        return selected(new ArrayList<>(entries.values()), type).map(DriverEntry::driver);
    }

    @Override
    public String defaultType() {
        return defaultType;
    }
}
