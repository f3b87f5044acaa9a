package io.netloom.reconciler.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.netloom.api.realisation.NodeRealisation;

/**
 * Which model revisions each node has realised (the {@code nb_cfg} → {@code hv_cfg} idea): the reconciler tells it
 * which nodes a revision's events concern ({@link #concerns}), when all of a write's events are in
 * ({@link #heard}), and what each pass left behind ({@link #settle}); it answers whether a revision is realised,
 * completes the futures of those waiting for one, and reports each node's progress. Thread-safe: one lock guards
 * everything.
 *
 * <p>A revision is realised once a pass has covered it and no node it concerns lags. A pass covers every revision
 * heard of before it began; a full pass also covers later ones (it read the model) without knowing which nodes they
 * concern, so while a node lags after it they are held back as if they concerned that node.
 */
final class RevisionLedger {

    /** How long a revision's record of the nodes it concerns is kept while one of them lags (waits are shorter). */
    static final long PENDING_KEEP_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** The most revisions a full pass holds back one by one when it covers writes whose events have not arrived. */
    static final long MAX_UNHEARD = 10_000;

    private final Object lock = new Object();
    /** The highest revision all of whose events have been heard. */
    private long heard;
    /** The highest revision a finished pass covered. */
    private long processed;
    /** Revisions not yet realised on every node they concern, with those nodes. */
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    /** Callers waiting for a revision to be realised. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Per node, how far it has realised the model. */
    private final Map<String, Progress> progress = new TreeMap<>();
    /** Per node, its driver type, as the last full pass placed it. */
    private final Map<String, String> drivers = new HashMap<>();

    /** The nodes a revision concerns that have not yet realised it. */
    private static final class Pending {
        final long since;
        final Set<String> nodes = new HashSet<>();

        Pending(long since) {
            this.since = since;
        }
    }

    /** How far a node has realised the model. */
    private static final class Progress {
        long realised;
        /** Why the node lags; empty when its last pass left it up to date. */
        String detail = "";
    }

    private record Waiter(long revision, CompletableFuture<Void> done) {
    }

    /**
     * Starts the ledger at a revision: everything committed up to it is covered by the first full pass.
     *
     * @param revision the model's current revision
     */
    void start(long revision) {
        synchronized (lock) {
            heard = Math.max(heard, revision);
        }
    }

    /**
     * @param node a node
     * @param type the driver type that programs it
     */
    void driver(String node, String type) {
        synchronized (lock) {
            drivers.put(node, type);
        }
    }

    /**
     * @param revision an event's revision
     * @param nodes the nodes its change may alter
     */
    void concerns(long revision, Set<String> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        synchronized (lock) {
            pending.computeIfAbsent(revision, r -> new Pending(System.nanoTime())).nodes.addAll(nodes);
        }
    }

    /**
     * @param revision a revision all of whose events have been heard
     */
    void heard(long revision) {
        synchronized (lock) {
            heard = Math.max(heard, revision);
        }
    }

    /**
     * @return the highest revision all of whose events have been heard: read it before taking the changes a pass
     *     works on, so that every event of it is among them
     */
    long heard() {
        synchronized (lock) {
            return heard;
        }
    }

    /**
     * @param revision a revision
     * @return whether it is realised on every node it concerns
     */
    boolean realised(long revision) {
        synchronized (lock) {
            return isRealised(revision);
        }
    }

    private boolean isRealised(long revision) {
        return processed >= revision && !pending.containsKey(revision);
    }

    /**
     * @param revision a revision
     * @return a future completed once it is realised
     */
    CompletableFuture<Void> whenRealised(long revision) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (isRealised(revision)) {
                done.complete(null);
            } else {
                waiters.add(new Waiter(revision, done));
            }
        }
        return done;
    }

    /**
     * @param revision a revision
     * @return the nodes that have not yet realised it; empty when it is realised
     */
    List<NodeRealisation> pending(long revision) {
        synchronized (lock) {
            if (isRealised(revision)) {
                return List.of();
            }
            Pending p = pending.get(revision);
            if (p == null) {
                // Not yet taken in by a pass: every node the reconciler knows may still be concerned.
                return nodes(n -> true, "The reconciler has not yet taken this revision in");
            }
            return nodes(p.nodes::contains, "");
        }
    }

    /**
     * @return the names of the nodes some pass has reported on
     */
    Set<String> knownNodes() {
        synchronized (lock) {
            return new HashSet<>(progress.keySet());
        }
    }

    /**
     * @return every node known, with its progress
     */
    List<NodeRealisation> nodes() {
        synchronized (lock) {
            return nodes(n -> true, "");
        }
    }

    private List<NodeRealisation> nodes(Predicate<String> which, String defaultDetail) {
        Set<String> names = new TreeSet<>(progress.keySet());
        pending.values().forEach(p -> names.addAll(p.nodes));
        List<NodeRealisation> result = new ArrayList<>();
        for (String node : names) {
            if (!which.test(node)) {
                continue;
            }
            Progress at = progress.get(node);
            long lag = pending.values().stream().filter(p -> p.nodes.contains(node)).count();
            String detail = at != null && !at.detail.isEmpty() ? at.detail
                    : lag > 0 && defaultDetail.isEmpty() ? "Not yet reconciled" : defaultDetail;
            String driver = drivers.getOrDefault(node, node.substring("node-".length()));
            result.add(new NodeRealisation(node, driver, at == null ? 0 : at.realised,
                    lag, lag == 0 && defaultDetail.isEmpty() ? "" : detail));
        }
        return result;
    }

    /**
     * Records the outcome of a pass that covered every revision up to {@code revision}: a node the pass left up to
     * date (or had nothing to do for, when it was up to date before) has realised it; waiters whose revision is now
     * realised are told.
     *
     * @param revision the highest revision the pass covered
     * @param heardBefore the highest revision whose events had reached the reconciler when the pass began; a full
     *     pass covers the revisions after it too (it read the model), but does not know which nodes they concern,
     *     so while a node lags after it they are held back as if they concerned that node
     * @param outcomes per node the pass worked on, why it left it lagging ({@code ""} when it did not)
     */
    void settle(long revision, long heardBefore, Map<String, String> outcomes) {
        synchronized (lock) {
            if (revision > heardBefore) {
                Set<String> lagging = new HashSet<>();
                outcomes.forEach((node, lag) -> {
                    if (!lag.isEmpty()) {
                        lagging.add(node);
                    }
                });
                progress.forEach((node, at) -> {
                    if (!outcomes.containsKey(node) && !at.detail.isEmpty()) {
                        lagging.add(node);
                    }
                });
                if (!lagging.isEmpty()) {
                    if (revision - heardBefore > MAX_UNHEARD) {
                        // Too many to hold one by one: cover only what was heard of.
                        revision = heardBefore;
                    } else {
                        long since = System.nanoTime();
                        for (long r = heardBefore + 1; r <= revision; r++) {
                            pending.computeIfAbsent(r, x -> new Pending(since)).nodes.addAll(lagging);
                        }
                    }
                }
            }
            Set<String> names = new HashSet<>(progress.keySet());
            names.addAll(outcomes.keySet());
            for (String node : names) {
                Progress at = progress.computeIfAbsent(node, n -> new Progress());
                String lag = outcomes.containsKey(node) ? outcomes.get(node) : at.detail;
                at.detail = lag;
                if (!lag.isEmpty()) {
                    continue;
                }
                at.realised = Math.max(at.realised, revision);
                var upTo = pending.headMap(revision, true).values().iterator();
                while (upTo.hasNext()) {
                    Pending p = upTo.next();
                    p.nodes.remove(node);
                    if (p.nodes.isEmpty()) {
                        upTo.remove();
                    }
                }
            }
            long now = System.nanoTime();
            pending.values().removeIf(p -> now - p.since > PENDING_KEEP_NANOS);
            processed = Math.max(processed, revision);
            var it = waiters.iterator();
            while (it.hasNext()) {
                Waiter waiter = it.next();
                if (waiter.done.isDone()) {
                    it.remove();
                } else if (isRealised(waiter.revision)) {
                    it.remove();
                    waiter.done.complete(null);
                }
            }
        }
    }
}
