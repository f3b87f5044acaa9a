package io.netloom.core.internal.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;

import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.codec.JsonCodec;
import io.netloom.api.model.AuditEntry;
import io.netloom.api.model.Caller;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.model.Network;
import io.netloom.api.model.Node;
import io.netloom.api.model.Port;
import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreWrite;

/**
 * The desired state in memory, backed by the {@link ModelStore}. Every change goes through {@link #write}: it is
 * validated and staged under one lock, made durable in a single atomic commit together with its audit entries,
 * then applied to memory and announced to {@link ModelListener}s. Reads are lock-free.
 * <p>
 * The audit log stays in the store and is read a page at a time: start-up reads only its newest entry (for the next
 * sequence number), so that neither start-up time nor heap grows with the history.
 * <p>
 * Every write that commits gets the next model revision; the revision is stored in the same commit (collection
 * {@value #META}, key {@value #REVISION_KEY}), so that it never goes back, even across a restart, and its events
 * carry it.
 */
@Component(service = {ModelRepository.class, ModelRevisions.class})
public class ModelRepository implements ModelRevisions {

    static final String AUDIT = "audit";
    static final String META = "meta";
    static final String REVISION_KEY = "revision";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final Map<Kind<?>, Map<String, Object>> objects = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The listeners by descending {@code service.ranking}, in the order events reach them. */
    private final List<Ranked> listeners = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final Gson gson = JsonCodec.gson();
    private ExecutorService eventThread;
    private ServiceTracker<ModelListener, ModelListener> listenerTracker;
    private long auditSequence;
    private AuditLog auditLog;
    /** The revision of the newest committed write; written under the write lock. */
    private volatile long revision;
    /** Guards {@link #heard} and is notified when it grows. */
    private final Object heardMonitor = new Object();
    /** The newest revision every listener has heard; guarded by {@link #heardMonitor}. */
    private long heard;
    /** The tracking of the calling thread's writes, while it runs {@link #tracked}. */
    private final ThreadLocal<Tracking> tracking = new ThreadLocal<>();
    private Clock clock = Clock.systemUTC();

    @Reference
    private ModelStore store;

    /** Used by the component runtime. */
    public ModelRepository() {
    }

    /** For tests: a repository over a given store and clock, already activated. */
    public ModelRepository(ModelStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        activate();
    }

    @Activate
    void activate(BundleContext context) {
        activate();
        trackListeners(context);
    }

    private void activate() {
        for (Kind<?> kind : Kind.ALL) {
            Map<String, Object> byId = new ConcurrentHashMap<>();
            store.load(kind.collection()).forEach((id, json) -> byId.put(id, gson.fromJson(json, kind.type())));
            objects.put(kind, byId);
        }
        placeUnplacedPorts();
        auditLog = new AuditLog(store, gson);
        auditSequence = auditLog.newestSequence();
        revision = store.get(META, REVISION_KEY).map(Long::parseLong).orElse(auditSequence);
        // A listener bound later reads the whole model when it starts, so what was loaded counts as heard.
        markHeard(revision);
        eventThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netloom-model-events");
            t.setDaemon(true);
            return t;
        });
        LOG.info("Model loaded: {} networks, {} subnets, {} ports, {} security groups, {} peerings",
                map(Kind.NETWORK).size(), map(Kind.SUBNET).size(), map(Kind.PORT).size(), map(Kind.GROUP).size(),
                map(Kind.PEERING).size());
    }

    /**
     * Ports stored before ports had hosts are on the controller's own node of their network's driver type: they get
     * that host in memory (and in the store with their next change), so every port shows where it is placed.
     */
    private void placeUnplacedPorts() {
        Map<String, Port> ports = map(Kind.PORT);
        Map<String, Network> networks = map(Kind.NETWORK);
        ports.replaceAll((id, p) -> {
            Network n = networks.get(p.network());
            return p.host() != null || n == null ? p : p.withHost(Node.localId(n.driver()));
        });
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (listenerTracker != null) {
            listenerTracker.close();
        }
        eventThread.shutdown();
        eventThread.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Listeners are tracked rather than injected: they are policy components that themselves depend on the model
     * services, which depend on this repository, so they are bound only once the repository is up (from the event
     * thread), which keeps the service graph free of cycles.
     */
    private void trackListeners(BundleContext context) {
        listenerTracker = new ServiceTracker<>(context, ModelListener.class, null) {
            @Override
            public ModelListener addingService(ServiceReference<ModelListener> reference) {
                ModelListener listener = context.getService(reference);
                if (listener != null) {
                    Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
                    addListener(new Ranked(ranking instanceof Integer r ? r : 0, listener));
                }
                return listener;
            }

            @Override
            public void removedService(ServiceReference<ModelListener> reference, ModelListener listener) {
                listeners.removeIf(r -> r.listener() == listener);
                context.ungetService(reference);
            }
        };
        eventThread.execute(listenerTracker::open);
    }

    /** Adds a listener outside OSGi (tests), with ranking 0. */
    public void listen(ModelListener listener) {
        listen(listener, 0);
    }

    /**
     * Adds a listener outside OSGi (tests).
     *
     * @param listener the listener
     * @param ranking its place: higher first
     */
    public void listen(ModelListener listener, int ranking) {
        addListener(new Ranked(ranking, listener));
    }

    /**
     * A listener and its {@code service.ranking}. Events reach listeners by descending ranking, so that a listener
     * deriving state from the model (the firewall, routing) has applied an event before one that reads that state
     * when it hears of the event (the reconciler): ties keep the order of arrival.
     */
    private record Ranked(int ranking, ModelListener listener) {
    }

    private synchronized void addListener(Ranked ranked) {
        int at = 0;
        while (at < listeners.size() && listeners.get(at).ranking() >= ranked.ranking()) {
            at++;
        }
        listeners.add(at, ranked);
    }

    @SuppressWarnings("unchecked")
    private <T> Map<String, T> map(Kind<T> kind) {
        return (Map<String, T>) objects.get(kind);
    }

    /**
     * @return the current time of the repository's clock
     */
    public Instant now() {
        return clock.instant();
    }

    /**
     * @return a new id for an object of the kind, not used by any existing one
     */
    public String newId(Kind<?> kind) {
        byte[] bytes = new byte[6];
        String id;
        do {
            random.nextBytes(bytes);
            id = kind.idPrefix() + HexFormat.of().formatHex(bytes);
        } while (map(kind).containsKey(id));
        return id;
    }

    /**
     * @return a new security-group rule id (unique with overwhelming probability: 48 random bits)
     */
    public String newRuleId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return "rule-" + HexFormat.of().formatHex(bytes);
    }

    /**
     * @return the objects of the kind that pass the filter, in the given order
     */
    public <T> List<T> all(Kind<T> kind, Predicate<T> filter, Comparator<T> order) {
        List<T> result = new ArrayList<>();
        for (T t : map(kind).values()) {
            if (filter.test(t)) {
                result.add(t);
            }
        }
        result.sort(order);
        return result;
    }

    /**
     * @return the object with this id, whoever owns it
     */
    public <T> Optional<T> byId(Kind<T> kind, String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(map(kind).get(id));
    }

    /**
     * Finds an object the caller sees by id, or by a name unique among what the caller sees.
     *
     * @param visible whether the caller sees a given object
     * @throws NotFoundException when there is none
     * @throws ConflictException {@code AMBIGUOUS_NAME} when several visible objects have that name
     */
    public <T> T resolve(Kind<T> kind, String idOrName, Predicate<T> visible) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new NotFoundException(kind.noun(), String.valueOf(idOrName));
        }
        T byId = map(kind).get(idOrName);
        if (byId != null && visible.test(byId)) {
            return byId;
        }
        T found = null;
        for (T t : map(kind).values()) {
            if (kind.name().apply(t).equals(idOrName) && visible.test(t)) {
                if (found != null) {
                    throw new ConflictException("AMBIGUOUS_NAME", "Several " + kind.noun() + "s are named '"
                            + idOrName + "': use the id", null);
                }
                found = t;
            }
        }
        if (found == null) {
            throw new NotFoundException(kind.noun(), idOrName);
        }
        return found;
    }

    /** Staged changes of one write. */
    public final class Changes {
        private final List<Object[]> staged = new ArrayList<>();

        /** Stages a create ({@code before == null}) or an update. */
        public <T> void put(Kind<T> kind, T before, T after) {
            staged.add(new Object[] {kind, before, after});
        }

        /** Stages a delete. */
        public <T> void delete(Kind<T> kind, T before) {
            staged.add(new Object[] {kind, before, null});
        }
    }

    /**
     * Runs {@code body} under the write lock: it validates against the current state and stages changes; then the
     * changes and their audit entries are committed as one, applied to memory and announced; and, after the lock is
     * released, this returns once the commit is durable. So concurrent writers share fsyncs (group commit) and are
     * still only answered when their change would survive a crash. If the flush fails, the store refuses all
     * further writes; memory may then show changes of that flush until the model is reloaded from the store.
     *
     * @param caller who asks
     * @param action the audit action, such as {@code network.create}
     * @param body validates and stages; its result is returned
     * @return what {@code body} returned
     */
    public <R> R write(Caller caller, String action, Function<Changes, R> body) {
        long ticket;
        R result;
        writeLock.lock();
        try {
            Changes changes = new Changes();
            result = body.apply(changes);
            if (changes.staged.isEmpty()) {
                return result;
            }
            Instant at = now();
            List<StoreWrite> writes = new ArrayList<>();
            long seq = auditSequence;
            for (Object[] change : changes.staged) {
                @SuppressWarnings("unchecked")
                Kind<Object> kind = (Kind<Object>) change[0];
                Object before = change[1];
                Object after = change[2];
                String id = kind.id().apply(after != null ? after : before);
                writes.add(after == null ? StoreWrite.delete(kind.collection(), id)
                        : StoreWrite.put(kind.collection(), id, gson.toJson(after)));
                AuditEntry entry = new AuditEntry(++seq, at, caller.user(), caller.tenant(), caller.via(), action,
                        id, before == null ? null : gson.toJson(before), after == null ? null : gson.toJson(after));
                writes.add(StoreWrite.put(AUDIT, AuditLog.key(seq), gson.toJson(entry)));
            }
            long next = revision + 1;
            writes.add(StoreWrite.put(META, REVISION_KEY, Long.toString(next)));
            Tracking tracker = tracking.get();
            if (tracker != null) {
                if (tracker.alsoCommit != null) {
                    writes.addAll(tracker.alsoCommit.apply(next));
                }
            }
            ticket = store.stage(writes);
            auditSequence = seq;
            revision = next;
            if (tracker != null) {
                tracker.revision = next;
            }
            List<ModelEvent> events = new ArrayList<>();
            for (Object[] change : changes.staged) {
                @SuppressWarnings("unchecked")
                Kind<Object> kind = (Kind<Object>) change[0];
                Object before = change[1];
                Object after = change[2];
                if (after == null) {
                    map(kind).remove(kind.id().apply(before));
                    events.add(new ModelEvent(ModelEvent.Type.DELETED, before, null, next));
                } else {
                    map(kind).put(kind.id().apply(after), after);
                    events.add(before == null ? new ModelEvent(ModelEvent.Type.CREATED, after, null, next)
                            : new ModelEvent(ModelEvent.Type.UPDATED, after, before, next));
                }
            }
            announce(events, next);
        } finally {
            writeLock.unlock();
        }
        // Outside the lock, so that the writers queued behind this one stage theirs meanwhile and one fsync covers
        // them all. Nobody is told the write is done before it is durable.
        store.awaitDurable(ticket);
        return result;
    }

    @Override
    public long current() {
        return revision;
    }

    @Override
    public <T> Tracked<T> tracked(Supplier<T> work, LongFunction<List<StoreWrite>> alsoCommit) {
        Tracking outer = tracking.get();
        Tracking mine = new Tracking(alsoCommit);
        tracking.set(mine);
        try {
            T value = work.get();
            return new Tracked<>(value, mine.revision);
        } finally {
            if (outer == null) {
                tracking.remove();
            } else {
                outer.revision = Math.max(outer.revision, mine.revision);
                tracking.set(outer);
            }
        }
    }

    /** The writes of one thread while it runs {@link #tracked}. */
    private static final class Tracking {
        final LongFunction<List<StoreWrite>> alsoCommit;
        long revision;

        Tracking(LongFunction<List<StoreWrite>> alsoCommit) {
            this.alsoCommit = alsoCommit;
        }
    }

    @Override
    public boolean awaitHeard(long wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (heardMonitor) {
            while (heard < wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(heardMonitor, left);
            }
            return true;
        }
    }

    private void markHeard(long done) {
        synchronized (heardMonitor) {
            if (done > heard) {
                heard = done;
                heardMonitor.notifyAll();
            }
        }
    }

    /**
     * Tells the listeners of a write's events on the event thread, then counts the revision as heard. A write with
     * no listener goes through the same thread, so revisions are counted as heard in commit order.
     */
    private void announce(List<ModelEvent> events, long revision) {
        eventThread.execute(() -> {
            for (ModelEvent event : events) {
                for (Ranked ranked : listeners) {
                    ModelListener listener = ranked.listener();
                    try {
                        listener.event(event);
                    } catch (RuntimeException e) {
                        // One failing listener must not starve the others of events.
                        LOG.warn("Model listener {} failed on {}", listener, event.type(), e);
                    }
                }
            }
            // Only now has every listener heard the whole write: a reader of derived state may count it as known.
            for (Ranked ranked : listeners) {
                try {
                    ranked.listener().committed(revision);
                } catch (RuntimeException e) {
                    LOG.warn("Model listener {} failed on the end of revision {}", ranked.listener(), revision, e);
                }
            }
            markHeard(revision);
        });
    }

    /**
     * @return the newest audit entries that pass the filter, newest first; see {@link AuditLog#read}
     */
    public List<AuditEntry> audit(Predicate<AuditEntry> filter, int limit) {
        return auditLog.read(filter, limit);
    }

    /**
     * Deletes old audit entries; see {@link AuditLog#trim}.
     *
     * @return how many entries were deleted
     */
    public long trimAudit(long maxCount, Instant notBefore) {
        return auditLog.trim(maxCount, notBefore);
    }

    /**
     * @return how many objects of each kind exist, by collection name
     */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        for (Kind<?> kind : Kind.ALL) {
            counts.put(kind.collection(), map(kind).size());
        }
        return counts;
    }
}
