package io.netloom.hostnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NetnsBinding#applyAll}: many bindings made in a few batches, on a few threads, with the bindings a batch
 * could not make handed back to {@link NetnsBinding#apply} one by one.
 */
final class BulkBinding {

    private static final Logger LOG = LoggerFactory.getLogger(BulkBinding.class);
    private static final boolean NSENTER = HostCommand.locate("nsenter").isPresent();
    /** How many commands {@link #applyAll} runs at once. */
    static final int PARALLELISM = 4;

    private final NetnsBinding binding;
    private final Iproute2 ip;
    private final Optional<InProcess> inProcess;

    BulkBinding(NetnsBinding binding, Iproute2 ip, Optional<InProcess> inProcess) {
        this.binding = binding;
        this.ip = ip;
        this.inProcess = inProcess;
    }

    /**
     * Applies many bindings at once, with the same outcome as {@link NetnsBinding#apply} for each, in a few processes:
     * the host
     * ends already present are listed with one {@code ip link show} per host namespace, and every pair that is new is
     * created by one {@code ip -batch} per host namespace, host namespaces at once; each workload namespace is
     * configured (in process through netlink where the machine allows, else by one {@code ip -batch} plus
     * {@code ethtool} per device where TX offload goes off) as soon as its
     * pairs are made. Everything runs on up to {@link #PARALLELISM} threads. Bindings whose host end exists already,
     * and the bindings of any batch the kernel refused, go through {@link NetnsBinding#apply}, which reads and repairs
     * them one
     * by one.
     *
     * <p>The batches hold only names generated from port ids, namespace names, MAC addresses and IP addresses, all
     * checked by {@link NetnsBinding.Spec}; nothing else of a user's text reaches them.
     *
     * @param specs the bindings, at most one per port id
     * @return why each binding that could not be applied failed, by port id; empty when all were applied
     */
    Map<String, RuntimeException> applyAll(List<NetnsBinding.Spec> specs) {
        Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
        Map<Optional<String>, List<NetnsBinding.Spec>> byHost = new LinkedHashMap<>();
        for (NetnsBinding.Spec spec : specs) {
            try {
                binding.requireNamespace(spec.namespace(), spec.portId());
                spec.hostNamespace().ifPresent(h -> binding.requireNamespace(h, spec.portId()));
                if (spec.txChecksumOffloadOff()) {
                    binding.requireEthtool();
                }
                byHost.computeIfAbsent(spec.hostNamespace(), h -> new ArrayList<>()).add(spec);
            } catch (RuntimeException e) {
                failures.put(spec.portId(), e);
            }
        }
        // Workload namespaces whose ports all have their host ends in one host namespace are configured as soon as
        // that namespace's pairs are made; the others once every pair is, in one batch as always.
        Map<String, Set<Optional<String>>> hostsOf = new HashMap<>();
        Map<String, Integer> order = new HashMap<>();
        byHost.forEach((host, group) -> group.forEach(spec -> {
            hostsOf.computeIfAbsent(spec.namespace(), n -> new HashSet<>()).add(host);
            order.put(spec.portId(), order.size());
        }));
        Map<String, List<NetnsBinding.Spec>> later = new ConcurrentHashMap<>();
        try (Tasks tasks = new Tasks()) {
            byHost.forEach((host, group) -> tasks.submit(() -> {
                Pairs made = pairs(host, group, failures);
                made.oneByOne().forEach(spec -> tasks.submit(() -> applyOne(spec, failures)));
                Map<String, List<NetnsBinding.Spec>> created = new LinkedHashMap<>();
                made.created().forEach(spec -> created.computeIfAbsent(spec.namespace(), n -> new ArrayList<>())
                        .add(spec));
                created.forEach((namespace, inside) -> {
                    if (hostsOf.get(namespace).size() == 1) {
                        tasks.submit(() -> configureInside(namespace, inside, failures));
                    } else {
                        later.computeIfAbsent(namespace, n -> Collections.synchronizedList(new ArrayList<>()))
                                .addAll(inside);
                    }
                });
            }));
            tasks.await();
            later.forEach((namespace, inside) -> {
                List<NetnsBinding.Spec> sorted = new ArrayList<>(inside);
                sorted.sort(Comparator.comparing(spec -> order.get(spec.portId())));
                tasks.submit(() -> configureInside(namespace, sorted, failures));
            });
            tasks.await();
        }
        return new LinkedHashMap<>(failures);
    }

    /**
     * What making the pairs of one host namespace came to.
     *
     * @param created the bindings whose pairs were just made, their namespace ends still to configure
     * @param oneByOne the bindings to apply one by one: their host end was there already, or their batch failed
     */
    private record Pairs(List<NetnsBinding.Spec> created, List<NetnsBinding.Spec> oneByOne) {
    }

    /** Lists the host namespace's devices and makes the pairs that are missing; a failure fails its bindings. */
    private Pairs pairs(Optional<String> hostNamespace, List<NetnsBinding.Spec> specs,
            Map<String, RuntimeException> failures) {
        Set<String> devices;
        try {
            devices = ip.links(hostNamespace).stream().map(Link::name).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            specs.forEach(spec -> failures.put(spec.portId(), e));
            return new Pairs(List.of(), List.of());
        }
        List<NetnsBinding.Spec> fresh = new ArrayList<>();
        List<NetnsBinding.Spec> present = new ArrayList<>();
        for (NetnsBinding.Spec spec : specs) {
            (devices.contains(NetnsBinding.hostDevice(spec.portId())) ? present : fresh).add(spec);
        }
        if (fresh.isEmpty() || createPairs(hostNamespace, fresh)) {
            return new Pairs(fresh, present);
        }
        present.addAll(fresh);
        return new Pairs(List.of(), present);
    }

    /**
     * Creates the pairs of one host namespace, each namespace end directly in its namespace (moving a device
     * between namespaces costs the kernel a synchronisation each), and brings the host ends up.
     *
     * @return whether every pair was made; when not, the caller applies each one by one, which repairs whatever
     *     half of it was made
     */
    private boolean createPairs(Optional<String> hostNamespace, List<NetnsBinding.Spec> specs) {
        StringBuilder lines = new StringBuilder();
        for (NetnsBinding.Spec spec : specs) {
            String host = NetnsBinding.hostDevice(spec.portId());
            String mtu = spec.mtu().isPresent() ? " mtu " + spec.mtu().getAsInt() : "";
            lines.append("link add name ").append(host).append(mtu).append(" type veth peer name ")
                    .append(NetnsBinding.namespaceDevice(spec.portId())).append(" address ").append(spec.mac())
                    .append(mtu)
                    .append(" netns ").append(spec.namespace()).append('\n');
            lines.append("link set dev ").append(host).append(" up\n");
        }
        return batch(hostNamespace, lines.toString());
    }

    /**
     * Configures the new namespace ends of one namespace: links up, address, default route, and TX offload off where
     * asked. In process through netlink when this machine allows it (see {@link InProcess}); otherwise
     * {@code ethtool} where TX offload goes off, then one {@code ip -batch}, both under {@code nsenter --net}, which
     * only joins the network namespace ({@code ip -n} and {@code ip netns exec} also make a mount namespace and
     * remount sysfs, which costs more the more namespaces the host has: three times as much with a thousand). When
     * anything fails, the namespace's bindings are applied one by one, which reads and repairs each.
     */
    private void configureInside(String namespace, List<NetnsBinding.Spec> specs,
            Map<String, RuntimeException> failures) {
        // One namespace's changes, each once (lo goes up once however many ends the namespace holds).
        Set<Change> changes = new LinkedHashSet<>();
        specs.forEach(spec -> changes.addAll(NetnsBinding.changes(spec, NetnsBinding.Observed.fresh(spec))));
        boolean ok = inProcess.isPresent() ? configureInProcess(namespace, List.copyOf(changes))
                : configureByProcess(namespace, List.copyOf(changes));
        if (!ok) {
            specs.forEach(spec -> applyOne(spec, failures));
        }
    }

    private boolean configureInProcess(String namespace, List<Change> changes) {
        try {
            inProcess.get().apply(namespace, changes);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Configuring namespace {} in process failed, applying its bindings one by one: {}", namespace,
                    e.getMessage());
            return false;
        }
    }

    /** {@code ethtool} per device where TX offload goes off, then one {@code ip -batch} of the other changes. */
    private boolean configureByProcess(String namespace, List<Change> changes) {
        boolean ok = true;
        StringBuilder lines = new StringBuilder();
        for (Change change : changes) {
            if (change instanceof Change.TxChecksumOffloadOff off) {
                ok &= ip.runner().execute(enter(namespace, "ethtool", "-K", off.device(), "tx", "off"), null)
                        .exitCode() == 0;
            } else {
                lines.append(String.join(" ", change.batchLine())).append('\n');
            }
        }
        ok &= ip.runner().execute(enter(namespace, "ip", "-force", "-batch", "-"), lines.toString()).exitCode() == 0;
        return ok;
    }

    /**
     * @return {@code command} run in {@code namespace}'s network namespace: through {@code nsenter --net} when
     *     util-linux's nsenter is there, else through {@code ip netns exec}
     */
    private static List<String> enter(String namespace, String... command) {
        if (!NSENTER) {
            return Iproute2.inNamespace(namespace, command);
        }
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net="
                + Iproute2.NETNS_DIRECTORY.resolve(DeviceNames.validateNamespace(namespace))));
        argv.addAll(List.of(command));
        // nsenter searches only the caller's PATH, which in a service often lacks the sbin directories.
        HostCommand.locate(command[0]).ifPresent(path -> argv.set(2, path.toString()));
        return argv;
    }

    /** Runs {@code ip [-n NS] -force -batch -}: every line is tried; false when any failed. */
    private boolean batch(Optional<String> namespace, String lines) {
        return ip.runner().execute(Iproute2.ip(namespace, "-force", "-batch", "-"), lines).exitCode() == 0;
    }

    private void applyOne(NetnsBinding.Spec spec, Map<String, RuntimeException> failures) {
        try {
            binding.apply(spec);
        } catch (RuntimeException e) {
            failures.put(spec.portId(), e);
        }
    }

    /**
     * Tasks on up to {@link #PARALLELISM} threads; a task may submit more. {@link #await} returns once every task
     * submitted before it, and every task those submitted, has ended.
     */
    private static final class Tasks implements AutoCloseable {

        private final ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, r -> {
            Thread t = new Thread(r, "netloom-netns-binding");
            t.setDaemon(true);
            return t;
        });
        private final List<Future<?>> futures = new ArrayList<>();

        void submit(Runnable task) {
            synchronized (futures) {
                futures.add(pool.submit(task));
            }
        }

        /**
         * @throws RuntimeException the first exception a task threw
         */
        void await() {
            for (int i = 0;; i++) {
                Future<?> next;
                synchronized (futures) {
                    if (i >= futures.size()) {
                        futures.clear();
                        return;
                    }
                    next = futures.get(i);
                }
                try {
                    next.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HostCommandException(List.of("ip", "-batch"), HostCommandException.NO_EXIT,
                            "interrupted", e);
                }
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
