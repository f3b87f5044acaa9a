package io.netloom.core.internal.model;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeAdminService;
import io.netloom.api.model.NodeHeartbeat;
import io.netloom.api.model.NodeService;
import io.netloom.api.model.NodeSpec;
import io.netloom.api.model.NodeStatus;
import io.netloom.api.model.Port;
import io.netloom.api.realisation.NodeRealisation;
import io.netloom.api.realisation.RealisationService;
import io.netloom.core.internal.ip.Cidrs;

/**
 * Nodes: the controller's own (one per local driver type: every type a driver is registered for or a network
 * uses, {@code node-TYPE}), which exist without being stored and are always alive, and the hosts an administrator
 * registers, which are stored and alive while their heartbeats arrive. A local node is stored only once an
 * administrator drains it. Heartbeats are kept in memory: they are no model change, and a restarted controller
 * hears from a live node again within its heartbeat interval.
 *
 * <p>Configuration {@code etc/io.netloom.node.cfg}: {@code heartbeat.timeout} (ISO-8601, default
 * {@value #DEFAULT_TIMEOUT}), after which a node not heard of is {@code DOWN}.
 */
@Component(service = {NodeService.class, NodeAdminService.class, NodeManager.class},
        configurationPid = NodeManager.PID)
public class NodeManager implements NodeAdminService {

    static final String PID = "io.netloom.node";
    static final String DEFAULT_TIMEOUT = "PT15S";
    static final Comparator<Node> NODE_ORDER = Comparator.comparing((Node n) -> !n.local())
            .thenComparing(Node::createdAt).thenComparing(Node::id);
    private static final Pattern DRIVER_TYPE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern REGISTERED_ID = Pattern.compile(Pattern.quote(Node.ID_PREFIX) + "[0-9a-f]{12}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Logger LOG = LoggerFactory.getLogger(NodeManager.class);

    @Reference
    private ModelRepository repository;

    @Reference
    private DriverRegistry drivers;

    /**
     * To look the reconciler up when a node is read, never while this component starts: the reconciler depends on
     * this service, and a reference (or a tracker, which gets the service when opened) both ways is a cycle the
     * component runtime refuses, or deadlocks on, at start.
     */
    private volatile BundleContext context;

    /** Node id → its last heartbeat. */
    private final Map<String, Beat> beats = new ConcurrentHashMap<>();
    /** Local node id → when this controller first saw it. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    private volatile Duration timeout = Duration.parse(DEFAULT_TIMEOUT);
    private volatile String version = "0.0.0";

    private record Beat(Instant at, long revision, String version) {
    }

    /** Used by the component runtime. */
    public NodeManager() {
    }

    /** For tests. */
    public NodeManager(ModelRepository repository, DriverRegistry drivers) {
        this.repository = repository;
        this.drivers = drivers;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        version = context.getBundle().getVersion().toString();
        this.context = context;
        configure(properties);
    }

    @Deactivate
    void deactivate() {
        context = null;
    }

    @Modified
    void configure(Map<String, Object> properties) {
        Object value = properties.get("heartbeat.timeout");
        Duration read = Duration.parse(DEFAULT_TIMEOUT);
        if (value != null) {
            try {
                read = Duration.parse(String.valueOf(value).trim());
                if (read.isNegative() || read.isZero()) {
                    throw new DateTimeParseException("not positive", String.valueOf(value), 0);
                }
            } catch (DateTimeParseException e) {
                LOG.warn("heartbeat.timeout = '{}' is not a positive ISO-8601 duration; using {}", value,
                        DEFAULT_TIMEOUT);
                read = Duration.parse(DEFAULT_TIMEOUT);
            }
        }
        timeout = read;
        LOG.info("A node not heard of for {} is DOWN", timeout);
    }

    /** For tests: how long a node may be silent before it is {@code DOWN}. */
    void setTimeout(Duration value) {
        timeout = value;
    }

    @Override
    public List<Node> nodes(Caller caller) {
        requireRead(caller);
        Map<String, Integer> counts = portCounts();
        Map<String, Long> revisions = localRevisions();
        List<Node> result = new ArrayList<>();
        for (Node n : stored()) {
            result.add(live(n, counts, revisions));
        }
        result.sort(NODE_ORDER);
        return result;
    }

    @Override
    public Node node(Caller caller, String idOrName) {
        requireRead(caller);
        return live(resolve(idOrName), portCounts(), localRevisions());
    }

    @Override
    public Optional<Node> find(String id) {
        Optional<Node> stored = repository.byId(Kind.NODE, id);
        if (stored.isEmpty() && id != null && id.startsWith(Node.ID_PREFIX) && !REGISTERED_ID.matcher(id).matches()
                && DRIVER_TYPE.matcher(id.substring(Node.ID_PREFIX.length())).matches()) {
            stored = Optional.of(localNode(id.substring(Node.ID_PREFIX.length()), null));
        }
        // Without the figures that need a walk over the model: called for every change realised on a node.
        return stored.map(n -> live(n, Map.of(), Map.of()));
    }

    @Override
    public Node register(Caller caller, NodeSpec spec) {
        requireAdmin(caller);
        String name = Kind.requireName(spec.name(), "name");
        String driver = spec.driver();
        if (driver == null || !DRIVER_TYPE.matcher(driver).matches()) {
            throw new ValidationException(driver == null ? "REQUIRED" : "INVALID_DRIVER",
                    "A driver type is 1-32 lower-case letters, digits, '_' or '-'", "driver");
        }
        if (spec.underlayAddress() == null) {
            throw new ValidationException("REQUIRED", "A node needs its underlay address", "underlayAddress");
        }
        String address = Cidrs.parseAddress(spec.underlayAddress(), "underlayAddress").toCanonicalString();
        return repository.write(caller, "node.register", changes -> {
            for (Node n : stored()) {
                if (n.name().equals(name) || n.id().equals(name)) {
                    throw new ConflictException("NODE_EXISTS", "A node is named '" + name + "'", "name");
                }
                if (n.underlayAddress().equals(address)) {
                    throw new ConflictException("NODE_EXISTS", "Node " + n.name() + " has underlay address "
                            + address, "underlayAddress");
                }
            }
            Node node = new Node(repository.newId(Kind.NODE), name, driver, address, false, NodeStatus.UP, "", "",
                    0, 0, null, repository.now());
            changes.put(Kind.NODE, null, node);
            return live(node, Map.of(), Map.of());
        });
    }

    @Override
    public Node setDraining(Caller caller, String idOrName, boolean drain) {
        requireAdmin(caller);
        return repository.write(caller, drain ? "node.drain" : "node.resume", changes -> {
            Node node = resolve(idOrName);
            NodeStatus wanted = drain ? NodeStatus.DRAINING : NodeStatus.UP;
            if (node.status() == wanted) {
                return live(node, portCounts(), localRevisions());
            }
            Node updated = node.withStatus(wanted, "");
            changes.put(Kind.NODE, repository.byId(Kind.NODE, node.id()).orElse(null), updated);
            LOG.info("Node {} is {}", node.id(), drain ? "draining: new ports are refused there" : "taking ports");
            return live(updated, portCounts(), localRevisions());
        });
    }

    @Override
    public void remove(Caller caller, String idOrName) {
        requireAdmin(caller);
        repository.write(caller, "node.remove", changes -> {
            Node node = resolve(idOrName);
            if (node.local()) {
                throw new ConflictException("LOCAL_NODE", "Node " + node.id() + " is the controller's own node for "
                        + "driver type '" + node.driver() + "'; it exists while that type does: drain it instead",
                        null);
            }
            int placed = portCounts().getOrDefault(node.id(), 0);
            if (placed > 0) {
                throw new ConflictException("IN_USE", "Node " + node.name() + " has " + placed + " port(s) placed on "
                        + "it: delete them first", null);
            }
            changes.delete(Kind.NODE, node);
            beats.remove(node.id());
            return null;
        });
    }

    @Override
    public Node heartbeat(Caller caller, String idOrName, NodeHeartbeat heartbeat) {
        requireAdmin(caller);
        if (heartbeat.realisedRevision() < 0) {
            throw new ValidationException("INVALID_REVISION", "A realised revision is 0 or more",
                    "realisedRevision");
        }
        String agent = heartbeat.agentVersion() == null ? "" : heartbeat.agentVersion();
        if (!agent.isEmpty() && !VERSION.matcher(agent).matches()) {
            throw new ValidationException("INVALID_VERSION", "A version is 1-64 letters, digits, '.', '_', '+' or '-'",
                    "agentVersion");
        }
        Node node = resolve(idOrName);
        if (node.local()) {
            throw new ConflictException("LOCAL_NODE", "Node " + node.id() + " is the controller's own node: it "
                    + "needs no heartbeat", null);
        }
        Beat before = beats.put(node.id(), new Beat(repository.now(), heartbeat.realisedRevision(), agent));
        if (before == null || before.at().plus(timeout).isBefore(repository.now())) {
            LOG.info("Node {} ({}) is heard of again", node.name(), node.id());
        }
        // Every agent beats every few seconds: its answer must not cost a walk over the model's ports, so it
        // carries no port count (0); GET /nodes/{id} has it.
        return live(node, Map.of(), Map.of());
    }

    /**
     * Where a new port of a network goes: the named node, or the local node of the network's driver type.
     *
     * @param caller who creates the port
     * @param host the node id or name the request gives, or {@code null}
     * @param network the port's network
     * @param field the input field of the host, for errors
     * @return the node's id
     * @throws ForbiddenException when a caller who does not read nodes names one
     * @throws ValidationException {@code UNKNOWN_NODE}
     * @throws ConflictException {@code DRIVER_MISMATCH} for a node of another driver type, {@code NODE_DRAINING}
     */
    String place(Caller caller, String host, Network network, String field) {
        Node node;
        if (host == null) {
            // The network's type has its local node: stored once drained, else made up (no walk over the model).
            node = repository.byId(Kind.NODE, Node.localId(network.driver()))
                    .orElseGet(() -> localNode(network.driver(), null));
        } else {
            if (!caller.allTenants()) {
                throw new ForbiddenException("User '" + caller.user() + "' may not place a port on a named host: "
                        + "only those who read nodes (netloom-admin) may");
            }
            try {
                node = resolve(host);
            } catch (NotFoundException e) {
                throw new ValidationException("UNKNOWN_NODE", "No node '" + host + "' (see GET /nodes)", field);
            }
            if (!node.driver().equals(network.driver())) {
                throw new ConflictException("DRIVER_MISMATCH", "Node " + node.name() + " runs driver type '"
                        + node.driver() + "', network " + network.name() + " type '" + network.driver() + "'",
                        field);
            }
        }
        if (node.status() == NodeStatus.DRAINING) {
            throw new ConflictException("NODE_DRAINING", "Node " + node.name() + " is draining: it takes no new "
                    + "ports", field);
        }
        return node.id();
    }

    /** Every node, as stored (local ones made up when not stored): admin state, no live figures. */
    private List<Node> stored() {
        Map<String, Node> byId = new HashMap<>();
        repository.all(Kind.NODE, n -> true, NODE_ORDER).forEach(n -> byId.put(n.id(), n));
        TreeSet<String> types = new TreeSet<>();
        for (DriverDescriptor d : drivers.drivers()) {
            types.add(d.type());
        }
        repository.all(Kind.NETWORK, n -> true, (a, b) -> 0).forEach(n -> types.add(n.driver()));
        for (String type : types) {
            byId.computeIfAbsent(Node.localId(type), id -> localNode(type, null));
        }
        return new ArrayList<>(byId.values());
    }

    private Node localNode(String type, Instant created) {
        String id = Node.localId(type);
        Instant at = created != null ? created : firstSeen.computeIfAbsent(id, i -> repository.now());
        return new Node(id, id, type, "", true, NodeStatus.UP, "", "", 0, 0, null, at);
    }

    private Node resolve(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new NotFoundException("node", String.valueOf(idOrName));
        }
        // Stored nodes first, then the local node of a registered driver: no walk over the networks for those.
        Optional<Node> byId = repository.byId(Kind.NODE, idOrName);
        if (byId.isPresent()) {
            return byId.get();
        }
        List<Node> registered = repository.all(Kind.NODE, n -> n.name().equals(idOrName), NODE_ORDER);
        if (!registered.isEmpty()) {
            return registered.get(0);
        }
        if (idOrName.startsWith(Node.ID_PREFIX)
                && drivers.driver(idOrName.substring(Node.ID_PREFIX.length())).isPresent()) {
            return localNode(idOrName.substring(Node.ID_PREFIX.length()), null);
        }
        for (Node n : stored()) {
            if (n.id().equals(idOrName) || n.name().equals(idOrName)) {
                return n;
            }
        }
        throw new NotFoundException("node", idOrName);
    }

    /** A stored node with its live status, revision, port count and heartbeat. */
    private Node live(Node n, Map<String, Integer> counts, Map<String, Long> revisions) {
        int ports = counts.getOrDefault(n.id(), 0);
        Instant now = repository.now();
        if (n.local()) {
            String detail = n.status() == NodeStatus.DRAINING ? "Drained by an administrator: new ports are refused"
                    : drivers.driver(n.driver()).isPresent() ? ""
                    : "No driver of type '" + n.driver() + "' is registered";
            // The controller's own nodes are alive as long as it is: they beat with it.
            return n.withStatus(n.status(), detail).withLive(version, revisions.getOrDefault(n.id(), 0L), ports,
                    now);
        }
        Beat beat = beats.get(n.id());
        boolean down = beat == null || beat.at().plus(timeout).isBefore(now);
        NodeStatus status = down ? NodeStatus.DOWN : n.status();
        String detail = beat == null ? "Never heard of since the controller started"
                : down ? "Not heard of since " + beat.at() + " (timeout " + timeout + ")" : "";
        if (n.status() == NodeStatus.DRAINING) {
            detail = detail.isEmpty() ? "Drained by an administrator: new ports are refused"
                    : detail + "; drained by an administrator";
        }
        return n.withStatus(status, detail).withLive(beat == null ? "" : beat.version(),
                beat == null ? 0 : beat.revision(), ports, beat == null ? null : beat.at());
    }

    private Map<String, Integer> portCounts() {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> driverOf = new HashMap<>();
        for (Network n : repository.all(Kind.NETWORK, n -> true, (a, b) -> 0)) {
            driverOf.put(n.id(), n.driver());
        }
        for (Port p : repository.all(Kind.PORT, p -> true, (a, b) -> 0)) {
            String driver = driverOf.get(p.network());
            if (driver != null) {
                counts.merge(p.hostOr(driver), 1, Integer::sum);
            }
        }
        return counts;
    }

    private Map<String, Long> localRevisions() {
        BundleContext bundles = context;
        ServiceReference<RealisationService> ref = bundles == null ? null
                : bundles.getServiceReference(RealisationService.class);
        RealisationService r = ref == null ? null : bundles.getService(ref);
        if (r == null) {
            return Map.of();
        }
        try {
            Map<String, Long> revisions = new HashMap<>();
            for (NodeRealisation n : r.nodes()) {
                revisions.put(n.node(), n.realisedRevision());
            }
            return revisions;
        } finally {
            bundles.ungetService(ref);
        }
    }

    private static void requireRead(Caller caller) {
        if (!caller.allTenants()) {
            throw new ForbiddenException("User '" + caller.user() + "' may not read nodes: they are infrastructure, "
                    + "read by netloom-admin and netloom-viewer");
        }
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.writesEverywhere()) {
            throw new ForbiddenException("User '" + caller.user() + "' may not change nodes: only netloom-admin may");
        }
    }
}
