package io.netloom.driver.ovs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverType;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.InstanceIds;

/**
 * The Open vSwitch driver: an integration bridge set up over OVSDB (fail mode secure, OpenFlow 1.3), ports bound to
 * network namespaces through veth pairs, and Netloom's {@link Pipeline} programmed over an OpenFlow 1.3 channel in
 * atomic bundles.
 *
 * <p>Both connections are kept by themselves: OVSDB and OpenFlow reconnect with backoff (1 s doubling to 8 s) and
 * the OVSDB cache is read again whole after a reconnect; until both are up the driver reports DOWN and the
 * reconciler waits. Stopping or updating the driver leaves the switch as it is (fail mode secure keeps the flows
 * without a controller), and the next instance adopts the {@link JournalFile journal} the previous one left, so an
 * update changes nothing in the data plane and loses no packet.
 */
@Component(service = NetworkDriver.class, configurationPid = OvsDriver.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OvsDriverConfig.class)
@DriverType(OvsDriver.TYPE)
public class OvsDriver implements NetworkDriver {

    static final String TYPE = "ovs";
    static final String PID = "io.netloom.driver.ovs";

    private static final Logger LOG = LoggerFactory.getLogger(OvsDriver.class);
    private static final int DEFAULT_OPENFLOW_PORT = 6653;

    private OvsdbBridgeDb db;
    private OpenFlowSwitch flows;
    private OvsEngine engine;
    private JournalFile journal;

    @Activate
    void activate(BundleContext context, OvsDriverConfig config) {
        String bridge = config.bridge();
        String datapath = datapathType(config.datapath_type());
        String openflow = openFlowEndpoint(config.openflow_endpoint(), config.ovsdb_remote(), bridge);
        String controller = controllerTarget(openflow);
        LOG.info("Open vSwitch driver: OVSDB {}, bridge {} ({} datapath), OpenFlow {}", config.ovsdb_remote(), bridge,
                datapath, openflow);
        String instance = InstanceIds.resolve(Optional.ofNullable(config.instance_id()),
                Path.of(System.getProperty("karaf.data", "data")));
        LOG.info("Open vSwitch driver of Netloom instance {}: a bridge of another instance is left alone", instance);
        db = new OvsdbBridgeDb(config.ovsdb_remote(), bridge, datapath, controller, instance);
        flows = new OpenFlowSwitch(openflow);
        VswitchdControl control = VswitchdControl.beside(config.ovsdb_remote());
        engine = new OvsEngine(flows, db, new NetnsPlumbing(config.checksum_offload_off()), control,
                new DatapathConntrack(new HostCommand(), control::requireSocket)).underlay(
                underlay(config, db, instance, new OvsRouteUnderlay(control, db::bridgeNames,
                        "netdev".equals(datapath)), datapath));
        journal = new JournalFile(context.getDataFile("journal.json").toPath());
        engine.adopt(journal.take());
        db.start();
        flows.start();
    }

    /**
     * @return the underlay the driver makes (br-phy) when both underlay keys are set on the userspace datapath,
     *     else only the check of a tunnel's address
     */
    private static TunnelUnderlay underlay(OvsDriverConfig config, OvsdbBridgeDb db, String instance,
            TunnelUnderlay check, String datapath) {
        String device = Optional.ofNullable(config.underlay_interface()).orElse("").trim();
        String address = Optional.ofNullable(config.underlay_address()).orElse("").trim();
        if (device.isEmpty() || address.isEmpty() || !"netdev".equals(datapath)) {
            return check;
        }
        return new PhyUnderlay(db, phyBridge(instance), device, address, Optional.empty(), check);
    }

    /**
     * @param instance the Netloom instance
     * @return its underlay bridge's name: 13 characters
     */
    static String phyBridge(String instance) {
        return String.format("nlphy%08x", instance.hashCode());
    }

    @Deactivate
    void deactivate() {
        try {
            journal.write(engine.journal());
        } catch (IOException e) {
            LOG.warn("Could not keep the journal for the next driver instance; it will re-apply everything: {}",
                    e.toString());
        } finally {
            flows.close();
            db.close();
        }
        LOG.info("Open vSwitch driver stopped; the bridge keeps its flows (fail mode secure)");
    }

    @Override
    public String name() {
        return "Open vSwitch (OVSDB + OpenFlow 1.3)";
    }

    @Override
    public DriverHealth health() {
        boolean ovsdb = db.connected();
        boolean openflow = flows.connected();
        Optional<String> owner = db.foreignOwner();
        if (owner.isPresent()) {
            return new DriverHealth(DriverHealth.State.DOWN, "Bridge belongs to Netloom instance " + owner.get()
                    + ": left alone; configure a bridge of this instance's own");
        }
        if (ovsdb && openflow) {
            return DriverHealth.up();
        }
        return new DriverHealth(DriverHealth.State.DOWN, (ovsdb ? "" : "OVSDB " + db.remote() + " unreachable. ")
                + (openflow ? "" : "OpenFlow " + flows.endpoint() + " unreachable."));
    }

    @Override
    public Set<DriverCapability> capabilities() {
        return EnumSet.of(DriverCapability.L2_FORWARDING, DriverCapability.L3_ROUTING,
                DriverCapability.STATEFUL_FIREWALL, DriverCapability.NETNS_BINDING, DriverCapability.ADDRESS_SETS);
    }

    @Override
    public NodeConfig readActual(String node) {
        return engine.readActual(node);
    }

    @Override
    public ApplyResult apply(Plan plan) {
        return engine.apply(plan);
    }

    /**
     * @param configured {@code auto}, {@code system} or {@code netdev}
     * @return the datapath type to give the bridge
     */
    static String datapathType(String configured) {
        if (!"auto".equals(configured)) {
            return configured;
        }
        return Files.exists(Path.of("/sys/module/openvswitch")) ? "system" : "netdev";
    }

    /**
     * @return the configured endpoint, or the management socket beside a unix OVSDB remote, or
     *     {@code tcp:127.0.0.1:6653}
     */
    static String openFlowEndpoint(String configured, String ovsdbRemote, String bridge) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        if (ovsdbRemote.startsWith("unix:")) {
            Path socket = Path.of(ovsdbRemote.substring("unix:".length()));
            Path dir = socket.getParent() == null ? Path.of(".") : socket.getParent();
            return "unix:" + dir.resolve(bridge + ".mgmt");
        }
        return "tcp:127.0.0.1:" + DEFAULT_OPENFLOW_PORT;
    }

    /**
     * @return the passive controller target the bridge needs for a TCP endpoint ({@code ptcp:PORT:HOST}), or
     *     {@code null} for its management socket
     */
    static String controllerTarget(String openflowEndpoint) {
        if (!openflowEndpoint.startsWith("tcp:")) {
            return null;
        }
        String hostPort = openflowEndpoint.substring("tcp:".length());
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("An OpenFlow endpoint is tcp:HOST:PORT or unix:PATH, not "
                    + openflowEndpoint);
        }
        return "ptcp:" + hostPort.substring(colon + 1) + ":" + hostPort.substring(0, colon);
    }
}
