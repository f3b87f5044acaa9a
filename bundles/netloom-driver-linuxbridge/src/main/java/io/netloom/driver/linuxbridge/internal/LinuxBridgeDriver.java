package io.netloom.driver.linuxbridge.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

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
import io.netloom.api.driver.ConnectionPolicy;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverException;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InstanceIds;

/**
 * The Linux bridge data plane: iproute2 (router namespaces, bridges, veths, policy routing) and nftables (port
 * security, stateful per-port filters, and address sets as named sets whose members are elements), with the
 * forwarding semantics of the simulator. See {@link KernelWriter}
 * for the layout and {@link NftRuleset} for the filters.
 *
 * <p>The driver keeps no state of its own: {@link #readActual} reads the kernel back, and the kernel outlives the
 * driver. Three short-lived memories only save reading the same thing again, and none can hide drift for long
 * (see {@link KernelReader} and {@link NamespaceEnds}):
 * <ul>
 * <li>a router namespace's read serves the reads that start within {@value KernelReader#REUSE_SECONDS} seconds of
 * its end, unless the driver writes there in between, so an apply starts from the read the reconciler has just
 * made;</li>
 * <li>nftables tables the driver has just replaced or changed the set elements of (one transaction each) are taken
 * as written, instead of being listed again, by the reads that start within {@value KernelReader#REUSE_SECONDS}
 * seconds of the end of the apply that wrote them;</li>
 * <li>a port's namespace end, once read and found right or just configured by the driver, is read again only when
 * its host end (read every time) changes, or after the namespace check period.</li>
 * </ul>
 * Drift is thus seen within a few seconds, by the first read that starts {@value KernelReader#REUSE_SECONDS}
 * seconds after the driver last read or wrote; drift inside a workload's namespace that its host end cannot show
 * (a port's address, MAC, default route or {@code lo} changed there by someone else) within the check period.
 *
 * <p>Activation and deactivation touch nothing in the kernel, so stopping, starting or updating this bundle, or
 * restarting Netloom, leaves every namespace, bridge, route and rule in place and traffic flowing; the next
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

        /**
         * @return seconds a port's namespace end, read and found right, is trusted while its host end stays the
         *     same; 0 reads every namespace end on every read
         */
        @AttributeDefinition(name = "Namespace check period", description = "Seconds after which a port's "
                + "namespace end (address, MAC, default route inside the workload's namespace) is read again although "
                + "its host end looks unchanged; 0 reads it every time", min = "0")
        int namespace_check_seconds() default DEFAULT_NAMESPACE_CHECK_SECONDS;

        /**
         * @return the id of this Netloom instance; empty: generated once and kept in data/netloom/instance-id
         */
        @AttributeDefinition(name = "Instance id", description = "The Netloom instance every router namespace "
                + "records as its owner; namespaces of other instances are never read, changed or deleted. Empty: "
                + "generated once and kept in data/netloom/instance-id", required = false)
        String instance_id() default "";

        /**
         * @return the device that carries the overlay's tunnels; empty: the device holding the tunnel's address
         */
        @AttributeDefinition(name = "Underlay interface", description = "The device VXLAN tunnels to other nodes "
                + "are sent from; empty: the device holding the node's underlay address", required = false)
        String underlay_interface() default "";

        /**
         * @return the tunnel endpoint address used when the node's configuration names none
         */
        @AttributeDefinition(name = "Underlay address", description = "This node's tunnel endpoint when its "
                + "configuration does not name one (the node's underlayAddress does)", required = false)
        String underlay_address() default "";

        /**
         * @return the named network namespace the underlay device is in; empty: the driver's own
         */
        @AttributeDefinition(name = "Underlay namespace", description = "The named network namespace holding the "
                + "underlay device (tunnel sockets live there); empty: the driver's own", required = false)
        String underlay_namespace() default "";
    }

    /** See {@link Config#namespace_check_seconds()}. */
    static final int DEFAULT_NAMESPACE_CHECK_SECONDS = 120;

    /** The instance id of the drivers made by tests without one. */
    static final String TEST_INSTANCE = "test";

    private final ExecutorService pool = Parallel.newPool();
    /** This Netloom instance: the owner every router namespace this driver makes records. */
    private String instance;
    private CommandRunner runner;
    private OptionalInt mtu = OptionalInt.empty();
    private KernelReader reader;
    private OverlayPlane overlay;
    /**
     * Ports whose refused connections an apply could not cut: their filter entries read as missing, so that the
     * reconciler applies them again and the cut is retried; every apply also retries them.
     */
    private final Set<String> uncut = ConcurrentHashMap.newKeySet();
    private volatile DriverHealth health = new DriverHealth(DriverHealth.State.DOWN, "Not started");

    /** Used by the component runtime. */
    public LinuxBridgeDriver() {
    }

    /** For tests: a driver over a given runner, reading namespace ends again after the given seconds. */
    LinuxBridgeDriver(CommandRunner runner, int namespaceCheckSeconds) {
        this(runner, namespaceCheckSeconds, TEST_INSTANCE);
    }

    /** For tests: as above, as a given Netloom instance. */
    LinuxBridgeDriver(CommandRunner runner, int namespaceCheckSeconds, String instance) {
        this.instance = InstanceIds.requireValid(instance, "instance");
        configure(runner, OptionalInt.empty(), namespaceCheckSeconds);
        checkTools();
    }

    @Activate
    void activate(Config config) {
        instance = InstanceIds.resolve(Optional.ofNullable(config.instance_id()),
                Path.of(System.getProperty("karaf.data", "data")));
        LOG.info("Linux bridge driver of Netloom instance {}: other instances' router namespaces are left alone",
                instance);
        configure(config);
        checkTools();
        LOG.info("Linux bridge driver started ({}); kernel state is adopted as it is", health.state());
    }

    @Modified
    void modified(Config config) {
        configure(config);
        LOG.info("Linux bridge driver reconfigured: command timeout {} s, port MTU {}, namespace check every {} s",
                config.command_timeout_seconds(), config.port_mtu() == 0 ? "default" : config.port_mtu(),
                config.namespace_check_seconds());
    }

    @Deactivate
    void deactivate() {
        pool.shutdownNow();
        LOG.info("Linux bridge driver stopped; the kernel keeps every bridge, route and rule as it is");
    }

    private void configure(Config config) {
        configure(new HostCommand(Duration.ofSeconds(Math.max(1, config.command_timeout_seconds()))),
                config.port_mtu() > 0 ? OptionalInt.of(config.port_mtu()) : OptionalInt.empty(),
                Math.max(0, config.namespace_check_seconds()));
        underlay(config.underlay_interface(), config.underlay_address(), config.underlay_namespace());
    }

    /** Sets where the overlay's tunnels start (see {@link Config#underlay_interface()}). */
    synchronized void underlay(String device, String address, String namespace) {
        overlay = new OverlayPlane(runner, device, address, namespace);
    }

    private synchronized void configure(CommandRunner commands, OptionalInt portMtu, int namespaceCheckSeconds) {
        runner = commands;
        mtu = portMtu;
        reader = new KernelReader(commands, pool, namespaceCheckSeconds, instance);
        overlay = new OverlayPlane(commands, "", "", "");
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
                DriverCapability.STATEFUL_FIREWALL, DriverCapability.NETNS_BINDING, DriverCapability.ADDRESS_SETS);
    }

    @Override
    public synchronized NodeConfig readActual(String node) {
        return read(node, true);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The overlay (two processes per router namespace with a tunnel) is read only when a key asks for it.
     */
    @Override
    public synchronized NodeConfig readActual(String node, Collection<String> keys) {
        Map<String, ConfigEntry> wanted = new LinkedHashMap<>(read(node, keys.stream()
                .anyMatch(OverlayPlane::isOverlayKey)).entries());
        wanted.keySet().retainAll(Set.copyOf(keys));
        return new NodeConfig(node, wanted);
    }

    private NodeConfig read(String node, boolean withOverlay) {
        try {
            List<ConfigEntry> entries = new ArrayList<>();
            List<KernelReader.Router> routers = routers(node);
            for (KernelReader.Router router : routers) {
                entries.addAll(router.entries());
            }
            entries.addAll(KernelReader.members(routers));
            if (withOverlay) {
                entries.addAll(overlay.read(routers));
            }
            if (!uncut.isEmpty()) {
                entries.removeIf(e -> e instanceof FilterEntry f && uncut.contains(f.rule().portId()));
            }
            return NodeConfig.of(node, entries);
        } catch (HostCommandException e) {
            checkTools();
            throw new DriverException("Cannot read the kernel's state: " + e.getMessage(), e);
        }
    }

    /** The router namespaces of this instance that are the given node's data plane. */
    private List<KernelReader.Router> routers(String node) {
        List<KernelReader.Router> routers = new ArrayList<>(reader.routers());
        routers.removeIf(r -> !r.isOf(node));
        return routers;
    }

    /**
     * Cuts the tracked connections that the new rules of the ports the plan changed refuse (see
     * {@link ConntrackCut}), and those of ports whose cut failed before. A port whose cut fails has its filter
     * entries reported as failed, so that the plan counts as not fully applied.
     */
    private void cutRefused(Plan plan, Map<String, ConfigEntry> target, Map<String, String> failures) {
        Set<String> ports = new TreeSet<>(ConnectionPolicy.affectedPorts(plan.steps(), target.values()));
        ports.addAll(uncut);
        if (ports.isEmpty()) {
            return;
        }
        Map<String, String> notCut = new ConntrackCut(runner, plan.node()).cut(ports, target.values());
        uncut.removeAll(ports);
        uncut.addAll(notCut.keySet());
        ConnectionPolicy.cutFailures(notCut, plan.steps(), target.values()).forEach(failures::putIfAbsent);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The plan is applied to what the kernel holds now (read first, or as read by a read of the last
     * {@value KernelReader#REUSE_SECONDS} seconds): routers and bridges, then each touched network's nftables rules
     * in one transaction per router namespace (or, where only address-set members change, their elements, in one
     * transaction per router namespace) while the ports' veth pairs are made, then the ports' host ends onto their
     * bridges, routes, and removals in reverse. Afterwards only the router namespaces the apply ran commands in are
     * read again.
     */
    @Override
    public synchronized ApplyResult apply(Plan plan) {
        try {
            List<KernelReader.Router> routers = routers(plan.node());
            Map<String, ConfigEntry> actual = new LinkedHashMap<>();
            Map<String, KernelReader.Router> byNetwork = new LinkedHashMap<>();
            for (KernelReader.Router router : routers) {
                router.entries().forEach(e -> actual.put(e.key(), e));
                byNetwork.put(router.network(), router);
            }
            KernelReader.members(routers).forEach(e -> actual.put(e.key(), e));
            if (plan.steps().stream().anyMatch(step -> OverlayPlane.isOverlay(step.entry()))) {
                // What the overlay's tables are rewritten from; a plan without overlay steps leaves them alone.
                overlay.read(routers).forEach(e -> actual.put(e.key(), e));
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
            Map<String, String> failures;
            Set<String> touched = ConcurrentHashMap.newKeySet();
            CommandRunner recording = (command, stdin) -> {
                for (String argument : command) {
                    touched.add(argument);
                    touched.add(argument.substring(argument.lastIndexOf('/') + 1));
                }
                return runner.execute(command, stdin);
            };
            // The overlay's entries are written after the rest, which makes the namespaces and bridges they go on.
            List<ConfigEntry> overlayAdds = new ArrayList<>(adds);
            overlayAdds.removeIf(e -> !OverlayPlane.isOverlay(e));
            List<ConfigEntry> overlayRemoves = new ArrayList<>(removes);
            overlayRemoves.removeIf(e -> !OverlayPlane.isOverlay(e));
            adds.removeIf(OverlayPlane::isOverlay);
            removes.removeIf(OverlayPlane::isOverlay);
            Map<String, ConfigEntry> baseActual = new LinkedHashMap<>(actual);
            baseActual.values().removeIf(OverlayPlane::isOverlay);
            Map<String, ConfigEntry> baseTarget = new LinkedHashMap<>(target);
            baseTarget.values().removeIf(OverlayPlane::isOverlay);
            // Workload veths made while the node has an overlay leave room for VXLAN's 50 bytes.
            boolean overlaid = target.values().stream().anyMatch(e -> e instanceof TunnelEntry)
                    || routers.stream().anyMatch(r -> OverlayPlane.hasTunnel(r.scan()));
            OptionalInt portMtu = overlaid ? OptionalInt.of(Math.min(mtu.orElse(OverlayPlane.MTU), OverlayPlane.MTU))
                    : mtu;
            try {
                failures = new LinkedHashMap<>(new KernelWriter(recording, portMtu, pool, reader, instance,
                        plan.node()).apply(baseActual, baseTarget, adds, removes, byNetwork));
                if (!overlayAdds.isEmpty() || !overlayRemoves.isEmpty()) {
                    failures.putAll(new OverlayPlane(recording, overlay).apply(plan.node(), actual, target,
                            overlayAdds, overlayRemoves));
                }
            } finally {
                reader.applied(touched);
            }
            failures = new LinkedHashMap<>(failures);
            cutRefused(plan, target, failures);
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
