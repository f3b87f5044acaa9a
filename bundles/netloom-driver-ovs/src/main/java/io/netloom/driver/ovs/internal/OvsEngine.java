package io.netloom.driver.ovs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ApplyResult;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.ConnectionPolicy;
import io.netloom.api.driver.DriverException;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.Plan;
import io.netloom.api.driver.PlanStep;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;

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
 *
 * <p><b>Address-set members.</b> Members of one set with the same address share their flows and cookie
 * ({@link Pipeline#cookieName}): the flows go when the last of them leaves. Each IPv4 member of a set that a rule
 * references is applied with the {@link SetSlots slot} its set holds at its address, chosen here and kept in the
 * journal like a port's OpenFlow port. Members of a set no rule references are applied without a slot and have no
 * flows (a port is a member of each of its groups, named by a rule or not, and an address has few slots); when a
 * rule comes to reference their set, they get their slots and flows in the rule's bundle. A set no rule references
 * any more keeps its members' flows until they leave.
 */
final class OvsEngine {

    private static final Logger LOG = LoggerFactory.getLogger(OvsEngine.class);
    /** How long a read of the switch's flows is trusted. */
    static final Duration FRESH = Duration.ofSeconds(3);
    /** The MTU of workload veths on a node holding a tunnel: 1500 less VXLAN's 50 bytes (OVS does not fragment). */
    static final int OVERLAY_MTU = 1450;
    /** An apply that takes longer is logged at INFO with where the time went. */
    private static final long SLOW_APPLY_MS = 1000;

    private final SwitchFlows flows;
    private final Duration fresh;
    private final BridgeDb db;
    private final PortPlumbing plumbing;
    private final DatapathCache datapath;
    private final DatapathConntrack conntrack;
    /**
     * Ports whose refused connections an apply could not cut: their filter entries read as missing, so that the
     * reconciler applies them again and the cut is retried; every apply also retries them.
     */
    private final Set<String> uncut = new HashSet<>();
    private final Map<String, Applied> journal = new LinkedHashMap<>();
    /** Cookie → the {@link Pipeline#cookieName cookie name} of the journal's entries holding it. */
    private final Map<Long, String> cookies = new HashMap<>();
    private final SetSlots slots = new SetSlots();
    /** The ports this engine bound to their namespaces, as it bound them. */
    private final Map<String, PortEntry> bound = new HashMap<>();
    /** How many tunnel entries the journal holds: ports made while it is not zero get {@link #OVERLAY_MTU}. */
    private int tunnels;
    /** How many tunnel and remote port entries the journal holds: a read asks for the tunnel port only then. */
    private int overlays;
    private TunnelUnderlay underlay = TunnelUnderlay.UNCHECKED;
    /** The cookies the switch held at the last read: an added entry whose cookie was absent needs no delete. */
    private Set<Long> installed;
    private Map<Long, Integer> cached;
    private long cachedAt;

    /**
     * An entry as it was applied.
     *
     * @param entry the entry
     * @param placement what its flows were computed for besides the entry: the OpenFlow port of a bound port, the
     *     slot of an IPv4 set member, the tunnel port of a tunnel or remote port ({@link Pipeline#flows(ConfigEntry,
     *     Optional)})
     */
    record Applied(ConfigEntry entry, Optional<Integer> placement) {
    }

    /**
     * @param datapath the switch's cache of datapath flows, purged after every change of flows
     * @param conntrack the datapath's connection tracking, from which the connections that changed rules refuse are
     *     cut
     */
    OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing, DatapathCache datapath,
            DatapathConntrack conntrack) {
        this(flows, db, plumbing, FRESH, datapath, conntrack);
    }

    /** For tests: a switch whose cached flows {@code datapath} purges, and which tracks no connection. */
    OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing, DatapathCache datapath) {
        this(flows, db, plumbing, FRESH, datapath, DatapathConntrack.NONE);
    }

    /**
     * For tests: with how long a read of the switch is trusted ({@link Duration#ZERO}: never), nothing to purge and
     * no tracked connection.
     */
    OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing, Duration fresh) {
        this(flows, db, plumbing, fresh, DatapathCache.NONE, DatapathConntrack.NONE);
    }

    /** For tests: with how long a read of the switch is trusted, and the datapath's connection tracking. */
    OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing, DatapathConntrack conntrack, Duration fresh) {
        this(flows, db, plumbing, fresh, DatapathCache.NONE, conntrack);
    }

    private OvsEngine(SwitchFlows flows, BridgeDb db, PortPlumbing plumbing, Duration fresh,
            DatapathCache datapath, DatapathConntrack conntrack) {
        this.datapath = datapath;
        this.conntrack = conntrack;
        this.fresh = fresh;
        this.flows = flows;
        this.db = db;
        this.plumbing = plumbing;
    }

    /**
     * Sets what is asked before a tunnel entry is realised (by default nothing: {@link TunnelUnderlay#UNCHECKED}).
     *
     * @param check the check of a tunnel's local address
     * @return this engine
     */
    synchronized OvsEngine underlay(TunnelUnderlay check) {
        this.underlay = check;
        return this;
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
        Optional<Integer> tunnel = overlays > 0 ? db.tunnelPort() : Optional.empty();
        List<ConfigEntry> actual = new ArrayList<>();
        for (Applied applied : journal.values()) {
            if (applied.entry() instanceof FilterEntry f && uncut.contains(f.rule().portId())) {
                continue;
            }
            if (isOverlay(applied.entry()) && !applied.placement().equals(tunnel)) {
                continue; // the tunnel port is gone, changed or renumbered: applied again
            }
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

    private Optional<String> underlayProblem(String localAddress) {
        try {
            return underlay.problem(localAddress);
        } catch (RuntimeException e) {
            return Optional.of("Cannot check the underlay of " + localAddress + ": " + e.getMessage());
        }
    }

    private static boolean isOverlay(ConfigEntry entry) {
        return entry instanceof TunnelEntry || entry instanceof RemotePortEntry;
    }

    private boolean isRealised(Applied applied, Map<Long, Integer> counts, Map<String, BridgeDb.BridgePort> ports) {
        ConfigEntry entry = applied.entry();
        if (entry instanceof PortEntry port && port.bindingType() != null) {
            BridgeDb.BridgePort onBridge = ports.get(port.port());
            if (onBridge == null || onBridge.ofport().isEmpty() || !onBridge.ofport().equals(applied.placement())) {
                return false;
            }
            Optional<Integer> prefix = prefixLength(port.subnet());
            if (prefix.isEmpty() || !plumbing.isBound(port, prefix.get())) {
                return false;
            }
        }
        if (entry instanceof AddressSetEntry member && applied.placement().isEmpty()
                && needsSlot(member, Set.of())) {
            return false; // a rule references its set now: it must be applied again, with a slot
        }
        int expected = Pipeline.flows(entry, applied.placement()).size();
        return counts.getOrDefault(Pipeline.cookie(entry), 0) == expected;
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
        // What the plan takes out of the journal (removed or replaced), so that set slots they free can be reused.
        Set<String> leaving = new HashSet<>();
        // Sets the plan's rules reference: their members need slots even when the rule comes after them.
        Set<String> referenced = new HashSet<>();
        for (PlanStep step : plan.steps()) {
            if (step.op() == PlanStep.Op.REMOVE || journal.containsKey(step.entry().key())) {
                leaving.add(step.entry().key());
            }
            if (step.op() == PlanStep.Op.ADD && step.entry() instanceof FilterEntry filter
                    && filter.rule().referencesSet()) {
                referenced.add(filter.rule().remoteSet());
            }
        }
        Map<String, Map<String, Integer>> pendingSlots = new HashMap<>();
        // The tunnel port, made or checked once per apply and only by one that has overlay entries to add.
        Optional<Integer> tunnelPort = Optional.empty();
        String tunnelFailure = null;
        Map<String, Optional<String>> underlayProblems = new HashMap<>();
        boolean overlayAdded = false;
        // A remote port is only sent to from a node with a working tunnel: held, or added by this plan.
        boolean tunnelReady = tunnels > 0;
        for (PlanStep step : plan.steps()) {
            if (step.op() == PlanStep.Op.ADD && step.entry() instanceof TunnelEntry tunnel) {
                tunnelReady |= underlayProblems.computeIfAbsent(tunnel.localAddress(), this::underlayProblem)
                        .isEmpty();
            }
        }
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
                long cookie = Pipeline.cookie(entry);
                checkCookie(Pipeline.cookieName(entry), cookie);
                cookieOf.put(key, cookie);
                if (entry instanceof AddressSetEntry member) {
                    slots.checkId(member.set());
                    place(member, cookie, leaving, pendingSlots, referenced, compiled, toAdd);
                    continue;
                }
                if (entry instanceof FilterEntry filter && filter.rule().referencesSet()) {
                    slots.checkId(filter.rule().remoteSet());
                }
                if (entry instanceof TunnelEntry tunnel) {
                    Optional<String> problem = underlayProblems.computeIfAbsent(tunnel.localAddress(),
                            this::underlayProblem);
                    if (problem.isPresent()) {
                        failures.put(key, problem.get());
                        continue;
                    }
                }
                if (entry instanceof RemotePortEntry && !tunnelReady) {
                    failures.put(key, "This node has no working tunnel to send " + key + " through");
                    continue;
                }
                if (isOverlay(entry)) {
                    if (tunnelFailure != null) {
                        failures.put(key, tunnelFailure);
                        continue;
                    }
                    if (tunnelPort.isEmpty()) {
                        try {
                            tunnelPort = Optional.of(db.ensureTunnel());
                        } catch (RuntimeException e) {
                            tunnelFailure = "No tunnel port: " + e.getMessage();
                            throw e;
                        }
                    }
                    overlayAdded |= entry instanceof TunnelEntry;
                    compiled.put(key, Pipeline.flows(entry, tunnelPort, cookie));
                    toAdd.put(key, new Applied(entry, tunnelPort));
                    continue;
                }
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
        placeNewlyReferenced(referenced, cookieOf, leaving, pendingSlots, compiled, toAdd, failures);
        long t1 = System.nanoTime();
        if (!toPlumb.isEmpty()) {
            plumb(toPlumb, tunnels > 0 || overlayAdded ? OptionalInt.of(OVERLAY_MTU) : OptionalInt.empty(), cookieOf,
                    compiled, toAdd, failures);
        }
        long t2 = System.nanoTime();
        Map<String, Long> removals = removals(removed, toAdd.keySet(), leaving);
        Set<Long> deleted = new LinkedHashSet<>(removals.values());
        List<FlowSpec> adds = new ArrayList<>();
        Set<Long> added = new HashSet<>();
        for (Map.Entry<String, Applied> e : toAdd.entrySet()) {
            long cookie = cookieOf.get(e.getKey());
            if (!added.add(cookie)) {
                continue; // a set member sharing the flows of another member of the plan
            }
            // Replacing needs the old flows gone in the same bundle; a first install (most of a large plan) does
            // not, and every delete is a lookup the switch makes.
            if (installed == null || installed.contains(cookie) || cookies.containsKey(cookie)) {
                deleted.add(cookie);
            }
            adds.addAll(compiled.get(e.getKey()));
        }
        List<Long> deletes = new ArrayList<>(deleted);
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
                oneByOne(removals, toAdd, failures);
            }
            purgeDatapath(toAdd.keySet(), removed.keySet(), failures);
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
        cutRefused(plan, failures);
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

    /**
     * Cuts the tracked connections that the new rules of the ports the plan changed refuse, and those of ports whose
     * cut failed before. A connection is tracked in the zone of its source port and in that of its destination port;
     * a port's zone is listed and the connections its rules refuse (judged by {@link ConnectionPolicy} in their
     * original direction) are deleted from it, so that their next packet meets that port's filter as a new one and is
     * dropped. Permitted connections are left alone: the userspace datapath would not take a TCP connection up
     * again in mid-stream. A port whose cut fails has its filter entries reported as failed.
     */
    private void cutRefused(Plan plan, Map<String, String> failures) {
        List<ConfigEntry> entries = journal.values().stream().map(Applied::entry).toList();
        Set<String> ports = new TreeSet<>(ConnectionPolicy.affectedPorts(plan.steps(), entries));
        ports.addAll(uncut);
        if (ports.isEmpty()) {
            return;
        }
        ConnectionPolicy policy = ConnectionPolicy.of(entries);
        // The zones of the bridge's ports by address: a connection is tracked in both of its ends' zones.
        Map<String, Set<Integer>> zonesByAddress = new HashMap<>();
        for (Applied applied : journal.values()) {
            if (applied.entry() instanceof PortEntry p && applied.placement().isPresent()) {
                zonesByAddress.computeIfAbsent(p.ip(), a -> new TreeSet<>()).add(applied.placement().get());
            }
        }
        Map<String, String> notCut = new LinkedHashMap<>();
        for (String port : ports) {
            Applied bridged = journal.get(PortEntry.keyOf(port));
            if (bridged == null || bridged.placement().isEmpty()) {
                continue; // not on the bridge: no zone, no connection
            }
            int zone = bridged.placement().get();
            long start = System.nanoTime();
            try {
                List<DatapathConntrack.Tracked> refused = policy.refused(List.of(port), conntrack.list(zone),
                        DatapathConntrack.Tracked::connection);
                for (DatapathConntrack.Tracked t : refused) {
                    // From the other end's zone too, or a packet from the other end would still find the connection
                    // established there.
                    Set<Integer> zones = new TreeSet<>(List.of(zone));
                    zones.addAll(zonesByAddress.getOrDefault(t.connection().source(), Set.of()));
                    zones.addAll(zonesByAddress.getOrDefault(t.connection().destination(), Set.of()));
                    for (int z : zones) {
                        conntrack.flush(z, t);
                    }
                }
                if (!refused.isEmpty()) {
                    LOG.info("Cut {} established connection(s) of port {} (zone {}) that its new rules refuse, "
                            + "in {} ms",
                            refused.size(), port, zone, (System.nanoTime() - start) / 1_000_000);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not cut the refused connections of port {} (zone {}): {}", port, zone,
                        e.getMessage());
                notCut.put(port, "Connections its new rules refuse could not be cut: " + e.getMessage());
            }
        }
        uncut.removeAll(ports);
        uncut.addAll(notCut.keySet());
        ConnectionPolicy.cutFailures(notCut, plan.steps(), entries).forEach(failures::putIfAbsent);
    }

    /**
     * After flows changed: until the datapath's cached flows are revalidated a packet may follow the old tables, so
     * they are dropped before the apply returns. When that fails, the changed entries are reported failed (their
     * flows are in place; the reconciler retries, and no write waiting for them is told it is live).
     */
    private void purgeDatapath(Set<String> added, Set<String> removedKeys, Map<String, String> failures) {
        try {
            datapath.purge();
        } catch (DriverException e) {
            LOG.warn("Cached datapath flows could not be purged: {}", e.getMessage());
            String reason = "Flows applied, but the switch's cached flows could not be purged: " + e.getMessage();
            added.forEach(k -> failures.putIfAbsent(k, reason));
            removedKeys.forEach(k -> failures.putIfAbsent(k, reason));
        }
    }

    /** Computes a member's flows, with a slot when its set is referenced by a rule recorded or in the plan. */
    private void place(AddressSetEntry member, long cookie, Set<String> leaving,
            Map<String, Map<String, Integer>> pendingSlots, Set<String> referenced,
            Map<String, List<FlowSpec>> compiled, Map<String, Applied> toAdd) {
        Optional<Integer> slot = Optional.empty();
        if (needsSlot(member, referenced)) {
            slot = Optional.of(slots.choose(member, leaving, pendingSlots));
        }
        compiled.put(member.key(), Pipeline.flows(member, slot, cookie));
        toAdd.put(member.key(), new Applied(member, slot));
    }

    private boolean needsSlot(AddressSetEntry member, Set<String> referenced) {
        return Pipeline.ipv4(member.address()).isPresent()
                && (referenced.contains(member.set()) || slots.referenced(member.set()));
    }

    /**
     * Gives slots and flows to the members, applied without, of the sets the plan's rules come to reference: in the
     * rule's bundle, so that the rule matches its set's members as soon as it exists.
     */
    private void placeNewlyReferenced(Set<String> referenced, Map<String, Long> cookieOf, Set<String> leaving,
            Map<String, Map<String, Integer>> pendingSlots, Map<String, List<FlowSpec>> compiled,
            Map<String, Applied> toAdd, Map<String, String> failures) {
        Set<String> fresh = new HashSet<>();
        referenced.stream().filter(set -> !slots.referenced(set)).forEach(fresh::add);
        if (fresh.isEmpty()) {
            return;
        }
        for (Applied applied : List.copyOf(journal.values())) {
            if (applied.entry() instanceof AddressSetEntry member && fresh.contains(member.set())
                    && applied.placement().isEmpty() && !toAdd.containsKey(member.key())
                    && !leaving.contains(member.key()) && needsSlot(member, referenced)) {
                try {
                    long cookie = Pipeline.cookie(member);
                    cookieOf.put(member.key(), cookie);
                    place(member, cookie, leaving, pendingSlots, referenced, compiled, toAdd);
                } catch (RuntimeException e) {
                    LOG.warn("Cannot realise {}: {}", member.key(), e.getMessage());
                    failures.put(member.key(), e.getMessage());
                }
            }
        }
    }

    /**
     * The cookies whose flows go with the entries that leave the journal: those removed, and the previous version of
     * those replaced. A set member's flows stay while another member holding its set and address stays.
     *
     * @return key → cookie to delete, for the leaving entries whose flows go
     */
    private Map<String, Long> removals(Map<String, ConfigEntry> removed, Set<String> replaced, Set<String> leaving) {
        Map<String, Long> removals = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>(removed.keySet());
        replaced.stream().filter(journal::containsKey).forEach(keys::add);
        for (String key : keys) {
            Applied applied = journal.get(key);
            ConfigEntry old = applied != null ? applied.entry() : removed.get(key);
            if (old instanceof AddressSetEntry member && slots.staying(member.set(), member.address(), leaving)) {
                continue;
            }
            removals.put(key, Pipeline.cookie(old));
        }
        return removals;
    }

    private void oneByOne(Map<String, Long> removals, Map<String, Applied> toAdd, Map<String, String> failures) {
        for (Map.Entry<String, Long> removal : removals.entrySet()) {
            if (toAdd.containsKey(removal.getKey())) {
                continue; // replaced below, in its own bundle
            }
            try {
                flows.replace(List.of(removal.getValue()), List.of());
            } catch (DriverException e) {
                failures.put(removal.getKey(), e.getMessage());
            }
        }
        for (Applied a : toAdd.values()) {
            String key = a.entry().key();
            try {
                long cookie = Pipeline.cookie(a.entry());
                List<Long> deletes = new ArrayList<>(List.of(cookie));
                Long previous = removals.get(key);
                if (previous != null && previous != cookie) {
                    deletes.add(previous);
                }
                flows.replace(deletes, Pipeline.flows(a.entry(), a.placement(), cookie));
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
    private void plumb(Map<PortEntry, Integer> ports, OptionalInt mtu, Map<String, Long> cookieOf,
            Map<String, List<FlowSpec>> compiled, Map<String, Applied> toAdd, Map<String, String> failures) {
        long t0 = System.nanoTime();
        // A port this engine bound as it is now, still bound, is not bound again (say its bridge port was not
        // numbered in time by the last apply): re-reading each costs processes.
        Map<PortEntry, Integer> toBind = new LinkedHashMap<>();
        ports.forEach((port, prefix) -> {
            if (!port.equals(bound.get(port.port())) || !plumbing.isBound(port, prefix)) {
                toBind.put(port, prefix);
            }
        });
        Map<String, String> unbound = toBind.isEmpty() ? Map.of() : plumbing.bind(toBind, mtu);
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
        record(applied.entry().key(), Pipeline.cookie(applied.entry()), applied);
    }

    private void record(String key, long cookie, Applied applied) {
        forget(key);
        journal.put(key, applied);
        cookies.put(cookie, Pipeline.cookieName(applied.entry()));
        if (applied.entry() instanceof TunnelEntry) {
            tunnels++;
        }
        if (isOverlay(applied.entry())) {
            overlays++;
        }
        if (applied.entry() instanceof AddressSetEntry member) {
            slots.hold(member, applied.placement());
        } else if (applied.entry() instanceof FilterEntry filter && filter.rule().referencesSet()) {
            slots.reference(filter.rule().remoteSet());
        }
    }

    private void forget(String key) {
        Applied applied = journal.remove(key);
        if (applied == null) {
            return;
        }
        ConfigEntry entry = applied.entry();
        if (entry instanceof TunnelEntry) {
            tunnels--;
        }
        if (isOverlay(entry)) {
            overlays--;
        }
        if (entry instanceof AddressSetEntry member) {
            slots.release(member);
            if (slots.staying(member.set(), member.address(), Set.of())) {
                return; // another member holds the same flows
            }
        } else if (entry instanceof FilterEntry filter && filter.rule().referencesSet()) {
            slots.unreference(filter.rule().remoteSet());
        }
        cookies.remove(Pipeline.cookie(entry));
    }

    private void requireConnected() {
        if (!db.connected()) {
            throw new DriverException("Not connected to OVSDB", null);
        }
        if (!flows.connected()) {
            throw new DriverException("Not connected to the bridge over OpenFlow", null);
        }
        Optional<String> owner = db.foreignOwner();
        if (owner.isPresent()) {
            throw new DriverException("The bridge belongs to Netloom instance " + owner.get()
                    + ": neither read nor changed by this one", null);
        }
    }
}
