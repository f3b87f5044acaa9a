package io.netloom.reconciler.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.NotFoundException;
import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.NodeConfigService;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverCapability;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.Plans;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.model.Caller;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;
import io.netloom.api.model.NodeStatus;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.Subnet;
import io.netloom.api.realisation.NodeRealisation;
import io.netloom.api.realisation.Realisation;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.routing.RoutingService;

/**
 * Realises the desired state on the data planes, level-triggered: a full pass computes every node's desired
 * configuration from the model, the route tables and the compiled filter rules, reads what the node's driver
 * holds, and applies only the difference. A pass over an unchanged model applies nothing.
 *
 * <p>Between full passes, a change is realised by an incremental pass: model events mark ports (and the members of
 * groups whose rules changed) dirty; the pass recomputes only their entries (the port, its filter rules, its
 * memberships in address sets), keeps each node's desired entries indexed by owner, and diffs only the keys it
 * touched. So the cost of one port added does not grow with the model. Changes of networks, subnets, routes,
 * peerings or drivers, failures, and a timer (every {@value #RESYNC_SECONDS} s, but no more than a
 * 1/{@value #RESYNC_COST_FACTOR} of the time) take a full pass, which also repairs drift. Passes run on one thread.
 *
 * <p>Fail closed: while the routing or firewall service is away nothing is pushed at all, and objects not yet
 * realised stay {@code PENDING} saying why. While no driver of a type is registered its objects are
 * {@code DRIVER_MISSING} and its data plane is left as it is.
 *
 * <p>Revisions: each model event carries the revision of its write. When it hears of one, the reconciler notes
 * which nodes the change concerns (the node of a port's, subnet's, route's or network's network; both sides of a
 * peering; the nodes of a group's members). A pass covers every revision heard of before it began; a node that
 * comes out of a pass with everything it was asked to realise applied and read back has realised that revision,
 * and so has a node the pass had nothing to do for that was up to date before. A revision is realised when no node
 * it concerns still lags behind it: that is what {@code ?wait} waits for.
 */
@Component(immediate = true, service = {RealisationService.class, ModelListener.class, NodeConfigService.class})
public class Reconciler implements RealisationService, ModelListener, NodeConfigService {

    static final long RESYNC_SECONDS = 5;
    /**
     * A periodic full pass comes no sooner after the last one than this many times the time it took, so that on a
     * large model resyncing takes at most about a tenth of a core.
     */
    static final long RESYNC_COST_FACTOR = 10;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    /** The longest a pass waits for the previous one's computing time to have passed (see {@link #runPass}). */
    static final long MAX_PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    @Reference
    private NetworkService networks;
    @Reference
    private PortService ports;
    @Reference
    private PeeringService peerings;
    @Reference
    private DriverRegistry registry;
    @Reference
    private ModelRevisions revisions;
    @Reference
    private NodeService nodeService;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, bind = "bindRouting", unbind = "unbindRouting")
    private volatile RoutingService routing;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, bind = "bindFirewall", unbind = "unbindFirewall")
    private volatile FirewallService firewall;

    private final Map<String, Realisation> realisations = new ConcurrentHashMap<>();
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Object dirtyLock = new Object();
    /** Guarded by {@link #dirtyLock}: whether the next pass must be a full one. */
    private boolean dirtyAll = true;
    /** Guarded by {@link #dirtyLock}: ports changed since the last pass, by id; empty when deleted. */
    private Map<String, Optional<Port>> dirtyPorts = new HashMap<>();
    /** Guarded by {@link #dirtyLock}: groups whose rules changed since the last pass. */
    private Set<String> dirtyGroups = new HashSet<>();
    /** Which revisions each node has realised. */
    private final RevisionLedger ledger = new RevisionLedger();
    /** Registered hosts: the configuration published to their agents and what those report. */
    private final HostConfigs hosts = new HostConfigs();
    /** Pass thread only: the highest revision the current pass covers (what it publishes to hosts). */
    private long passRevision;
    /** Pass thread only: each host's liveness as last shown on its ports, to show a change at once. */
    private final Map<String, NodeStatus> hostLiveness = new HashMap<>();
    /** Network id → its driver type, as events and full passes saw it: to place a change on its node. */
    private final Map<String, String> networkDrivers = new ConcurrentHashMap<>();
    /** Pass thread only: per node, why the current pass left it lagging ({@code ""} when it did not). */
    private Map<String, String> outcomes = new HashMap<>();
    /** Pass thread only: per node, what the last pass computed; {@code null} before the first full pass. */
    private Map<String, NodeState> nodes;
    /** {@link System#nanoTime()} before which no periodic full pass starts; written by the pass thread. */
    private volatile long nextFullPassAt = System.nanoTime();
    /** Pass thread only: network id → its local node, as of the last full pass. */
    private Map<String, String> networkNode = Map.of();
    /** Network id → the other nodes that hold it (ports placed there), as of the last full pass. */
    private volatile Map<String, Set<String>> remoteNodesOfNetwork = Map.of();
    /** Each overlay segment's VNI, as the last full pass derived them ({@link Overlay}); written by passes only. */
    private volatile Map<String, Integer> segmentVnis = Map.of();
    private ScheduledExecutorService executor;
    private volatile long backoffMillis;
    /** {@link System#nanoTime()} before which no pass starts; only the pass thread writes it. */
    private volatile long nextPassAt = System.nanoTime();
    /** Time the current pass spent in drivers' apply and the reads after it; only the pass thread uses it. */
    private long driverNanos;

    /** Used by the component runtime. */
    public Reconciler() {
    }

    /** For tests: a reconciler over given services, without its thread (call {@link #pass()}). */
    Reconciler(NetworkService networks, PortService ports, PeeringService peerings, DriverRegistry registry,
            RoutingService routing, FirewallService firewall) {
        this(networks, ports, peerings, registry, routing, firewall, null);
    }

    /** For tests: as above, with the nodes ({@code null}: none but the local ones). */
    Reconciler(NetworkService networks, PortService ports, PeeringService peerings, DriverRegistry registry,
            RoutingService routing, FirewallService firewall, ModelRevisions revisions, NodeService nodes) {
        this(networks, ports, peerings, registry, routing, firewall, revisions);
        this.nodeService = nodes;
    }

    /** For tests: as above, with the model's revisions ({@code null} when the test has none). */
    Reconciler(NetworkService networks, PortService ports, PeeringService peerings, DriverRegistry registry,
            RoutingService routing, FirewallService firewall, ModelRevisions revisions) {
        this.revisions = revisions;
        this.networks = networks;
        this.ports = ports;
        this.peerings = peerings;
        this.registry = registry;
        this.routing = routing;
        this.firewall = firewall;
    }

    @Activate
    void activate() {
        // Revisions committed before this reconciler existed are covered by its first full pass, which reads the
        // whole model; it hears of later ones from their events.
        ledger.start(revisions == null ? 0 : revisions.current());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netloom-reconciler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - nextFullPassAt >= 0) {
                resyncAll();
                trigger();
            }
        }, RESYNC_SECONDS, RESYNC_SECONDS, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(this::checkHostLiveness, 1, 1, TimeUnit.SECONDS);
        LOG.info("Reconciler started; it resyncs fully every {} s at the most often, and at most a 1/{} of the "
                + "time", RESYNC_SECONDS, RESYNC_COST_FACTOR);
        trigger();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        LOG.info("Reconciler stopped; the data planes keep what they hold");
    }

    void bindRouting(RoutingService service) {
        routing = service;
        resyncAll();
        trigger();
    }

    void unbindRouting(RoutingService service) {
        if (routing == service) {
            routing = null;
        }
        resyncAll();
        trigger();
    }

    void bindFirewall(FirewallService service) {
        firewall = service;
        resyncAll();
        trigger();
    }

    void unbindFirewall(FirewallService service) {
        if (firewall == service) {
            firewall = null;
        }
        resyncAll();
        trigger();
    }

    /** Drivers come and go: every change of the set of drivers is a reason to reconcile. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(NetworkDriver driver) {
        resyncAll();
        trigger();
    }

    void unbindDriver(NetworkDriver driver) {
        resyncAll();
        trigger();
    }

    /**
     * Records what changed: a port (its latest state, or its deletion), a group whose rules changed (its members
     * are recomputed), or anything else (networks, subnets, peerings, static routes, a default group appearing or
     * going), which makes the next pass a full one.
     */
    @Override
    public void event(ModelEvent event) {
        if (event.revision() > 0) {
            // The revision counts as heard only once all of its events are in (committed).
            ledger.concerns(event.revision(), nodesOf(event));
        }
        synchronized (dirtyLock) {
            if (event.subject() instanceof Port port) {
                dirtyPorts.put(port.id(), event.type() == ModelEvent.Type.DELETED ? Optional.empty()
                        : Optional.of(port));
            } else if (event.subject() instanceof SecurityGroup group && event.type() == ModelEvent.Type.UPDATED
                    && event.previous() instanceof SecurityGroup before
                    && Objects.equals(before.network(), group.network())) {
                dirtyGroups.add(group.id());
            } else if (event.subject() instanceof SecurityGroup group && group.network() == null
                    && event.type() != ModelEvent.Type.UPDATED) {
                // A group that is no network's default has no member when it is created or deleted.
                dirtyGroups.add(group.id());
            } else {
                dirtyAll = true;
            }
        }
        trigger();
    }

    /**
     * The nodes whose desired configuration a change may alter. Over-approximates rather than misses: a node named
     * here that the change leaves as it was realises the revision with its next pass anyway.
     */
    private Set<String> nodesOf(ModelEvent event) {
        Object subject = event.subject();
        Set<String> nodes = new HashSet<>();
        if (subject instanceof Network n) {
            networkDrivers.put(n.id(), n.driver());
            nodes.add(nodeOf(n.driver()));
            nodes.addAll(remoteNodesOfNetwork.getOrDefault(n.id(), Set.of()));
            if (event.previous() instanceof Network before) {
                nodes.add(nodeOf(before.driver()));
            }
        } else if (subject instanceof Port p) {
            addNodeOfPort(p, nodes);
            if (event.previous() instanceof Port before) {
                addNodeOfPort(before, nodes);
            }
        } else if (subject instanceof Node) {
            // Registering, draining or removing a node changes no node's desired configuration.
            return nodes;
        } else if (subject instanceof Subnet sn) {
            addNodeOfNetwork(sn.network(), nodes);
        } else if (subject instanceof StaticRoute r) {
            addNodeOfNetwork(r.network(), nodes);
        } else if (subject instanceof Peering p) {
            addNodeOfNetwork(p.network(), nodes);
            addNodeOfNetwork(p.peerNetwork(), nodes);
        } else if (subject instanceof SecurityGroup g) {
            if (g.network() != null) {
                addNodeOfNetwork(g.network(), nodes);
            }
            FirewallService filters = firewall;
            if (filters == null) {
                return allNodes();
            }
            Caller system = Caller.system();
            for (String member : filters.addressSet(g.id()).keySet()) {
                lookUp(system, member).ifPresent(p -> addNodeOfPort(p, nodes));
            }
        } else {
            return allNodes();
        }
        return nodes;
    }

    private void addNodeOfNetwork(String networkId, Set<String> nodes) {
        String driver = networkDrivers.get(networkId);
        if (driver == null) {
            try {
                driver = networks.network(Caller.system(), networkId).driver();
                networkDrivers.put(networkId, driver);
            } catch (NotFoundException e) {
                nodes.addAll(allNodes());
                return;
            }
        }
        nodes.add(nodeOf(driver));
        nodes.addAll(remoteNodesOfNetwork.getOrDefault(networkId, Set.of()));
    }

    /** Adds the node a port is placed on. */
    private void addNodeOfPort(Port port, Set<String> nodes) {
        if (port.host() != null) {
            nodes.add(port.host());
            return;
        }
        String driver = networkDrivers.get(port.network());
        if (driver == null) {
            addNodeOfNetwork(port.network(), nodes);
        } else {
            nodes.add(nodeOf(driver));
        }
    }

    private Set<String> allNodes() {
        Set<String> all = ledger.knownNodes();
        networkDrivers.values().forEach(type -> all.add(nodeOf(type)));
        return all;
    }

    static String nodeOf(String driverType) {
        return Node.localId(driverType);
    }

    /**
     * Every event of the write of {@code revision} has been heard: a pass that begins from now on covers it.
     */
    @Override
    public void committed(long revision) {
        ledger.heard(revision);
        trigger();
    }

    /** Queues a pass unless one is queued already (passes coalesce). */
    void trigger() {
        ScheduledExecutorService ex = executor;
        if (ex != null && !ex.isShutdown() && passQueued.compareAndSet(false, true)) {
            try {
                ex.execute(this::runPass);
            } catch (RejectedExecutionException e) {
                passQueued.set(false);
                LOG.debug("Reconciler is stopping; pass not queued");
            }
        }
    }

    /**
     * Runs a pass, paced: a pass starts no sooner after the previous one than that one spent computing (at most
     * {@link #MAX_PACE_NANOS}; time in the drivers does not count). While changes stream in, as when thousands of
     * ports are created, the reconciler so takes at most about half a core instead of recomputing back to back and
     * starving the requests that make the changes; a change to an idle model is reconciled at once.
     */
    private void runPass() {
        long wait = nextPassAt - System.nanoTime();
        ScheduledExecutorService ex = executor;
        if (wait > 0 && ex != null) {
            try {
                ex.schedule(this::runPass, wait, TimeUnit.NANOSECONDS);
                return;
            } catch (RejectedExecutionException e) {
                passQueued.set(false);
                LOG.debug("Reconciler is stopping; pass not queued");
                return;
            }
        }
        passQueued.set(false);
        long start = System.nanoTime();
        driverNanos = 0;
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warn("Reconciliation pass failed; retrying", e);
            scheduleRetry();
        } finally {
            long end = System.nanoTime();
            nextPassAt = end + Math.max(0, Math.min(MAX_PACE_NANOS, end - start - driverNanos));
        }
    }

    @Override
    public Optional<Realisation> realisation(String objectId) {
        return Optional.ofNullable(realisations.get(objectId));
    }

    @Override
    public boolean realised(long revision) {
        return ledger.realised(revision);
    }

    @Override
    public CompletableFuture<Void> whenRealised(long revision) {
        return ledger.whenRealised(revision);
    }

    @Override
    public List<NodeRealisation> pending(long revision) {
        return ledger.pending(revision);
    }

    @Override
    public List<NodeRealisation> nodes() {
        return ledger.nodes();
    }

    @Override
    public int reconcileNow() {
        resyncAll();
        if (executor == null) {
            return pass();
        }
        Future<Integer> result = executor.submit(this::pass);
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reconciling", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Reconciliation failed: " + e.getMessage(), e);
        }
    }

    private void scheduleRetry() {
        if (executor == null) {
            return;
        }
        long delay = backoffMillis == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        backoffMillis = delay;
        executor.schedule(this::trigger, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * One pass; returns the number of plan steps applied. A full pass when one is due (periodically, after a change
     * of networks, subnets, routes, peerings or drivers, after a failure, and at the start); otherwise an
     * incremental one over what changed since the last pass.
     */
    int pass() {
        RoutingService routes = routing;
        FirewallService filters = firewall;
        Dirty dirty = takeDirty();
        passRevision = dirty.revision();
        outcomes = new HashMap<>();
        if (routes == null || filters == null) {
            synchronized (dirtyLock) {
                dirtyAll = true;
            }
            Caller system = Caller.system();
            String missing = routes == null ? "routing" : "firewall";
            hold(networks.networks(system), ports.ports(system, Optional.empty()), "Held: the " + missing
                    + " service is not running; nothing is pushed to a data plane until it is");
            return 0;
        }
        if (!dirty.all()) {
            OptionalInt applied = incrementalPass(dirty, filters);
            if (applied.isPresent()) {
                ledger.settle(dirty.revision(), dirty.revision(), outcomes);
                return applied.getAsInt();
            }
            outcomes = new HashMap<>();
        }
        // A full pass reads the whole model, but the routes and filters it reads are derived by the routing and
        // firewall services from the model's events: a revision whose events they have not all had yet may be in
        // the model and missing from the routes. So it covers only the revisions every listener had heard of when
        // it began (committed() comes after all listeners have had all of a write's events); later ones are covered
        // by the pass that their committed() triggers.
        int applied = fullPass(routes, filters);
        ledger.settle(dirty.revision(), dirty.revision(), outcomes);
        return applied;
    }

    /** Everything that changed since the last pass took it. */
    private Dirty takeDirty() {
        // Read before the changes are taken: every event of every revision heard of by now is among them.
        long heard = ledger.heard();
        synchronized (dirtyLock) {
            Dirty taken = new Dirty(dirtyAll, dirtyPorts, dirtyGroups, heard);
            dirtyAll = false;
            dirtyPorts = new HashMap<>();
            dirtyGroups = new HashSet<>();
            return taken;
        }
    }

    /** Makes the next pass a full one. */
    void resyncAll() {
        synchronized (dirtyLock) {
            dirtyAll = true;
        }
    }

    /** One level-triggered pass over every node. */
    private int fullPass(RoutingService routes, FirewallService filters) {
        long start = System.nanoTime();
        try {
            return fullPassOver(routes, filters);
        } finally {
            long took = System.nanoTime() - start;
            nextFullPassAt = System.nanoTime() + took * RESYNC_COST_FACTOR;
            LOG.debug("Full pass took {} ms", took / 1_000_000);
        }
    }

    private int fullPassOver(RoutingService routes, FirewallService filters) {
        Caller system = Caller.system();
        List<Network> all = networks.networks(system);
        List<Port> allPorts = ports.ports(system, Optional.empty());
        Map<String, Peering> peeringById = new HashMap<>();
        peerings.peerings(system).forEach(p -> peeringById.put(p.id(), p));
        Map<String, NodeWork> work = gather(all, allPorts, peeringById);
        Map<String, NodeState> nextNodes = new HashMap<>();
        Map<String, String> nextNetworkNode = new HashMap<>();
        Map<String, Set<String>> nextRemote = new HashMap<>();
        Set<String> localTypes = new HashSet<>();
        int applied = 0;
        boolean failed = false;
        // First every node's desired configuration, then what crosses nodes (members of address sets), then the
        // drivers of the local nodes.
        Map<String, NetworkDriver> localDrivers = new HashMap<>();
        for (Map.Entry<String, NodeWork> e : work.entrySet()) {
            String node = e.getKey();
            NodeWork w = e.getValue();
            if (w.local) {
                localTypes.add(w.type);
                w.networks.forEach(n -> nextNetworkNode.put(n.id(), node));
                Optional<NetworkDriver> driver = registry.driver(w.type);
                if (driver.isEmpty()) {
                    String detail = "No driver of type '" + w.type
                            + "' is registered; the data plane is left as it is and changes wait for one";
                    mark(List.copyOf(w.networks), w.ports, RealisationStatus.DRIVER_MISSING, detail);
                    outcomes.put(node, detail);
                    continue;
                }
                localDrivers.put(node, driver.get());
                w.state = new NodeState(w.type, driver.get().capabilities().contains(DriverCapability.ADDRESS_SETS),
                        true);
            } else {
                w.networks.forEach(n -> nextRemote.computeIfAbsent(n.id(), x -> new HashSet<>()).add(node));
                w.state = new NodeState(w.type, true, false);
            }
            try {
                compute(w, peeringById, routes, filters);
            } catch (RuntimeException ex) {
                failed = true;
                w.state = null;
                LOG.warn("Computing the configuration of {} failed: {}", node, ex.toString());
                String detail = "The configuration of " + node + " could not be computed: " + ex.getMessage();
                mark(w.local ? List.copyOf(w.networks) : List.of(), w.ports, RealisationStatus.ERROR, detail);
                outcomes.put(node, detail);
            }
        }
        shareMembers(work);
        overlay(work);
        for (Map.Entry<String, NodeWork> e : work.entrySet()) {
            String node = e.getKey();
            NodeWork w = e.getValue();
            if (w.state == null) {
                continue;
            }
            if (!w.local) {
                nextNodes.put(node, w.state);
                if (!w.waiting.isEmpty()) {
                    // Fail closed: a configuration without a port whose rules are not compiled yet would make the
                    // agent remove that port; the host keeps what was published before until they are.
                    String detail = "Waiting for the firewall to compile the rules of " + w.waiting.size()
                            + " port(s) on " + node + "; the host keeps its configuration meanwhile";
                    w.ports.forEach(p -> set(p.id(), new Realisation(RealisationStatus.PENDING, detail)));
                    outcomes.put(node, detail);
                    failed = true;
                    continue;
                }
                hosts.publish(node, w.state.desired, passRevision);
                outcomes.put(node, remoteStatus(node, w.state, idsOf(w.ports)));
                continue;
            }
            try {
                applied += applyNode(node, w, localDrivers.get(node));
                nextNodes.put(node, w.state);
            } catch (RuntimeException ex) {
                failed = true;
                LOG.warn("Reconciling {} failed: {}", node, ex.toString());
                String detail = "The " + w.type + " driver failed: " + ex.getMessage();
                mark(List.copyOf(w.networks), w.ports, RealisationStatus.ERROR, detail);
                outcomes.put(node, detail);
            }
        }
        applied += emptyNodes(localTypes);
        emptyHosts(work.keySet());
        // A node no network uses any more and whose driver is gone holds nothing Netloom can reach or realise.
        for (String node : allNodes()) {
            outcomes.putIfAbsent(node, "");
        }
        networkDrivers.keySet().retainAll(nextNetworkNode.keySet());
        all.forEach(n -> networkDrivers.put(n.id(), n.driver()));
        work.forEach((node, w) -> ledger.driver(node, w.type));
        // Forget objects that no longer exist.
        Set<String> live = new HashSet<>();
        all.forEach(n -> live.add(n.id()));
        allPorts.forEach(p -> live.add(p.id()));
        realisations.keySet().retainAll(live);
        nodes = nextNodes;
        networkNode = nextNetworkNode;
        remoteNodesOfNetwork = Map.copyOf(nextRemote);
        if (failed) {
            resyncAll();
            scheduleRetry();
        } else {
            backoffMillis = 0;
        }
        return applied;
    }

    /**
     * Places the model on nodes: a local node ({@code node-TYPE}) holds every network of its driver type (as
     * before nodes were hosts) and the ports placed on it; another node holds the ports placed on it, their
     * networks, and the networks those are actively peered with (the source node routes).
     */
    private static Map<String, NodeWork> gather(List<Network> all, List<Port> allPorts,
            Map<String, Peering> peeringById) {
        Map<String, NodeWork> work = new TreeMap<>();
        Map<String, Network> networkById = new HashMap<>();
        for (Network n : all) {
            networkById.put(n.id(), n);
            work.computeIfAbsent(nodeOf(n.driver()), id -> new NodeWork(n.driver(), true)).networks.add(n);
        }
        for (Port p : allPorts) {
            Network n = networkById.get(p.network());
            if (n == null) {
                continue;
            }
            String node = p.hostOr(n.driver());
            NodeWork w = work.computeIfAbsent(node, id -> new NodeWork(n.driver(), id.equals(nodeOf(n.driver()))));
            w.ports.add(p);
            w.networks.add(n);
        }
        for (NodeWork w : work.values()) {
            if (w.local) {
                continue;
            }
            Set<String> own = new HashSet<>();
            w.networks.forEach(n -> own.add(n.id()));
            for (Peering p : peeringById.values()) {
                if (p.state() != PeeringState.ACTIVE) {
                    continue;
                }
                if (own.contains(p.network()) && networkById.containsKey(p.peerNetwork())) {
                    w.networks.add(networkById.get(p.peerNetwork()));
                } else if (own.contains(p.peerNetwork()) && networkById.containsKey(p.network())) {
                    w.networks.add(networkById.get(p.network()));
                }
            }
        }
        return work;
    }

    /** The networks and ports of one node, as a full pass gathers them, and what it computes for them. */
    private static final class NodeWork {
        final String type;
        final boolean local;
        final Set<Network> networks = new LinkedHashSet<>();
        final List<Port> ports = new ArrayList<>();
        NodeState state;
        final List<Port> ready = new ArrayList<>();
        final List<Port> waiting = new ArrayList<>();

        NodeWork(String type, boolean local) {
            this.type = type;
            this.local = local;
        }
    }

    /**
     * The members of an address set are entries of their own node; a node whose rules reference the set holds the
     * members placed on other nodes of its driver type too, so that its rules match them. Only where a driver type
     * has several nodes.
     */
    private static void shareMembers(Map<String, NodeWork> work) {
        Map<String, Integer> nodesOfType = new HashMap<>();
        work.values().forEach(w -> {
            if (w.state != null && w.state.sets) {
                nodesOfType.merge(w.type, 1, Integer::sum);
            }
        });
        if (nodesOfType.values().stream().allMatch(c -> c < 2)) {
            return;
        }
        // type → set → its members' entries, with their nodes
        Map<String, Map<String, List<Map.Entry<String, AddressSetEntry>>>> members = new HashMap<>();
        work.forEach((node, w) -> {
            if (w.state == null || !w.state.sets || nodesOfType.get(w.type) < 2) {
                return;
            }
            for (ConfigEntry entry : w.state.desired.values()) {
                if (entry instanceof AddressSetEntry a) {
                    members.computeIfAbsent(w.type, t -> new HashMap<>())
                            .computeIfAbsent(a.set(), x -> new ArrayList<>()).add(Map.entry(node, a));
                }
            }
        });
        work.forEach((node, w) -> {
            if (w.state == null || !members.containsKey(w.type)) {
                return;
            }
            for (String set : w.state.setRefs.keySet()) {
                for (Map.Entry<String, AddressSetEntry> m : members.get(w.type).getOrDefault(set, List.of())) {
                    if (!m.getKey().equals(node)) {
                        w.state.put(m.getValue());
                    }
                }
            }
        });
    }

    // ---- Overlay (VXLAN between nodes of one driver type): see Overlay. ----

    /**
     * Adds the overlay's entries (a full pass): tunnel endpoints, and the ports placed on the other nodes of an
     * overlay. Only nodes with an underlay address take part, and only where their driver type has several.
     */
    private void overlay(Map<String, NodeWork> work) {
        List<Overlay.Member> members = new ArrayList<>();
        for (Map.Entry<String, NodeWork> e : work.entrySet()) {
            NodeWork w = e.getValue();
            NodeState state = w.state;
            if (state == null) {
                continue;
            }
            Set<String> held = new HashSet<>();
            w.networks.forEach(n -> held.add(n.id()));
            state.held = held;
            state.underlay = w.local ? "" : underlayOf(e.getKey());
            members.add(new Overlay.Member(e.getKey(), w.type, state.underlay, held, state.subnets.values(), w.ready,
                    state::put));
        }
        Set<String> types = Overlay.types(members);
        List<Subnet> segments = new ArrayList<>();
        for (Overlay.Member m : members) {
            if (!m.underlay().isEmpty() && types.contains(m.type())) {
                segments.addAll(m.subnets());
            }
        }
        segmentVnis = Map.copyOf(Overlay.vnis(segments));
        work.values().forEach(w -> {
            if (w.state != null) {
                w.state.overlay = !w.state.underlay.isEmpty() && types.contains(w.type);
            }
        });
        Overlay.build(members, types, segmentVnis);
    }

    @Override
    public OptionalInt overlayVni(String subnetId) {
        Integer vni = segmentVnis.get(subnetId);
        return vni == null ? OptionalInt.empty() : OptionalInt.of(vni);
    }

    /** The underlay address of a node, empty when it has none or is unknown. */
    private String underlayOf(String node) {
        NodeService known = nodeService;
        return known == null ? "" : known.find(node).map(Node::underlayAddress).orElse("");
    }

    /**
     * Puts a port's entry on every other node of its overlay holding its network (an incremental pass): one entry
     * per such node, whatever the size of the model.
     */
    private void remoteOnOtherNodes(Map<String, NodeState> known, String node, NodeState state, Port p,
            Map<String, Set<String>> touched) {
        known.forEach((other, os) -> {
            if (!other.equals(node) && os.overlay && os.type.equals(state.type)) {
                Overlay.remote(p, node, state.underlay, os.held, segmentVnis)
                        .ifPresent(r -> touched.computeIfAbsent(other, x -> new HashSet<>()).add(os.put(r)));
            }
        });
    }

    // ---- End of overlay. ----

    // ---- Registered hosts: their agents realise their configuration (NodeConfigService) ----

    /**
     * The status of the ports placed on a registered host: what its agent reports. The host has realised what the
     * last pass published once its agent reports that configuration's revision (read back, without failures).
     *
     * @param portIds the ports whose status to set
     * @return why the host lags, {@code ""} when it does not
     */
    private String remoteStatus(String node, NodeState state, Collection<String> portIds) {
        NodeService known = nodeService;
        Optional<Node> info = known == null ? Optional.empty() : known.find(node);
        Realisation r;
        if (info.isEmpty()) {
            r = new Realisation(RealisationStatus.ERROR, "Placed on node " + node + ", which does not exist");
        } else if (info.get().status() == NodeStatus.DOWN) {
            hostLiveness.put(node, NodeStatus.DOWN);
            r = new Realisation(RealisationStatus.NODE_DOWN, "Node " + info.get().name() + " is down: "
                    + info.get().statusDetail());
        } else {
            hostLiveness.put(node, info.get().status());
            Optional<AgentReport> report = hosts.report(node);
            Map<String, String> failures = report.map(AgentReport::failures).orElse(Map.of());
            if (hosts.realisedUpTo(node).isPresent() || !failures.isEmpty() && report.get().realisedRevision()
                    >= hosts.config(node).map(VersionedConfig::revision).orElse(Long.MAX_VALUE)) {
                String lag = "";
                for (String id : portIds) {
                    String failed = failureOf(id, state, failures);
                    Realisation p = failed == null ? new Realisation(RealisationStatus.ACTIVE, "")
                            : new Realisation(RealisationStatus.ERROR, "The agent of " + info.get().name()
                                    + " failed: " + failed);
                    lag = lagOf(lag, set(id, p));
                }
                if (lag.isEmpty() && !failures.isEmpty()) {
                    lag = "The agent of " + info.get().name() + " failed: " + failures.values().iterator().next();
                }
                return lag;
            }
            long want = hosts.config(node).map(VersionedConfig::revision).orElse(0L);
            r = new Realisation(RealisationStatus.PENDING, "Placed on node " + info.get().name()
                    + ": waiting for its node agent to realise revision " + want + " (it reported "
                    + report.map(a -> Long.toString(a.realisedRevision())).orElse("nothing yet") + ")");
        }
        portIds.forEach(id -> set(id, r));
        return r.detail();
    }

    /** The first failure the agent reported for an entry of this port, or {@code null}. */
    private static String failureOf(String portId, NodeState state, Map<String, String> failures) {
        if (failures.isEmpty()) {
            return null;
        }
        for (String key : state.keysByOwner.getOrDefault(portId, List.of())) {
            String failed = failures.get(key);
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }

    private static List<String> idsOf(Collection<Port> placed) {
        List<String> ids = new ArrayList<>(placed.size());
        placed.forEach(p -> ids.add(p.id()));
        return ids;
    }

    /** The ports a pass placed on a node (their entries are keyed by their owner, the port). */
    private static List<String> portsOf(NodeState state) {
        List<String> ids = new ArrayList<>();
        state.desired.values().forEach(e -> {
            if (e instanceof PortEntry p) {
                ids.add(p.port());
            }
        });
        return ids;
    }

    /**
     * Publishes an empty configuration to every registered host that holds nothing (none of its ports is left), so
     * its agent removes what it held; forgets hosts that are gone.
     */
    private void emptyHosts(Set<String> holding) {
        NodeService known = nodeService;
        if (known == null) {
            return;
        }
        Set<String> live = new HashSet<>();
        for (Node n : known.nodes(Caller.system())) {
            if (n.local()) {
                continue;
            }
            live.add(n.id());
            if (!holding.contains(n.id())) {
                hosts.publish(n.id(), Map.of(), passRevision);
                NodeState none = new NodeState(n.driver(), true, false);
                outcomes.put(n.id(), remoteStatus(n.id(), none, List.of()));
            }
        }
        hosts.retain(live);
    }

    /** On the pass thread: a host's agent reported, or its liveness changed; its ports and the ledger follow. */
    private void hostChanged(String node) {
        Map<String, NodeState> known = nodes;
        NodeState state = known == null ? null : known.get(node);
        if (state == null || state.local) {
            return;
        }
        String lag = remoteStatus(node, state, portsOf(state));
        Optional<Long> upTo = hosts.realisedUpTo(node);
        long revision = upTo.orElse(0L);
        if (upTo.isPresent() || !lag.isEmpty()) {
            ledger.settle(revision, revision, Map.of(node, lag));
        }
    }

    /** Every second, on the pass thread: a host that went down or came back shows on its ports at once. */
    private void checkHostLiveness() {
        NodeService known = nodeService;
        Map<String, NodeState> current = nodes;
        if (known == null || current == null) {
            return;
        }
        try {
            for (Map.Entry<String, NodeState> e : current.entrySet()) {
                if (e.getValue().local) {
                    continue;
                }
                NodeStatus now = known.find(e.getKey()).map(Node::status).orElse(null);
                NodeStatus shown = hostLiveness.get(e.getKey());
                if (now != null && shown != null && (now == NodeStatus.DOWN) != (shown == NodeStatus.DOWN)) {
                    LOG.info("Node {} is now {}", e.getKey(), now);
                    hostChanged(e.getKey());
                }
            }
        } catch (RuntimeException ex) {
            LOG.warn("Checking the liveness of hosts failed: {}", ex.toString());
        }
    }

    @Override
    public Optional<VersionedConfig> config(String node) {
        return hosts.config(node);
    }

    @Override
    public CompletableFuture<VersionedConfig> newer(String node, long after) {
        return hosts.newer(node, after);
    }

    @Override
    public void report(String node, AgentReport report) {
        if (hosts.report(node, report)) {
            ScheduledExecutorService pass = executor;
            if (pass == null) {
                hostChanged(node);
                return;
            }
            try {
                pass.execute(() -> hostChanged(node));
            } catch (RejectedExecutionException e) {
                // Stopping: nothing to update; the agent's next heartbeat reaches the next reconciler.
                LOG.debug("The report of {} came while the reconciler stops", node);
            }
        }
    }

    /**
     * Reconciles the nodes of registered drivers that no network uses any more, so that what the last network
     * left on them (segments, routes, devices) is removed. A driver that cannot reach its data plane is skipped
     * quietly: with nothing to realise there, its absence is no failure.
     */
    private int emptyNodes(Set<String> used) {
        int applied = 0;
        Set<String> idle = new HashSet<>();
        registry.drivers().forEach(d -> idle.add(d.type()));
        idle.removeAll(used);
        for (String type : idle) {
            Optional<NetworkDriver> driver = registry.driver(type);
            if (driver.isEmpty() || driver.get().health().state() != DriverHealth.State.UP) {
                outcomes.put(nodeOf(type), "");
                continue;
            }
            try {
                NodeWork empty = new NodeWork(type, true);
                empty.state = new NodeState(type, true, true);
                applied += applyNode(nodeOf(type), empty, driver.get());
            } catch (RuntimeException ex) {
                LOG.debug("Clearing the unused node node-{} failed: {}", type, ex.toString());
                outcomes.put(nodeOf(type), "");
            }
        }
        return applied;
    }

    /** Computes a node's desired configuration: its networks' entries and those of the ports placed on it. */
    private void compute(NodeWork w, Map<String, Peering> peeringById, RoutingService routes,
            FirewallService filters) {
        Caller system = Caller.system();
        NodeState state = w.state;
        Map<String, Subnet> subnetById = new HashMap<>();
        for (Network n : w.networks) {
            List<Subnet> subnets = DesiredState.realisable(networks.subnets(system, n.id()));
            subnets.forEach(s -> subnetById.put(s.id(), s));
            DesiredState.networkEntries(n, subnets, routes.routes(system, n.id()), peeringById, state::put);
        }
        state.subnets = subnetById;
        DesiredState.Sets sets = state.sets ? DesiredState.Sets.NATIVE
                : DesiredState.cached(new DesiredState.Sets(filters::addressSet));
        for (Port p : w.ports) {
            Subnet subnet = subnetById.get(p.subnet());
            if (!filters.knows(p.id())) {
                // Fail closed: a port is never realised before its filter rules are compiled.
                w.waiting.add(p);
            } else if (subnet != null) {
                DesiredState.portEntries(p, subnet, filters.compiled(p.id()), filters.memberships(p.id()), sets,
                        state::put);
                w.ready.add(p);
            }
        }
    }

    /** Applies a local node's desired configuration through its driver; returns the number of steps applied. */
    private int applyNode(String node, NodeWork w, NetworkDriver driver) {
        NodeState state = w.state;
        List<Port> ready = w.ready;
        List<Port> waiting = w.waiting;
        Set<Network> nodeNetworks = w.networks;
        NodeConfig desired = new NodeConfig(node, state.desired);
        NodeConfig actual = driver.readActual(node);
        Plan plan = Plans.plan(keepWaitingPorts(desired, actual, waiting), actual);
        ApplyResult result = ApplyResult.success();
        if (!plan.isEmpty()) {
            LOG.info("Applying {} step(s) to {}", plan.steps().size(), node);
            long applyStart = System.nanoTime();
            result = driver.apply(plan);
            actual = driver.readActual(node);
            driverNanos += System.nanoTime() - applyStart;
        }
        String lag = "";
        for (Network n : nodeNetworks) {
            lag = lagOf(lag, set(n.id(), statusOf(n.id(), state, actual, result)));
        }
        for (Port p : ready) {
            lag = lagOf(lag, set(p.id(), statusOf(p.id(), state, actual, result)));
        }
        for (Port p : waiting) {
            lag = lagOf(lag, set(p.id(), new Realisation(RealisationStatus.PENDING,
                    "Waiting for the firewall to compile its rules")));
        }
        outcomes.put(node, lag);
        if (!result.failures().isEmpty() || !waiting.isEmpty()) {
            resyncAll();
            scheduleRetry();
        }
        return plan.steps().size();
    }

    /**
     * Recomputes only the entries of the ports a change touched (those changed, and the members of groups whose
     * rules changed) and diffs only their keys against the driver's actual configuration. Returns empty when the
     * change needs a full pass instead: a port of a network or subnet the last full pass did not see, or a node whose
     * driver has no address sets (its expanded rules depend on every member of a set).
     */
    private OptionalInt incrementalPass(Dirty dirty, FirewallService filters) {
        Map<String, NodeState> known = nodes;
        if (known == null || known.values().stream().anyMatch(n -> !n.sets)) {
            // A node without address sets holds rules expanded over the members of sets: any port change may
            // change other ports' rules there.
            return OptionalInt.empty();
        }
        Map<String, Optional<Port>> changed = new HashMap<>(dirty.ports());
        Caller system = Caller.system();
        for (String group : dirty.groups()) {
            for (String member : filters.addressSet(group).keySet()) {
                changed.computeIfAbsent(member, id -> lookUp(system, id));
            }
        }
        if (changed.isEmpty()) {
            return OptionalInt.of(0);
        }
        // Check first: a change that needs a full pass must not leave the node states half updated.
        for (Optional<Port> port : changed.values()) {
            if (port.isEmpty()) {
                continue;
            }
            String node = placed(port.get());
            NodeState state = node == null ? null : known.get(node);
            if (node == null || state == null || !state.subnets.containsKey(port.get().subnet())
                    || state.overlay && !segmentVnis.containsKey(port.get().subnet())) {
                return OptionalInt.empty();
            }
        }
        if (changesSharedSets(known, changed, filters)) {
            return OptionalInt.empty();
        }
        Map<String, Set<String>> touched = new HashMap<>();
        Map<String, Set<String>> touchedPorts = new HashMap<>();
        /* Port id → the node it is placed on: its status comes from there only. */
        Map<String, String> home = new HashMap<>();
        List<Port> waiting = new ArrayList<>();
        for (Map.Entry<String, Optional<Port>> e : changed.entrySet()) {
            String portId = e.getKey();
            Optional<Port> port = e.getValue();
            if (port.isPresent() && !filters.knows(portId)) {
                // Fail closed: left as the data plane has it until the firewall has compiled it.
                waiting.add(port.get());
                continue;
            }
            // The port's entries as they were, per node (a port that moved leaves its old node).
            Map<String, Map<String, ConfigEntry>> before = new HashMap<>();
            for (Map.Entry<String, NodeState> node : known.entrySet()) {
                Map<String, ConfigEntry> old = node.getValue().removeOwner(portId);
                if (!old.isEmpty()) {
                    before.put(node.getKey(), old);
                    touchedPorts.computeIfAbsent(node.getKey(), n -> new LinkedHashSet<>()).add(portId);
                }
            }
            String node = port.map(this::placed).orElse(null);
            before.forEach((n, old) -> {
                if (!n.equals(node)) {
                    touched.computeIfAbsent(n, x -> new HashSet<>()).addAll(old.keySet());
                }
            });
            if (port.isEmpty()) {
                realisations.remove(portId);
                continue;
            }
            Port p = port.get();
            NodeState state = known.get(node);
            Map<String, ConfigEntry> old = before.getOrDefault(node, Map.of());
            Set<String> keys = touched.computeIfAbsent(node, n -> new HashSet<>());
            // A port realised before has its unchanged entries realised (drift is the full pass's): only what
            // changed is compared with the data plane. Any other port has all of its entries compared.
            Realisation was = realisations.get(portId);
            boolean wasActive = was != null && was.status() == RealisationStatus.ACTIVE && !old.isEmpty();
            Set<String> now = new HashSet<>();
            List<AddressSetEntry> memberships = new ArrayList<>();
            DesiredState.portEntries(p, state.subnets.get(p.subnet()), filters.compiled(portId),
                    filters.memberships(portId), DesiredState.Sets.NATIVE, entry -> {
                        String key = state.put(entry);
                        now.add(key);
                        if (!wasActive || !entry.equals(old.get(key))) {
                            keys.add(key);
                        }
                        if (entry instanceof AddressSetEntry a) {
                            memberships.add(a);
                        }
                    });
            home.put(portId, node);
            if (state.overlay) {
                remoteOnOtherNodes(known, node, state, p, touched);
            }
            if (!memberships.isEmpty() && sharesMembers(known, node, state)) {
                // Its memberships reach the other nodes of its type whose rules reference those sets.
                known.forEach((other, os) -> {
                    if (!other.equals(node) && os.type.equals(state.type)) {
                        for (AddressSetEntry a : memberships) {
                            if (os.references(a.set())) {
                                touched.computeIfAbsent(other, x -> new HashSet<>()).add(os.put(a));
                            }
                        }
                    }
                });
            }
            for (String key : old.keySet()) {
                if (!now.contains(key)) {
                    keys.add(key);
                }
            }
            touchedPorts.computeIfAbsent(node, n -> new LinkedHashSet<>()).add(portId);
        }
        int applied = 0;
        for (Map.Entry<String, Set<String>> e : touched.entrySet()) {
            String node = e.getKey();
            NodeState state = known.get(node);
            Set<String> portIds = new LinkedHashSet<>(touchedPorts.getOrDefault(node, Set.of()));
            portIds.removeIf(id -> !node.equals(home.get(id)));
            if (!state.local) {
                hosts.publish(node, state.desired, passRevision);
                outcomes.put(node, remoteStatus(node, state, portIds));
                continue;
            }
            Optional<NetworkDriver> driver = registry.driver(state.type);
            if (driver.isEmpty()) {
                String detail = "No driver of type '" + state.type
                        + "' is registered; the data plane is left as it is and changes wait for one";
                portIds.forEach(id -> {
                    if (state.keysByOwner.containsKey(id)) {
                        set(id, new Realisation(RealisationStatus.DRIVER_MISSING, detail));
                    }
                });
                outcomes.put(node, detail);
                continue;
            }
            try {
                // Only the touched keys are read: realising one port must not cost a read of the whole node.
                NodeConfig actual = driver.get().readActual(node, e.getValue());
                Plan plan = Plans.plan(node, e.getValue(), state.desired, actual.entries());
                ApplyResult result = ApplyResult.success();
                if (!plan.isEmpty()) {
                    LOG.debug("Applying {} step(s) to {} for {} changed port(s)", plan.steps().size(), node,
                            portIds.size());
                    long applyStart = System.nanoTime();
                    result = driver.get().apply(plan);
                    actual = driver.get().readActual(node, e.getValue());
                    driverNanos += System.nanoTime() - applyStart;
                }
                String lag = "";
                for (String id : portIds) {
                    if (state.keysByOwner.containsKey(id)) {
                        lag = lagOf(lag, set(id, statusOf(id, state, actual, result, e.getValue())));
                    }
                }
                if (lag.isEmpty() && !result.failures().isEmpty()) {
                    lag = "Failed: " + result.failures().values().iterator().next();
                }
                outcomes.put(node, lag);
                applied += plan.steps().size();
                if (!result.failures().isEmpty()) {
                    resyncAll();
                    scheduleRetry();
                }
            } catch (RuntimeException ex) {
                LOG.warn("Reconciling {} failed: {}", node, ex.toString());
                String detail = "The " + state.type + " driver failed: " + ex.getMessage();
                portIds.forEach(id -> set(id, new Realisation(RealisationStatus.ERROR, detail)));
                outcomes.put(node, detail);
                resyncAll();
                scheduleRetry();
            }
        }
        if (!waiting.isEmpty()) {
            synchronized (dirtyLock) {
                waiting.forEach(p -> dirtyPorts.putIfAbsent(p.id(), Optional.of(p)));
            }
            waiting.forEach(p -> set(p.id(), new Realisation(RealisationStatus.PENDING,
                    "Waiting for the firewall to compile its rules")));
            waiting.forEach(p -> {
                String node = placed(p);
                if (node != null) {
                    outcomes.put(node, "Waiting for the firewall to compile the rules of " + p.id());
                }
            });
            scheduleRetry();
        }
        return OptionalInt.of(applied);
    }

    /**
     * For tests, on the pass thread: what the last pass computed for a node.
     *
     * @param node a node id
     * @return its desired entries by key, empty when the last pass computed none
     */
    Map<String, ConfigEntry> desiredOf(String node) {
        Map<String, NodeState> known = nodes;
        NodeState state = known == null ? null : known.get(node);
        return state == null ? Map.of() : Map.copyOf(state.desired);
    }

    /**
     * @return the node a port is placed on, or {@code null} when the last full pass did not see its network
     */
    private String placed(Port p) {
        String local = networkNode.get(p.network());
        return local == null || p.host() == null ? local : p.host();
    }

    /**
     * Whether the changed ports make a node that shares members with other nodes start or stop referencing a set
     * (it must then hold or drop the members placed elsewhere), or take the last port of a network off a node
     * that is not the controller's own (the network goes too): a full pass works those out. Costs the changed
     * ports' own entries, not the model's.
     */
    private boolean changesSharedSets(Map<String, NodeState> known, Map<String, Optional<Port>> changed,
            FirewallService filters) {
        /* node → set → the change in the number of its filter entries that reference the set */
        Map<String, Map<String, Integer>> delta = new HashMap<>();
        Map<String, Map<String, Integer>> portsLeaving = new HashMap<>();
        for (Map.Entry<String, Optional<Port>> e : changed.entrySet()) {
            String portId = e.getKey();
            String home = e.getValue().map(this::placed).orElse(null);
            for (Map.Entry<String, NodeState> n : known.entrySet()) {
                String node = n.getKey();
                NodeState state = n.getValue();
                boolean isHome = node.equals(home);
                List<String> keys = state.keysByOwner.get(portId);
                if (!isHome && keys == null) {
                    continue;
                }
                if (!state.local && !isHome && state.desired.get(PortEntry.keyOf(portId)) instanceof PortEntry left) {
                    portsLeaving.computeIfAbsent(node, x -> new HashMap<>()).merge(left.network(), 1, Integer::sum);
                }
                if (!sharesMembers(known, node, state)) {
                    continue;
                }
                Map<String, Integer> d = delta.computeIfAbsent(node, x -> new HashMap<>());
                for (String key : keys == null ? List.<String>of() : keys) {
                    if (state.desired.get(key) instanceof FilterEntry f && f.rule().referencesSet()) {
                        d.merge(f.rule().remoteSet(), -1, Integer::sum);
                    }
                }
                if (isHome) {
                    Set<String> now = new HashSet<>();
                    for (FilterRule rule : filters.compiled(portId)) {
                        if (rule.referencesSet() && now.add(new FilterEntry(rule).key())) {
                            d.merge(rule.remoteSet(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Map<String, Integer>> e : delta.entrySet()) {
            NodeState state = known.get(e.getKey());
            for (Map.Entry<String, Integer> d : e.getValue().entrySet()) {
                int before = state.setRefs.getOrDefault(d.getKey(), 0);
                if ((before > 0) != (before + d.getValue() > 0)) {
                    return true;
                }
            }
        }
        for (Map.Entry<String, Map<String, Integer>> e : portsLeaving.entrySet()) {
            NodeState state = known.get(e.getKey());
            for (Map.Entry<String, Integer> left : e.getValue().entrySet()) {
                if (state.portsIn.getOrDefault(left.getKey(), 0) <= left.getValue()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a node's driver type has other nodes, with which it shares the members of address sets. */
    private static boolean sharesMembers(Map<String, NodeState> known, String node, NodeState state) {
        for (Map.Entry<String, NodeState> e : known.entrySet()) {
            if (!e.getKey().equals(node) && e.getValue().type.equals(state.type)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Port> lookUp(Caller system, String portId) {
        try {
            return Optional.of(ports.port(system, portId));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Entries of ports still waiting for the firewall stay as the data plane has them: neither added nor removed. */
    private static NodeConfig keepWaitingPorts(NodeConfig desired, NodeConfig actual, List<Port> waiting) {
        if (waiting.isEmpty()) {
            return desired;
        }
        Set<String> waitingIds = new HashSet<>();
        waiting.forEach(p -> waitingIds.add(p.id()));
        Map<String, ConfigEntry> merged = new HashMap<>(desired.entries());
        actual.entries().forEach((key, entry) -> {
            if (waitingIds.contains(entry.owner())) {
                merged.put(key, entry);
            }
        });
        return new NodeConfig(desired.node(), merged);
    }

    private static Realisation statusOf(String owner, NodeState state, NodeConfig actual, ApplyResult result) {
        return statusOf(owner, state, actual, result, null);
    }

    /**
     * @param compared the keys compared with the data plane, or {@code null} for all: the owner's other entries are
     *     unchanged since they were found realised
     */
    private static Realisation statusOf(String owner, NodeState state, NodeConfig actual, ApplyResult result,
            Set<String> compared) {
        for (String key : state.keysByOwner.getOrDefault(owner, List.of())) {
            if (compared != null && !compared.contains(key)) {
                continue;
            }
            String failure = result.failures().get(key);
            if (failure != null) {
                return new Realisation(RealisationStatus.ERROR, failure);
            }
            if (!state.desired.get(key).equals(actual.entries().get(key))) {
                return new Realisation(RealisationStatus.PENDING, "Not yet on the data plane: " + key);
            }
        }
        return new Realisation(RealisationStatus.ACTIVE, "");
    }

    /** What changed since a pass last looked: whether everything, the ports (empty when deleted), the groups. */
    private record Dirty(boolean all, Map<String, Optional<Port>> ports, Set<String> groups, long revision) {
    }

    /**
     * What the reconciler last computed for one node: its desired entries with their keys grouped by owner, so a
     * change can replace one owner's entries. Only the pass thread uses it.
     */
    static final class NodeState {
        final String type;
        /** Whether the node's driver has address sets. */
        final boolean sets;
        final Map<String, ConfigEntry> desired = new HashMap<>();
        /** Owner → its keys; a list, as an owner has few (a port: itself, its rules, its memberships). */
        final Map<String, List<String>> keysByOwner = new HashMap<>();
        /** The subnets of the node's networks, by id, as the last full pass read them. */
        Map<String, Subnet> subnets = Map.of();

        /** Whether the node is the controller's own, programmed by a driver here. */
        final boolean local;
        /** Set id → how many of the node's filter entries reference it. */
        final Map<String, Integer> setRefs = new HashMap<>();
        /** Network id → how many of the node's ports are in it. */
        final Map<String, Integer> portsIn = new HashMap<>();
        /** The ids of the networks the node holds (overlay). */
        Set<String> held = Set.of();
        /** The node's underlay address, empty when it has none (overlay). */
        String underlay = "";
        /** Whether the node takes part in an overlay with other nodes of its type. */
        boolean overlay;

        NodeState(String type, boolean sets, boolean local) {
            this.type = type;
            this.sets = sets;
            this.local = local;
        }

        String put(ConfigEntry entry) {
            String key = entry.key();
            ConfigEntry before = desired.put(key, entry);
            countRef(before, -1);
            countRef(entry, 1);
            if (before != null && !before.owner().equals(entry.owner())) {
                List<String> keys = keysByOwner.get(before.owner());
                if (keys != null) {
                    keys.remove(key);
                }
            }
            List<String> keys = keysByOwner.computeIfAbsent(entry.owner(), o -> new ArrayList<>(4));
            if (before == null || !before.owner().equals(entry.owner())) {
                keys.add(key);
            }
            return key;
        }

        /** Removes an owner's entries; returns them by key. */
        Map<String, ConfigEntry> removeOwner(String owner) {
            List<String> keys = keysByOwner.remove(owner);
            if (keys == null) {
                return Map.of();
            }
            Map<String, ConfigEntry> removed = new HashMap<>();
            for (String key : keys) {
                ConfigEntry entry = desired.remove(key);
                if (entry != null) {
                    countRef(entry, -1);
                    removed.put(key, entry);
                }
            }
            return removed;
        }

        /** Whether any filter entry of the node references a set. */
        boolean references(String set) {
            return setRefs.containsKey(set);
        }

        private void countRef(ConfigEntry entry, int delta) {
            if (entry instanceof FilterEntry f && f.rule().referencesSet()) {
                setRefs.merge(f.rule().remoteSet(), delta, (a, b) -> a + b == 0 ? null : a + b);
            } else if (entry instanceof PortEntry p) {
                portsIn.merge(p.network(), delta, (a, b) -> a + b == 0 ? null : a + b);
            }
        }
    }

    private void hold(List<Network> all, List<Port> allPorts, String detail) {
        for (Network n : all) {
            holdOne(n.id(), detail);
        }
        for (Port p : allPorts) {
            holdOne(p.id(), detail);
        }
        LOG.debug("{}", detail);
    }

    private void holdOne(String id, String detail) {
        Realisation now = realisations.get(id);
        if (now == null || now.status() != RealisationStatus.ACTIVE) {
            set(id, new Realisation(RealisationStatus.PENDING, detail));
        }
    }

    private void mark(List<Network> nodeNetworks, List<Port> nodePorts, RealisationStatus status, String detail) {
        nodeNetworks.forEach(n -> set(n.id(), new Realisation(status, detail)));
        nodePorts.forEach(p -> set(p.id(), new Realisation(status, detail)));
    }

    private Realisation set(String id, Realisation realisation) {
        Realisation before = realisations.put(id, realisation);
        if (before != null && before.status() != realisation.status()) {
            LOG.debug("{} is now {}", id, realisation.status());
        }
        return realisation;
    }

    /** The first reason a node lags: {@code lag} when there is one already, else why {@code r} is not active. */
    private static String lagOf(String lag, Realisation r) {
        if (!lag.isEmpty() || r.status() == RealisationStatus.ACTIVE) {
            return lag;
        }
        return r.detail().isEmpty() ? r.status().toString() : r.detail();
    }
}
