package io.netloom.driver.ovs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.DriverException;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.SegmentEntry;

/**
 * What the Open vSwitch driver does, apart from its connections: turns plans into atomic flow replacements and
 * ports, and tells from the switch what is realised.
 *
 * <p><b>What is actual.</b> The switch's flows carry cookies, not entries, so the engine keeps a journal of the
 * entries it applied (with the OpenFlow port a port's flows were computed for). An entry is reported actual only
 * when the switch holds exactly the number of flows the pipeline gives it under its cookie, and, for a bound port,
 * when the bridge has its interface with the same OpenFlow port and its namespace end is configured. So flows
 * deleted behind Netloom's back, a restarted switch or a removed veth show as missing, and the reconciler puts them
 * back. The journal is kept across driver restarts ({@link #journal()}, {@link #adopt}); when it is lost, nothing is
 * reported and everything is re-added, which replaces the flows atomically under the same cookies: traffic never
 * stops.
 *
 * <p><b>Atomicity.</b> One plan is one OpenFlow bundle: the flows of every entry the plan touches are deleted by
 * cookie and the new ones added in the same bundle, so a change is make-before-break. When the bundle is refused,
 * the entries are retried one bundle each, so that one bad entry fails alone.
 */
final class OvsEngine {

    private static final Logger LOG = LoggerFactory.getLogger(OvsEngine.class);
    /** How long a read of the switch's flows is trusted. */
    static final Duration FRESH = Duration.ofSeconds(3);
    /** An apply that takes longer is logged at INFO with where the time went. */
    private static final long SLOW_APPLY_MS = 1000;

    private final SwitchFlows flows;
    private final Duration fresh;
    private final BridgeDb db;
    private final PortPlumbing plumbing;
    private final Map<String, Applied> journal = new LinkedHashMap<>();
    private final Map<Long, String> cookies = new HashMap<>();
    /** The ports this engine bound to their namespaces, as it bound them. */
    private final Map<String, PortEntry> bound = new HashMap<>();
    /** The cookies the switch held at the last read: an added entry whose cookie was absent needs no delete. */
    private Set<Long> installed;
    private Map<Long, Integer> cached;
    private long cachedAt;

    /**
     * An entry as it was applied.
     *
     * @param entry the entry
     * @param ofport the OpenFlow port its flows were computed for (bound ports only)
     */
    record Applied(ConfigEntry entry, Optional<Integer> ofport) {
    }

    OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing) {
        this(flows, db, plumbing, FRESH);
    }

    /** For tests: with how long a read of the switch is trusted ({@link Duration#ZERO}: never). */
    OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing, Duration fresh) {
        this.fresh = fresh;
        this.flows = flows;
        this.db = db;
        this.plumbing = plumbing;
    }

    /**
     * @return a copy of the journal, to keep across a restart of the driver
     */
    synchronized List<Applied> journal() {
        return new ArrayList<>(journal.values());
    }

    /**
     * Takes over the journal a previous instance of the driver kept; what it claims is checked against the switch
     * at every read, so a stale journal costs a re-apply, never a wrong answer.
     *
     * @param applied the entries
     */
    synchronized void adopt(List<Applied> applied) {
        applied.forEach(this::record);
    }

    synchronized NodeConfig readActual(String node) {
        requireConnected();
        Map<Long, Integer> counts = counts();
        int base = Pipeline.baseFlows().size();
        if (counts.getOrDefault(Pipeline.BASE_COOKIE, 0) != base) {
            LOG.info("The bridge holds {} of Netloom's {} base flows; installing them",
                    counts.getOrDefault(Pipeline.BASE_COOKIE, 0), base);
            cached = null;
            flows.replace(List.of(Pipeline.BASE_COOKIE), Pipeline.baseFlows());
        }
        Map<String, BridgeDb.BridgePort> ports = db.ports();
        List<ConfigEntry> actual = new ArrayList<>();
        for (Applied applied : journal.values()) {
            if (isRealised(applied, counts, ports)) {
                actual.add(applied.entry());
            }
        }
        return NodeConfig.of(node, actual);
    }

    /**
     * The switch's flows per cookie: read from the switch at most every {@link #FRESH} (a read of 100,000 flows
     * takes seconds, and the reconciler reads before every plan), and kept up to date by this engine's own
     * changes in between. So drift made behind Netloom's back shows within that time plus a reconcile period.
     */
    private Map<Long, Integer> counts() {
        if (cached == null || System.nanoTime() - cachedAt >= fresh.toNanos()) {
            cached = new HashMap<>(flows.cookieCounts());
            cachedAt = System.nanoTime();
        }
        installed = cached.keySet();
        return cached;
    }

    private void changed(List<Long> deleted, List<FlowSpec> added) {
        if (cached == null) {
            return;
        }
        deleted.forEach(cached::remove);
        added.forEach(f -> cached.merge(f.cookie(), 1, Integer::sum));
    }

    private boolean isRealised(Applied applied, Map<Long, Integer> counts, Map<String, BridgeDb.BridgePort> ports) {
        ConfigEntry entry = applied.entry();
        if (entry instanceof PortEntry port && port.bindingType() != null) {
            BridgeDb.BridgePort onBridge = ports.get(port.port());
            if (onBridge == null || onBridge.ofport().isEmpty() || !onBridge.ofport().equals(applied.ofport())) {
                return false;
            }
            Optional<Integer> prefix = prefixLength(port.subnet());
            if (prefix.isEmpty() || !plumbing.isBound(port, prefix.get())) {
                return false;
            }
        }
        int expected = Pipeline.flows(entry, applied.ofport()).size();
        return counts.getOrDefault(Pipeline.cookie(entry.key()), 0) == expected;
    }

    synchronized ApplyResult apply(Plan plan) {
        long t0 = System.nanoTime();
        requireConnected();
        db.ensureBridge();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, Applied> toAdd = new LinkedHashMap<>();
        Map<String, List<FlowSpec>> compiled = new HashMap<>();
        Map<String, ConfigEntry> removed = new LinkedHashMap<>();
        Map<String, Long> cookieOf = new HashMap<>(plan.steps().size() * 2);
        Map<PortEntry, Integer> toPlumb = new LinkedHashMap<>();
        for (PlanStep step : plan.steps()) {
            ConfigEntry entry = step.entry();
            String key = entry.key();
            if (step.op() == PlanStep.Op.REMOVE) {
                removed.put(key, entry);
                continue;
            }
            try {
                Optional<String> unsupported = Pipeline.unsupported(entry);
                if (unsupported.isPresent()) {
                    failures.put(key, unsupported.get());
                    continue;
                }
                long cookie = Pipeline.cookie(key);
                checkCookie(key, cookie);
                cookieOf.put(key, cookie);
                if (entry instanceof PortEntry port && port.bindingType() != null) {
                    int prefix = prefixLength(port.subnet(), toAdd).orElseThrow(() -> new DriverException("Port "
                            + port.port() + ": its subnet " + port.subnet() + " is not realised on the bridge yet",
                            null));
                    toPlumb.put(port, prefix);
                    continue;
                }
                // Computed before anything moves, so that what the pipeline cannot express is refused alone.
                compiled.put(key, Pipeline.flows(entry, Optional.empty(), cookie));
                toAdd.put(key, new Applied(entry, Optional.empty()));
            } catch (RuntimeException e) {
                LOG.warn("Cannot realise {}: {}", key, e.getMessage());
                failures.put(key, e.getMessage());
            }
        }
        long t1 = System.nanoTime();
        if (!toPlumb.isEmpty()) {
            plumb(toPlumb, cookieOf, compiled, toAdd, failures);
        }
        long t2 = System.nanoTime();
        List<Long> deletes = new ArrayList<>();
        removed.keySet().forEach(key -> deletes.add(Pipeline.cookie(key)));
        List<FlowSpec> adds = new ArrayList<>();
        for (Map.Entry<String, Applied> e : toAdd.entrySet()) {
            long cookie = cookieOf.get(e.getKey());
            // Replacing needs the old flows gone in the same bundle; a first install (most of a large plan) does
            // not, and every delete is a lookup the switch makes.
            if (installed == null || installed.contains(cookie) || cookies.containsKey(cookie)) {
                deletes.add(cookie);
            }
            adds.addAll(compiled.get(e.getKey()));
        }
        if (!deletes.isEmpty() || !adds.isEmpty()) {
            try {
                flows.replace(deletes, adds);
                changed(deletes, adds);
                toAdd.forEach((key, a) -> record(key, cookieOf.get(key), a));
            } catch (DriverException failure) {
                cached = null;
                if (toAdd.size() + removed.size() <= 1) {
                    toAdd.keySet().forEach(k -> failures.put(k, failure.getMessage()));
                    removed.keySet().forEach(k -> failures.put(k, failure.getMessage()));
                    return new ApplyResult(failures);
                }
                LOG.warn("A bundle of {} change(s) was refused ({}); applying them one by one",
                        toAdd.size() + removed.size(), failure.getMessage());
                oneByOne(removed, toAdd, failures);
            }
        }
        for (Map.Entry<String, ConfigEntry> gone : removed.entrySet()) {
            String key = gone.getKey();
            if (failures.containsKey(key) || toAdd.containsKey(key)) {
                continue; // a replaced entry's journal line and devices are the new ones'
            }
            forget(key);
            if (gone.getValue() instanceof PortEntry port && port.bindingType() != null) {
                unplumb(port.port(), key, failures);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms >= SLOW_APPLY_MS) {
            LOG.info("Applied {} step(s) in {} ms ({} port(s) plumbed in {} ms, {} flow(s) added and {} cookie(s) "
                    + "replaced in {} ms), {} failure(s)", plan.steps().size(), ms, toPlumb.size(),
                    (t2 - t1) / 1_000_000, adds.size(), deletes.size(), (System.nanoTime() - t2) / 1_000_000,
                    failures.size());
        } else {
            LOG.debug("Applied {} step(s) in {} ms: {} flow(s) added, {} cookie(s) replaced, {} failure(s)",
                    plan.steps().size(), ms, adds.size(), deletes.size(), failures.size());
        }
        return new ApplyResult(failures);
    }

    private void oneByOne(Map<String, ConfigEntry> removed, Map<String, Applied> toAdd,
            Map<String, String> failures) {
        for (String key : removed.keySet()) {
            try {
                flows.replace(List.of(Pipeline.cookie(key)), List.of());
            } catch (DriverException e) {
                failures.put(key, e.getMessage());
            }
        }
        for (Applied a : toAdd.values()) {
            String key = a.entry().key();
            try {
                long cookie = Pipeline.cookie(key);
                flows.replace(List.of(cookie), Pipeline.flows(a.entry(), a.ofport(), cookie));
                record(key, cookie, a);
            } catch (DriverException e) {
                failures.put(key, e.getMessage());
            }
        }
    }

    /**
     * Binds the plan's ports to their namespaces and adds them to the bridge, all at once (a few processes and one
     * OVSDB transaction whatever their number), then computes their flows for the OpenFlow ports they got. A port
     * that fails is reported alone.
     */
    private void plumb(Map<PortEntry, Integer> ports, Map<String, Long> cookieOf, Map<String, List<FlowSpec>> compiled,
            Map<String, Applied> toAdd, Map<String, String> failures) {
        long t0 = System.nanoTime();
        // A port this engine bound as it is now, still bound, is not bound again (say its bridge port was not
        // numbered in time by the last apply): re-reading each costs processes.
        Map<PortEntry, Integer> toBind = new LinkedHashMap<>();
        ports.forEach((port, prefix) -> {
            if (!port.equals(bound.get(port.port())) || !plumbing.isBound(port, prefix)) {
                toBind.put(port, prefix);
            }
        });
        Map<String, String> unbound = toBind.isEmpty() ? Map.of() : plumbing.bind(toBind);
        toBind.keySet().forEach(port -> {
            if (unbound.containsKey(port.port())) {
                bound.remove(port.port());
            } else {
                bound.put(port.port(), port);
            }
        });
        long t1 = System.nanoTime();
        Map<String, String> devices = new LinkedHashMap<>();
        for (PortEntry port : ports.keySet()) {
            String failure = unbound.get(port.port());
            if (failure != null) {
                LOG.warn("Cannot realise {}: {}", port.key(), failure);
                failures.put(port.key(), failure);
            } else {
                devices.put(port.port(), plumbing.hostDevice(port.port()));
            }
        }
        BridgeDb.Numbered numbered;
        try {
            numbered = devices.isEmpty() ? new BridgeDb.Numbered(Map.of(), Map.of()) : db.addPorts(devices);
        } catch (RuntimeException e) {
            LOG.warn("Cannot add {} port(s) to the bridge: {}", devices.size(), e.getMessage());
            ports.keySet().stream().filter(p -> devices.containsKey(p.port()))
                    .forEach(p -> failures.put(p.key(), e.getMessage()));
            return;
        }
        long t2 = System.nanoTime();
        if ((t2 - t0) / 1_000_000 >= SLOW_APPLY_MS) {
            LOG.info("Plumbed {} port(s): namespaces in {} ms, bridge ports in {} ms", ports.size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
        for (PortEntry port : ports.keySet()) {
            if (!devices.containsKey(port.port())) {
                continue;
            }
            String refused = numbered.refused().get(port.port());
            if (refused != null) {
                failures.put(port.key(), refused);
                continue;
            }
            Integer ofport = numbered.ofports().get(port.port());
            if (ofport == null) {
                // Still waiting for the switch: neither failed nor realised, so it stays pending and the next
                // apply finishes it.
                continue;
            }
            try {
                compiled.put(port.key(), Pipeline.flows(port, Optional.of(ofport), cookieOf.get(port.key())));
                toAdd.put(port.key(), new Applied(port, Optional.of(ofport)));
            } catch (RuntimeException e) {
                failures.put(port.key(), e.getMessage());
            }
        }
    }

    private void unplumb(String portId, String key, Map<String, String> failures) {
        try {
            bound.remove(portId);
            db.removePort(portId);
            plumbing.unbind(portId);
        } catch (RuntimeException e) {
            LOG.warn("Port {} left the pipeline, but its device could not be removed: {}", portId, e.getMessage());
            failures.put(key, e.getMessage());
        }
    }

    private Optional<Integer> prefixLength(String subnet) {
        return prefixLength(subnet, Map.of());
    }

    private Optional<Integer> prefixLength(String subnet, Map<String, Applied> pending) {
        String key = "segment:" + subnet;
        Applied segment = pending.containsKey(key) ? pending.get(key) : journal.get(key);
        if (segment == null || !(segment.entry() instanceof SegmentEntry s)) {
            return Optional.empty();
        }
        return Pipeline.ipv4Prefix(s.cidr()).map(p -> (int) p[2]);
    }

    private void checkCookie(String key, long cookie) {
        String holder = cookies.get(cookie);
        if (holder != null && !holder.equals(key)) {
            throw new DriverException(key + " hashes to the cookie of " + holder + "; rename one of them", null);
        }
    }

    private void record(Applied applied) {
        String key = applied.entry().key();
        record(key, Pipeline.cookie(key), applied);
    }

    private void record(String key, long cookie, Applied applied) {
        journal.put(key, applied);
        cookies.put(cookie, key);
    }

    private void forget(String key) {
        journal.remove(key);
        cookies.remove(Pipeline.cookie(key));
    }

    private void requireConnected() {
        if (!db.connected()) {
            throw new DriverException("Not connected to OVSDB", null);
        }
        if (!flows.connected()) {
            throw new DriverException("Not connected to the bridge over OpenFlow", null);
        }
    }
}
