package io.netloom.driver.linuxbridge.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverException;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.HostCommandException;

/**
 * The Linux bridge data plane: iproute2 (router namespaces, bridges, veths, policy routing) and nftables (port
 * security and stateful per-port filters), with the forwarding semantics of the simulator. See {@link KernelWriter}
 * for the layout and {@link NftRuleset} for the filters.
 *
 * <p>The driver keeps nothing in memory: {@link #readActual} reads the kernel back every time, and the kernel
 * outlives the driver. Activation and deactivation touch nothing, so stopping, starting or updating this bundle,
 * or restarting Netloom, leaves every namespace, bridge, route and rule in place and traffic flowing; the next
 * reconciliation finds everything there and applies nothing.
 *
 * <p>It runs with no configuration at all; {@code etc/io.netloom.driver.linuxbridge.cfg} may tune it.
 */
@Component(service = NetworkDriver.class, configurationPid = LinuxBridgeDriver.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DriverType(LinuxBridgeDriver.TYPE)
@Designate(ocd = LinuxBridgeDriver.Config.class)
public class LinuxBridgeDriver implements NetworkDriver {

    static final String TYPE = "linuxbridge";
    static final String PID = "io.netloom.driver.linuxbridge";

    private static final Logger LOG = LoggerFactory.getLogger(LinuxBridgeDriver.class);

    /** The driver's settings. */
    @ObjectClassDefinition(name = "Netloom Linux bridge driver", description = "Realises networks with kernel "
            + "bridges, veth pairs, router namespaces and nftables")
    public @interface Config {

        /**
         * @return seconds one ip or nft command may take before it is killed
         */
        @AttributeDefinition(name = "Command timeout", description = "Seconds one ip or nft command may take",
                min = "1")
        int command_timeout_seconds() default 30;

        /**
         * @return the MTU of port veths, 0 for the kernel's default
         */
        @AttributeDefinition(name = "Port MTU", description = "MTU of port veth pairs; 0 keeps the kernel default",
                min = "0", max = "65535")
        int port_mtu() default 0;
    }

    private volatile CommandRunner runner;
    private volatile OptionalInt mtu = OptionalInt.empty();
    private volatile DriverHealth health = new DriverHealth(DriverHealth.State.DOWN, "Not started");

    /** Used by the component runtime. */
    public LinuxBridgeDriver() {
    }

    /** For tests: a driver over a given runner. */
    LinuxBridgeDriver(CommandRunner runner) {
        this.runner = runner;
        checkTools();
    }

    @Activate
    void activate(Config config) {
        configure(config);
        checkTools();
        LOG.info("Linux bridge driver started ({}); kernel state is adopted as it is", health.state());
    }

    @Modified
    void modified(Config config) {
        configure(config);
        LOG.info("Linux bridge driver reconfigured: command timeout {} s, port MTU {}",
                config.command_timeout_seconds(), config.port_mtu() == 0 ? "default" : config.port_mtu());
    }

    @Deactivate
    void deactivate() {
        LOG.info("Linux bridge driver stopped; the kernel keeps every bridge, route and rule as it is");
    }

    private void configure(Config config) {
        runner = new HostCommand(Duration.ofSeconds(Math.max(1, config.command_timeout_seconds())));
        mtu = config.port_mtu() > 0 ? OptionalInt.of(config.port_mtu()) : OptionalInt.empty();
    }

    /** Up when both tools answer; the answer is kept, so {@link #health} never blocks. */
    private void checkTools() {
        List<String> missing = new ArrayList<>();
        for (List<String> probe : List.of(List.of("ip", "-V"), List.of("nft", "--version"))) {
            try {
                CommandResult r = runner.execute(probe, null);
                if (r.exitCode() != 0) {
                    missing.add(probe.get(0) + " exited with " + r.exitCode());
                }
            } catch (HostCommandException e) {
                missing.add(e.getMessage());
            }
        }
        health = missing.isEmpty() ? DriverHealth.up()
                : new DriverHealth(DriverHealth.State.DOWN, "Cannot run " + String.join("; ", missing));
    }

    @Override
    public String name() {
        return "Linux bridge (iproute2 + nftables)";
    }

    @Override
    public DriverHealth health() {
        return health;
    }

    @Override
    public Set<DriverCapability> capabilities() {
        return EnumSet.of(DriverCapability.L2_FORWARDING, DriverCapability.L3_ROUTING,
                DriverCapability.STATEFUL_FIREWALL, DriverCapability.NETNS_BINDING);
    }

    @Override
    public synchronized NodeConfig readActual(String node) {
        try {
            List<ConfigEntry> entries = new ArrayList<>();
            for (KernelReader.Router router : new KernelReader(runner).routers()) {
                entries.addAll(router.entries());
            }
            return NodeConfig.of(node, entries);
        } catch (HostCommandException e) {
            checkTools();
            throw new DriverException("Cannot read the kernel's state: " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The plan is applied to what the kernel holds now (read first): routers and bridges, then each touched
     * network's nftables rules in one transaction per router namespace, then ports, routes, and removals in reverse.
     */
    @Override
    public synchronized ApplyResult apply(Plan plan) {
        try {
            List<KernelReader.Router> routers = new KernelReader(runner).routers();
            Map<String, ConfigEntry> actual = new LinkedHashMap<>();
            Map<String, KernelReader.Router> byNetwork = new LinkedHashMap<>();
            for (KernelReader.Router router : routers) {
                router.entries().forEach(e -> actual.put(e.key(), e));
                byNetwork.put(router.network(), router);
            }
            Map<String, ConfigEntry> target = new LinkedHashMap<>(actual);
            List<ConfigEntry> adds = new ArrayList<>();
            List<ConfigEntry> removes = new ArrayList<>();
            for (PlanStep step : plan.steps()) {
                if (step.op() == PlanStep.Op.ADD) {
                    target.put(step.entry().key(), step.entry());
                    adds.add(step.entry());
                } else {
                    target.remove(step.entry().key());
                    removes.add(step.entry());
                }
            }
            Map<String, String> failures = new KernelWriter(runner, mtu).apply(actual, target, adds, removes,
                    byNetwork);
            if (failures.isEmpty()) {
                LOG.debug("Applied {} step(s) to {}", plan.steps().size(), plan.node());
            } else {
                LOG.warn("Applied {} step(s) to {}; {} failed: {}", plan.steps().size(), plan.node(), failures.size(),
                        failures);
            }
            return new ApplyResult(failures);
        } catch (HostCommandException e) {
            checkTools();
            throw new DriverException("Cannot program the kernel: " + e.getMessage(), e);
        }
    }
}
