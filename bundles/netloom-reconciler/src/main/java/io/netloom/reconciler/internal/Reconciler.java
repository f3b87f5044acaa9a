package io.netloom.reconciler.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverHealth;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.driver.NetworkDriver;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Subnet;
import io.netloom.api.realisation.Realisation;
import io.netloom.api.realisation.RealisationService;
import io.netloom.api.routing.Route;
import io.netloom.api.routing.RoutingService;

/**
 * Realises the desired state on the data planes, level-triggered: each pass computes every node's desired
 * configuration from the model, the route tables and the compiled filter rules, reads what the node's driver
 * holds, and applies only the difference. A pass over an unchanged model applies nothing. Passes run on one thread,
 * after every model change, driver or policy (un)binding, periodically (which also repairs drift), and again with
 * backoff after a failure.
 *
 * <p>Fail closed: while the routing or firewall service is away nothing is pushed at all, and objects not yet
 * realised stay {@code PENDING} saying why. While no driver of a type is registered its objects are
 * {@code DRIVER_MISSING} and its data plane is left as it is.
 */
@Component(immediate = true, service = {RealisationService.class, ModelListener.class})
public class Reconciler implements RealisationService, ModelListener {

    static final long RESYNC_SECONDS = 5;
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, bind = "bindRouting", unbind = "unbindRouting")
    private volatile RoutingService routing;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, bind = "bindFirewall", unbind = "unbindFirewall")
    private volatile FirewallService firewall;

    private final Map<String, Realisation> realisations = new ConcurrentHashMap<>();
    private final AtomicBoolean passQueued = new AtomicBoolean();
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
        this.networks = networks;
        this.ports = ports;
        this.peerings = peerings;
        this.registry = registry;
        this.routing = routing;
        this.firewall = firewall;
    }

    @Activate
    void activate() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netloom-reconciler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::trigger, RESYNC_SECONDS, RESYNC_SECONDS, TimeUnit.SECONDS);
        LOG.info("Reconciler started; it resyncs every {} s", RESYNC_SECONDS);
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
        trigger();
    }

    void unbindRouting(RoutingService service) {
        if (routing == service) {
            routing = null;
        }
        trigger();
    }

    void bindFirewall(FirewallService service) {
        firewall = service;
        trigger();
    }

    void unbindFirewall(FirewallService service) {
        if (firewall == service) {
            firewall = null;
        }
        trigger();
    }

    /** Drivers come and go: every change of the set of drivers is a reason to reconcile. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(NetworkDriver driver) {
        trigger();
    }

    void unbindDriver(NetworkDriver driver) {
        trigger();
    }

    @Override
    public void event(ModelEvent event) {
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
    public int reconcileNow() {
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

    /** One level-triggered pass over every node; returns the number of plan steps applied. */
    int pass() {
        Caller system = Caller.system();
        List<Network> all = networks.networks(system);
        List<Port> allPorts = ports.ports(system, Optional.empty());
        RoutingService routes = routing;
        FirewallService filters = firewall;
        if (routes == null || filters == null) {
            String missing = routes == null ? "routing" : "firewall";
            hold(all, allPorts, "Held: the " + missing + " service is not running; nothing is pushed to a data "
                    + "plane until it is");
            return 0;
        }
        Map<String, List<Network>> byType = new HashMap<>();
        all.forEach(n -> byType.computeIfAbsent(n.driver(), t -> new ArrayList<>()).add(n));
        Map<String, Peering> peeringById = new HashMap<>();
        peerings.peerings(system).forEach(p -> peeringById.put(p.id(), p));
        int applied = 0;
        boolean failed = false;
        for (Map.Entry<String, List<Network>> e : byType.entrySet()) {
            String type = e.getKey();
            String node = "node-" + type;
            Set<String> networkIds = new HashSet<>();
            e.getValue().forEach(n -> networkIds.add(n.id()));
            List<Port> nodePorts = allPorts.stream().filter(p -> networkIds.contains(p.network())).toList();
            Optional<NetworkDriver> driver = registry.driver(type);
            if (driver.isEmpty()) {
                mark(e.getValue(), nodePorts, RealisationStatus.DRIVER_MISSING, "No driver of type '" + type
                        + "' is registered; the data plane is left as it is and changes wait for one");
                continue;
            }
            try {
                applied += reconcileNode(node, e.getValue(), nodePorts, peeringById, routes, filters, driver.get());
            } catch (RuntimeException ex) {
                failed = true;
                LOG.warn("Reconciling {} failed: {}", node, ex.toString());
                mark(e.getValue(), nodePorts, RealisationStatus.ERROR, "The " + type + " driver failed: "
                        + ex.getMessage());
            }
        }
        applied += emptyNodes(byType.keySet(), peeringById, routes, filters);
        // Forget objects that no longer exist.
        Set<String> live = new HashSet<>();
        all.forEach(n -> live.add(n.id()));
        allPorts.forEach(p -> live.add(p.id()));
        realisations.keySet().retainAll(live);
        if (failed) {
            scheduleRetry();
        } else {
            backoffMillis = 0;
        }
        return applied;
    }

    /**
     * Reconciles the nodes of registered drivers that no network uses any more, so that what the last network
     * left on them (segments, routes, devices) is removed. A driver that cannot reach its data plane is skipped
     * quietly: with nothing to realise there, its absence is no failure.
     */
    private int emptyNodes(Set<String> used, Map<String, Peering> peeringById, RoutingService routes,
            FirewallService filters) {
        int applied = 0;
        Set<String> idle = new HashSet<>();
        registry.drivers().forEach(d -> idle.add(d.type()));
        idle.removeAll(used);
        for (String type : idle) {
            Optional<NetworkDriver> driver = registry.driver(type);
            if (driver.isEmpty() || driver.get().health().state() != DriverHealth.State.UP) {
                continue;
            }
            try {
                applied += reconcileNode("node-" + type, List.of(), List.of(), peeringById, routes, filters,
                        driver.get());
            } catch (RuntimeException ex) {
                LOG.debug("Clearing the unused node node-{} failed: {}", type, ex.toString());
            }
        }
        return applied;
    }

    private int reconcileNode(String node, List<Network> nodeNetworks, List<Port> nodePorts,
            Map<String, Peering> peeringById, RoutingService routes, FirewallService filters, NetworkDriver driver) {
        Caller system = Caller.system();
        Map<String, List<Subnet>> subnets = new HashMap<>();
        Map<String, List<Route>> routeTables = new HashMap<>();
        for (Network n : nodeNetworks) {
            subnets.put(n.id(), networks.subnets(system, n.id()));
            routeTables.put(n.id(), routes.routes(system, n.id()));
        }
        Map<String, List<FilterRule>> compiled = new HashMap<>();
        List<Port> ready = new ArrayList<>();
        List<Port> waiting = new ArrayList<>();
        for (Port p : nodePorts) {
            if (firewallKnows(filters, p.id())) {
                compiled.put(p.id(), filters.compiled(p.id()));
                ready.add(p);
            } else {
                // Fail closed: a port is never realised before its filter rules are compiled.
                waiting.add(p);
            }
        }
        NodeConfig desired = DesiredState.compute(node, new DesiredState.Inputs(nodeNetworks, subnets, ready,
                routeTables, peeringById, compiled));
        NodeConfig actual = driver.readActual(node);
        Plan plan = Planner.plan(keepWaitingPorts(desired, actual, waiting), actual);
        ApplyResult result = ApplyResult.success();
        if (!plan.isEmpty()) {
            LOG.info("Applying {} step(s) to {}", plan.steps().size(), node);
            long applyStart = System.nanoTime();
            result = driver.apply(plan);
            actual = driver.readActual(node);
            driverNanos += System.nanoTime() - applyStart;
        }
        recordStatus(nodeNetworks, ready, waiting, desired, actual, result);
        if (!result.failures().isEmpty() || !waiting.isEmpty()) {
            scheduleRetry();
        }
        return plan.steps().size();
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

    private static boolean firewallKnows(FirewallService filters, String portId) {
        try {
            filters.decide(portId, Direction.EGRESS, Protocol.ICMP, "0.0.0.0", 0);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void recordStatus(List<Network> nodeNetworks, List<Port> ready, List<Port> waiting, NodeConfig desired,
            NodeConfig actual, ApplyResult result) {
        // Entries by owner, with the keys the map already holds: computing an entry's key builds a string, and a
        // node of a thousand ports holds tens of thousands of entries.
        Map<String, List<Map.Entry<String, ConfigEntry>>> byOwner = new HashMap<>();
        for (Map.Entry<String, ConfigEntry> entry : desired.entries().entrySet()) {
            byOwner.computeIfAbsent(entry.getValue().owner(), o -> new ArrayList<>()).add(entry);
        }
        for (Network n : nodeNetworks) {
            set(n.id(), statusOf(n.id(), byOwner, actual, result));
        }
        for (Port p : ready) {
            set(p.id(), statusOf(p.id(), byOwner, actual, result));
        }
        for (Port p : waiting) {
            set(p.id(), new Realisation(RealisationStatus.PENDING, "Waiting for the firewall to compile its rules"));
        }
    }

    private static Realisation statusOf(String owner, Map<String, List<Map.Entry<String, ConfigEntry>>> byOwner,
            NodeConfig actual, ApplyResult result) {
        for (Map.Entry<String, ConfigEntry> entry : byOwner.getOrDefault(owner, List.of())) {
            String failure = result.failures().get(entry.getKey());
            if (failure != null) {
                return new Realisation(RealisationStatus.ERROR, failure);
            }
            if (!entry.getValue().equals(actual.entries().get(entry.getKey()))) {
                return new Realisation(RealisationStatus.PENDING, "Not yet on the data plane: " + entry.getKey());
            }
        }
        return new Realisation(RealisationStatus.ACTIVE, "");
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

    private void set(String id, Realisation realisation) {
        Realisation before = realisations.put(id, realisation);
        if (before != null && before.status() != realisation.status()) {
            LOG.debug("{} is now {}", id, realisation.status());
        }
    }
}
