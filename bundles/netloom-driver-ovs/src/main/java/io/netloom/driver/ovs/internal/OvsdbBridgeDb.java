package io.netloom.driver.ovs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverException;
import io.netloom.ovsdb.ConnectionEvent;
import io.netloom.ovsdb.OvsdbEndpoint;
import io.netloom.ovsdb.OvsdbSession;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import io.netloom.ovsdb.operations.Condition;
import io.netloom.ovsdb.operations.Insert;
import io.netloom.ovsdb.operations.Mutate;
import io.netloom.ovsdb.operations.Operation;
import io.netloom.ovsdb.operations.Update;
import io.netloom.ovsdb.operations.Wait;

/**
 * The integration bridge and Netloom's ports on it, over an {@link OvsdbSession} that keeps the Open_vSwitch,
 * Bridge, Port, Interface and Controller tables cached and reconnects by itself. The bridge is set up (or its
 * settings restored) at every connection, so a restarted ovsdb-server or a bridge deleted by hand comes back
 * without Netloom's help; creating it is guarded by a {@code wait} prerequisite, so a retried or concurrent
 * transaction never makes a second one.
 */
final class OvsdbBridgeDb implements BridgeDb {

    private static final Logger LOG = LoggerFactory.getLogger(OvsdbBridgeDb.class);

    /** Interface and Port external_ids key holding the Netloom port id. */
    static final String PORT_KEY = "netloom-port";
    /** Bridge, Port and Interface external_ids key holding the Netloom instance that made the row. */
    static final String INSTANCE_KEY = "netloom-instance";
    /** Interface and Port external_ids key marking the instance's VXLAN tunnel port (value {@code vxlan}). */
    static final String TUNNEL_KEY = "netloom-tunnel";
    /** The tunnel's options: endpoint and VNI come from each packet's flow ({@code tun_dst}, {@code tun_id}). */
    static final Map<String, String> TUNNEL_OPTIONS = Map.of("remote_ip", "flow", "key", "flow");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration OFPORT_WAIT = Duration.ofSeconds(10);

    private final String remote;
    private final String bridge;
    private final String datapathType;
    private final String controllerTarget;
    private final String instance;
    private final ExecutorService setup;
    private volatile OvsdbSession session;

    /** For tests and benchmarks: rows owned by the instance {@code test}. */
    OvsdbBridgeDb(String remote, String bridge, String datapathType, String controllerTarget) {
        this(remote, bridge, datapathType, controllerTarget, "test");
    }

    /**
     * @param remote the OVSDB remote
     * @param bridge the integration bridge's name
     * @param datapathType {@code system} or {@code netdev}
     * @param controllerTarget the passive controller the bridge listens on ({@code ptcp:…}), or {@code null}
     * @param instance this Netloom instance, recorded on the bridge and the rows the driver makes
     */
    OvsdbBridgeDb(String remote, String bridge, String datapathType, String controllerTarget, String instance) {
        this.instance = instance;
        this.remote = remote;
        this.bridge = bridge;
        this.datapathType = datapathType;
        this.controllerTarget = controllerTarget;
        this.setup = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netloom-ovs-bridge-setup");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        session = OvsdbSession.builder(OvsdbEndpoint.parse(remote))
                .monitor("Open_vSwitch", "Bridge", "Port", "Interface", "Controller")
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
                .connectionListener(this::onConnection)
                .start();
    }

    private void onConnection(ConnectionEvent event) {
        if (event.state() == ConnectionEvent.State.CONNECTED) {
            LOG.info("Connected to OVSDB {} (reconnects so far: {})", remote, event.reconnectCount());
            setup.execute(() -> {
                try {
                    ensureBridge();
                } catch (RuntimeException e) {
                    LOG.warn("Could not set up bridge {}: {}", bridge, e.getMessage());
                }
            });
        } else {
            LOG.warn("Lost OVSDB {}: {}", remote, event.cause().map(Throwable::toString).orElse("closed"));
        }
    }

    String remote() {
        return remote;
    }

    @Override
    public boolean connected() {
        OvsdbSession s = session;
        return s != null && s.isConnected();
    }

    @Override
    public synchronized void ensureBridge() {
        OvsdbSession s = requireSession();
        Uuid root = s.cache().rows("Open_vSwitch").keySet().stream().findFirst().orElseThrow(() ->
                new DriverException("OVSDB " + remote + " has no Open_vSwitch row (run ovs-vsctl init)", null));
        Optional<Row> existing = bridgeRow(s);
        if (existing.isEmpty()) {
            List<Operation> ops = new ArrayList<>();
            ops.add(Wait.absent("Bridge", Condition.equal("name", bridge)));
            Insert iface = Insert.into("Interface").withUuidName("iface").value("name", bridge)
                    .value("type", "internal");
            Insert port = Insert.into("Port").withUuidName("port").value("name", bridge)
                    .value("interfaces", iface.ref());
            Insert br = Insert.into("Bridge").withUuidName("br").value("name", bridge).value("ports", port.ref())
                    .value("fail_mode", "secure").value("protocols", Set.of("OpenFlow13"))
                    .value("datapath_type", datapathType)
                    .value("external_ids", Map.of("netloom", "integration", INSTANCE_KEY, instance));
            ops.add(iface);
            ops.add(port);
            if (controllerTarget != null) {
                Insert controller = Insert.into("Controller").withUuidName("ctl").value("target", controllerTarget);
                ops.add(controller);
                br = br.value("controller", controller.ref());
            }
            ops.add(br);
            ops.add(Mutate.table("Open_vSwitch").where(Condition.uuidIs(root)).insert("bridges", br.ref()));
            try {
                transact(s, ops);
                LOG.info("Created bridge {} ({} datapath, fail mode secure, OpenFlow 1.3)", bridge, datapathType);
            } catch (DriverException e) {
                if (bridgeRow(s).isEmpty()) {
                    throw e;
                }
            }
            return;
        }
        Row row = existing.get();
        Map<String, String> ids = row.getStringMap("external_ids");
        String owner = ids.get(INSTANCE_KEY);
        if (owner != null && !owner.equals(instance)) {
            throw new DriverException(foreign(owner), null);
        }
        Map<String, Object> fix = new HashMap<>();
        if (owner == null) {
            // A bridge made before bridges named their owner: adopted, and owned from now on.
            Map<String, String> owned = new HashMap<>(ids);
            owned.put(INSTANCE_KEY, instance);
            fix.put("external_ids", owned);
        }
        if (!row.getOptionalString("fail_mode").equals(Optional.of("secure"))) {
            fix.put("fail_mode", "secure");
        }
        if (!row.getStringSet("protocols").contains("OpenFlow13")) {
            fix.put("protocols", Set.of("OpenFlow13"));
        }
        if (!datapathType.equals(row.getString("datapath_type"))) {
            fix.put("datapath_type", datapathType);
        }
        List<Operation> ops = new ArrayList<>();
        if (controllerTarget != null && !hasController(s, row)) {
            Insert controller = Insert.into("Controller").withUuidName("ctl").value("target", controllerTarget);
            ops.add(controller);
            ops.add(Mutate.table("Bridge").where(Condition.uuidIs(row.uuid())).insert("controller", controller.ref()));
        }
        if (!fix.isEmpty()) {
            Update update = Update.table("Bridge").where(Condition.uuidIs(row.uuid()));
            fix.forEach(update::set);
            ops.add(update);
        }
        if (!ops.isEmpty()) {
            transact(s, ops);
            LOG.info("Restored Netloom's settings of bridge {}: {}", bridge, fix.keySet());
        }
    }

    private boolean hasController(OvsdbSession s, Row bridgeRow) {
        for (Uuid id : bridgeRow.getUuidSet("controller")) {
            Optional<Row> controller = s.cache().row("Controller", id);
            if (controller.isPresent() && controllerTarget.equals(controller.get().getString("target"))) {
                return true;
            }
        }
        return false;
    }

    private Optional<Row> bridgeRow(OvsdbSession s) {
        return s.cache().findFirst("Bridge", r -> bridge.equals(r.getString("name")));
    }

    @Override
    public Map<String, BridgePort> ports() {
        OvsdbSession s = requireSession();
        Optional<Row> br = bridgeRow(s);
        if (br.isEmpty()) {
            return Map.of();
        }
        Set<Uuid> onBridge = br.get().getUuidSet("ports");
        Map<String, BridgePort> ports = new HashMap<>();
        for (Uuid portUuid : onBridge) {
            Optional<Row> port = s.cache().row("Port", portUuid);
            if (port.isEmpty()) {
                continue;
            }
            for (Uuid ifaceUuid : port.get().getUuidSet("interfaces")) {
                s.cache().row("Interface", ifaceUuid).ifPresent(iface -> {
                    String id = iface.getStringMap("external_ids").get(PORT_KEY);
                    if (id != null) {
                        ports.put(id, new BridgePort(id, iface.getString("name"), ofport(iface)));
                    }
                });
            }
        }
        return ports;
    }

    @Override
    public Optional<String> foreignOwner() {
        OvsdbSession s = session;
        if (s == null || !s.isConnected()) {
            return Optional.empty();
        }
        return bridgeRow(s).map(row -> row.getStringMap("external_ids").get(INSTANCE_KEY))
                .filter(owner -> !owner.equals(instance));
    }

    private String foreign(String owner) {
        return "Bridge " + bridge + " belongs to Netloom instance " + owner + "; this instance (" + instance
                + ") leaves it, its flows and its ports alone: give it a bridge of its own (bridge in "
                + "etc/io.netloom.driver.ovs.cfg)";
    }

    private static Optional<Integer> ofport(Row iface) {
        Set<Long> values = iface.getLongSet("ofport");
        return values.stream().filter(v -> v > 0 && v < 0xff00).map(Long::intValue).findFirst();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction for all: the switch reconfigures once for the lot instead of once per port, which is what
     * makes adding a thousand ports take seconds rather than minutes. Each insert is guarded by a {@code wait} on
     * the interface name, so a retried transaction never makes a second row; when the batch is refused (say a row
     * of that name was made by hand), the ports are added one transaction each, so that such a port fails alone.
     */
    @Override
    public Numbered addPorts(Map<String, String> devices) {
        OvsdbSession s = requireSession();
        Map<String, BridgePort> existing = ports();
        Map<String, List<Operation>> inserts = new LinkedHashMap<>();
        Map<String, Object> refs = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> e : devices.entrySet()) {
            BridgePort there = existing.get(e.getKey());
            if (there != null && there.device().equals(e.getValue())) {
                continue;
            }
            String device = e.getValue();
            Map<String, String> ids = Map.of(PORT_KEY, e.getKey(), INSTANCE_KEY, instance);
            Insert iface = Insert.into("Interface").withUuidName("iface" + n).value("name", device)
                    .value("external_ids", ids);
            Insert port = Insert.into("Port").withUuidName("port" + n).value("name", device)
                    .value("interfaces", iface.ref()).value("external_ids", ids);
            n++;
            inserts.put(e.getKey(), List.of(Wait.absent("Interface", Condition.equal("name", device)), iface, port));
            refs.put(e.getKey(), port.ref());
        }
        Map<String, String> refused = new HashMap<>();
        if (!inserts.isEmpty()) {
            Row br = bridgeRow(s).orElseThrow(() -> new DriverException("Bridge " + bridge + " is missing", null));
            try {
                transact(s, attach(br, inserts.keySet(), inserts, refs));
            } catch (DriverException batch) {
                if (inserts.size() == 1) {
                    throw batch;
                }
                LOG.warn("Adding {} interfaces in one transaction failed ({}); adding them one by one",
                        inserts.size(), batch.getMessage());
                for (String portId : inserts.keySet()) {
                    try {
                        transact(s, attach(br, List.of(portId), inserts, refs));
                    } catch (DriverException alone) {
                        refused.put(portId, alone.getMessage());
                    }
                }
            }
        }
        // ovs-vswitchd numbers new ports only after reconfiguring, which on the userspace datapath takes it about
        // 15 ms per port of the bridge when thousands arrive at once; a port not numbered in time is left to the
        // next apply, not failed.
        Duration wait = OFPORT_WAIT.plusMillis(30L * devices.size());
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Map<String, Row> ours = new HashMap<>();
            for (Row iface : s.cache().rows("Interface").values()) {
                String id = iface.getStringMap("external_ids").get(PORT_KEY);
                if (id != null && iface.getString("name").equals(devices.get(id))) {
                    ours.put(id, iface);
                }
            }
            Map<String, Integer> ofports = new HashMap<>();
            Map<String, String> failed = new HashMap<>(refused);
            devices.forEach((portId, device) -> {
                Row iface = ours.get(portId);
                if (iface == null || failed.containsKey(portId)) {
                    return;
                }
                Optional<Integer> number = ofport(iface);
                Optional<String> error = iface.getOptionalString("error");
                if (number.isPresent()) {
                    ofports.put(portId, number.get());
                } else if (error.isPresent() || iface.getLongSet("ofport").contains(-1L)) {
                    failed.put(portId, "ovs-vswitchd refused interface " + device + ": "
                            + error.orElse("no reason given"));
                }
            });
            if (ofports.size() + failed.size() == devices.size() || System.nanoTime() >= deadline) {
                if (ofports.size() + failed.size() < devices.size()) {
                    LOG.info("Open vSwitch has not numbered {} of {} new interface(s) within {}; they are finished "
                            + "by a later apply", devices.size() - ofports.size() - failed.size(), devices.size(),
                            wait);
                }
                return new Numbered(ofports, failed);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("Interrupted waiting for OpenFlow port numbers", e);
            }
        }
    }

    /** The inserts of some ports and their attachment to the bridge, as one transaction's operations. */
    private static List<Operation> attach(Row bridgeRow, Collection<String> portIds,
            Map<String, List<Operation>> inserts, Map<String, Object> refs) {
        List<Operation> ops = new ArrayList<>();
        Set<Object> attached = new LinkedHashSet<>();
        for (String portId : portIds) {
            ops.addAll(inserts.get(portId));
            attached.add(refs.get(portId));
        }
        ops.add(Mutate.table("Bridge").where(Condition.uuidIs(bridgeRow.uuid())).insert("ports", attached));
        return ops;
    }

    @Override
    public void removePort(String portId) {
        OvsdbSession s = requireSession();
        Optional<Row> br = bridgeRow(s);
        if (br.isEmpty()) {
            return;
        }
        for (Uuid portUuid : br.get().getUuidSet("ports")) {
            Optional<Row> port = s.cache().row("Port", portUuid);
            if (port.isPresent() && portId.equals(port.get().getStringMap("external_ids").get(PORT_KEY))) {
                // Port and Interface are not root tables: OVSDB deletes them once the bridge stops naming them.
                transact(s, List.of(Mutate.table("Bridge").where(Condition.uuidIs(br.get().uuid()))
                        .delete("ports", portUuid)));
            }
        }
    }

    /**
     * Makes sure the userspace underlay bridge exists: netdev, fail mode standalone (a plain switch between the
     * interface and the host's port), {@code other_config:hwaddr} the interface's MAC, holding the interface; owned
     * by this instance. A bridge of that name already there gets its MAC and the interface, nothing else.
     *
     * @param name the bridge's name
     * @param iface the underlay interface
     * @param mac the interface's MAC
     * @throws DriverException when the transaction fails
     */
    synchronized void ensurePhyBridge(String name, String iface, String mac) {
        OvsdbSession s = requireSession();
        Uuid root = s.cache().rows("Open_vSwitch").keySet().stream().findFirst().orElseThrow(() ->
                new DriverException("OVSDB " + remote + " has no Open_vSwitch row", null));
        Optional<Row> existing = s.cache().findFirst("Bridge", r -> name.equals(r.getString("name")));
        Map<String, String> ids = Map.of("netloom", "underlay", INSTANCE_KEY, instance);
        Insert phyIface = Insert.into("Interface").withUuidName("uif").value("name", iface).value("external_ids", ids);
        Insert phyPort = Insert.into("Port").withUuidName("uport").value("name", iface)
                .value("interfaces", phyIface.ref()).value("external_ids", ids);
        List<Operation> ops = new ArrayList<>();
        if (existing.isEmpty()) {
            Insert own = Insert.into("Interface").withUuidName("oif").value("name", name).value("type", "internal");
            Insert ownPort = Insert.into("Port").withUuidName("oport").value("name", name)
                    .value("interfaces", own.ref());
            Insert br = Insert.into("Bridge").withUuidName("phy").value("name", name)
                    .value("ports", Set.of(ownPort.ref(), phyPort.ref())).value("fail_mode", "standalone")
                    .value("datapath_type", "netdev").value("other_config", Map.of("hwaddr", mac))
                    .value("external_ids", ids);
            ops.addAll(List.of(Wait.absent("Bridge", Condition.equal("name", name)), own, ownPort, phyIface, phyPort,
                    br, Mutate.table("Open_vSwitch").where(Condition.uuidIs(root)).insert("bridges", br.ref())));
        } else {
            Row row = existing.get();
            if (!mac.equals(row.getStringMap("other_config").get("hwaddr"))) {
                Map<String, String> config = new HashMap<>(row.getStringMap("other_config"));
                config.put("hwaddr", mac);
                ops.add(Update.table("Bridge").where(Condition.uuidIs(row.uuid())).set("other_config", config));
            }
            boolean holds = row.getUuidSet("ports").stream().map(u -> s.cache().row("Port", u))
                    .anyMatch(p -> p.isPresent() && iface.equals(p.get().getString("name")));
            if (!holds) {
                ops.addAll(List.of(Wait.absent("Interface", Condition.equal("name", iface)), phyIface, phyPort,
                        Mutate.table("Bridge").where(Condition.uuidIs(row.uuid())).insert("ports", phyPort.ref())));
            }
        }
        if (!ops.isEmpty()) {
            transact(s, ops);
            LOG.info("Underlay bridge {} holds {} with MAC {}", name, iface, mac);
        }
    }

    /**
     * @return the names of the bridges in the database, from the session's cache (empty when not connected)
     */
    Set<String> bridgeNames() {
        OvsdbSession s = session;
        if (s == null || !s.isConnected()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        s.cache().rows("Bridge").values().forEach(row -> names.add(row.getString("name")));
        return names;
    }

    /**
     * @return the tunnel port's interface name: from the bridge's name, because port names are unique on a switch
     *     and one bridge belongs to one instance; 12 characters
     */
    String tunnelName() {
        return String.format("nlvx%08x", bridge.hashCode());
    }

    @Override
    public Optional<Integer> tunnelPort() {
        OvsdbSession s = requireSession();
        return tunnelRow(s).filter(OvsdbBridgeDb::isTunnelAsWritten).flatMap(OvsdbBridgeDb::ofport);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Inserted under a {@code wait} on its name, so a retried transaction never makes a second row; an interface
     * of that name on the bridge whose type or options were changed is set back.
     */
    @Override
    public synchronized int ensureTunnel() {
        OvsdbSession s = requireSession();
        Optional<Row> existing = tunnelRow(s);
        String name = tunnelName();
        if (existing.isEmpty()) {
            Row br = bridgeRow(s).orElseThrow(() -> new DriverException("Bridge " + bridge + " is missing", null));
            Map<String, String> ids = Map.of(TUNNEL_KEY, "vxlan", INSTANCE_KEY, instance);
            Insert iface = Insert.into("Interface").withUuidName("tun").value("name", name).value("type", "vxlan")
                    .value("options", TUNNEL_OPTIONS).value("external_ids", ids);
            Insert port = Insert.into("Port").withUuidName("tunport").value("name", name)
                    .value("interfaces", iface.ref()).value("external_ids", ids);
            transact(s, List.of(Wait.absent("Interface", Condition.equal("name", name)), iface, port,
                    Mutate.table("Bridge").where(Condition.uuidIs(br.uuid())).insert("ports", port.ref())));
            LOG.info("Added the VXLAN tunnel port {} to bridge {}", name, bridge);
        } else if (!isTunnelAsWritten(existing.get())) {
            transact(s, List.of(Update.table("Interface").where(Condition.uuidIs(existing.get().uuid()))
                    .set("type", "vxlan").set("options", TUNNEL_OPTIONS)));
            LOG.info("Restored the type and options of the VXLAN tunnel port {}", name);
        }
        long deadline = System.nanoTime() + OFPORT_WAIT.toNanos();
        while (true) {
            Optional<Row> row = tunnelRow(s);
            Optional<Integer> number = row.filter(OvsdbBridgeDb::isTunnelAsWritten).flatMap(OvsdbBridgeDb::ofport);
            if (number.isPresent()) {
                return number.get();
            }
            Optional<String> error = row.flatMap(r -> r.getOptionalString("error"));
            if (error.isPresent() || System.nanoTime() >= deadline) {
                throw new DriverException("ovs-vswitchd did not number the tunnel port " + name + ": "
                        + error.orElse("not within " + OFPORT_WAIT), null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("Interrupted waiting for the tunnel port's number", e);
            }
        }
    }

    private Optional<Row> tunnelRow(OvsdbSession s) {
        Optional<Row> br = bridgeRow(s);
        if (br.isEmpty()) {
            return Optional.empty();
        }
        String name = tunnelName();
        for (Uuid portUuid : br.get().getUuidSet("ports")) {
            Optional<Row> port = s.cache().row("Port", portUuid);
            if (port.isEmpty() || !name.equals(port.get().getString("name"))) {
                continue;
            }
            for (Uuid ifaceUuid : port.get().getUuidSet("interfaces")) {
                Optional<Row> iface = s.cache().row("Interface", ifaceUuid);
                if (iface.isPresent() && name.equals(iface.get().getString("name"))) {
                    return iface;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isTunnelAsWritten(Row iface) {
        return "vxlan".equals(iface.getString("type")) && TUNNEL_OPTIONS.equals(iface.getStringMap("options"));
    }

    private void transact(OvsdbSession s, List<Operation> ops) {
        try {
            s.transact(ops).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DriverException("OVSDB transaction on " + remote + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new DriverException("OVSDB " + remote + " did not answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted", e);
        }
    }

    private OvsdbSession requireSession() {
        OvsdbSession s = session;
        if (s == null || !s.isConnected()) {
            throw new DriverException("Not connected to OVSDB " + remote, null);
        }
        return s;
    }

    void close() {
        setup.shutdownNow();
        OvsdbSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
