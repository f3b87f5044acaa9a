package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything one harness run creates, named so that it can all be found and removed again: a directory (daemons'
 * databases, sockets, pid files, logs, unpacked distributions) and network namespaces whose names start with
 * {@code nlb<run id>}. The harness itself runs inside the namespace {@code nlb<run id>}; the ports' namespaces
 * ({@code nlb<run id>p…}) hang off it through veth pairs, so every device the run makes lives in a namespace of the
 * run and dies with it.
 */
final class Sandbox {

    private static final Duration IP_TIMEOUT = Duration.ofMinutes(5);

    /** How the Linux bridge driver logs a namespace it made (KernelWriter, INFO). */
    private static final Pattern CREATED_NAMESPACE = Pattern.compile("Created router namespace (nlr[0-9a-z]+)");

    private final String id;
    private final Path dir;
    private final AtomicInteger devices = new AtomicInteger();

    Sandbox(String id, Path dir) {
        this.id = id;
        this.dir = dir;
    }

    /** @return the namespace the harness runs in */
    static String harnessNamespace(String id) {
        return "nlb" + id;
    }

    String id() {
        return id;
    }

    Path dir() {
        return dir;
    }

    /** @return a new subdirectory of the run's directory */
    Path newDir(String prefix) {
        try {
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the name of a port namespace of this run */
    String portNamespace(String portName) {
        return harnessNamespace(id) + "p" + portName;
    }

    /** @return a new device name of this run, unique and short enough for the kernel (15 characters) */
    String newDevice(String letter) {
        return letter + id + devices.incrementAndGet();
    }

    /**
     * Creates network namespaces with one {@code ip -batch}; any of those names that a previous run of this harness
     * left is deleted first.
     */
    void addNamespaces(List<String> names) {
        deleteNamespaces(names);
        StringBuilder batch = new StringBuilder();
        for (String name : names) {
            batch.append("netns add ").append(name).append('\n');
        }
        ipBatch(batch.toString());
    }

    /** Deletes every port namespace of this run (their veths go with them). */
    void deletePortNamespaces() {
        String prefix = harnessNamespace(id) + "p";
        deleteNamespaces(namespaces().stream().filter(ns -> ns.startsWith(prefix)).toList());
    }

    /**
     * Deletes every device of the harness's namespace except {@code lo}: veth ends, bridges, the taps the userspace
     * datapath leaves. Only ever called inside the run's own namespace.
     */
    void deleteHarnessDevices() {
        String here = Exec.check(IP_TIMEOUT, Map.of(), List.of("ip", "netns", "identify")).output().trim();
        if (!here.equals(harnessNamespace(id))) {
            throw new IllegalStateException("Refusing to delete devices: this process runs in namespace '" + here
                    + "', not in the run's own " + harnessNamespace(id));
        }
        String out = Exec.check(IP_TIMEOUT, Map.of(), List.of("ip", "-o", "link", "show")).output();
        StringBuilder batch = new StringBuilder();
        for (String line : out.split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length < 2) {
                continue;
            }
            String name = parts[1].split("@")[0].trim();
            if (!name.isEmpty() && !name.equals("lo")) {
                batch.append("link del ").append(name).append('\n');
            }
        }
        if (!batch.isEmpty()) {
            Exec.run(IP_TIMEOUT, Map.of(), List.of("ip", "-force", "-batch", "-"), batch.toString());
        }
    }

    /** Runs {@code ip -batch} with commands on standard input and fails when one of them fails. */
    static void ipBatch(String commands) {
        Exec.check(IP_TIMEOUT, Map.of(), List.of("ip", "-batch", "-"), commands);
    }

    /** Runs {@code ip -n NS -batch} for many namespaces, a few at a time. */
    static void ipBatchPerNamespace(Map<String, String> commandsByNamespace, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Map.Entry<String, String> e : commandsByNamespace.entrySet()) {
                done.add(pool.submit(() -> Exec.check(IP_TIMEOUT, Map.of(),
                        List.of("ip", "-n", e.getKey(), "-batch", "-"), e.getValue())));
            }
            Harness.awaitAll(done);
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return the names of all named network namespaces on the machine */
    static List<String> namespaces() {
        String out = Exec.check(IP_TIMEOUT, Map.of(), List.of("ip", "netns", "list")).output();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * @param log a Netloom {@code karaf.log}
     * @return the network namespaces Netloom's drivers logged they created (the Linux bridge driver makes a router
     *         namespace {@code nlr…} per network and, by design, leaves the data plane in place when it stops);
     *         taking the names from the instance's own log leaves every other Netloom's namespaces alone
     */
    static List<String> namespacesCreatedIn(Path log) {
        List<String> names = new ArrayList<>();
        if (!Files.isRegularFile(log)) {
            return names;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                Matcher m = CREATED_NAMESPACE.matcher(line);
                if (m.find()) {
                    names.add(m.group(1));
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("Cannot read " + log + " to find the namespaces Netloom created", e);
        }
        return names;
    }

    /**
     * Deletes those of {@code names} that exist, with one {@code ip -batch}, then checks: what is still there (the
     * kernel may refuse a deletion while something tears the namespace down) is deleted one by one, a few times,
     * and if a namespace survives that, this fails naming it and what {@code ip} said, rather than let the next run
     * trip over it.
     */
    static void deleteNamespaces(Collection<String> names) {
        List<String> left = present(names);
        String said = "";
        for (int attempt = 0; !left.isEmpty() && attempt < 4; attempt++) {
            if (attempt == 0) {
                StringBuilder batch = new StringBuilder();
                left.forEach(ns -> batch.append("netns del ").append(ns).append('\n'));
                said = Exec.run(IP_TIMEOUT, Map.of(), List.of("ip", "-force", "-batch", "-"), batch.toString())
                        .output();
            } else {
                try {
                    Thread.sleep(250L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                StringBuilder out = new StringBuilder();
                for (String ns : left) {
                    out.append(Exec.run(IP_TIMEOUT, Map.of(), List.of("ip", "netns", "del", ns), "").output());
                }
                said = out.toString();
            }
            left = present(names);
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("Could not delete " + left.size() + " namespace(s), e.g. "
                    + left.subList(0, Math.min(5, left.size())) + ": " + said.strip());
        }
    }

    private static List<String> present(Collection<String> names) {
        Set<String> existing = new HashSet<>(namespaces());
        return names.stream().filter(existing::contains).distinct().toList();
    }

    /**
     * Removes whatever a run left: stops the daemons and Karaf JVMs of its pid files (only those whose command line
     * names the run's directory), deletes its namespaces (and so their devices) and, unless asked to keep it, its
     * directory. Safe to call more than once, and after a crash of the harness.
     */
    static void sweep(String id, Path dir, boolean keepDir) {
        Pidfiles.stopAllUnder(dir);
        String prefix = harnessNamespace(id);
        List<String> ours = new ArrayList<>(namespaces().stream().filter(ns -> ns.startsWith(prefix)).toList());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith("karaf.log"))
                        .forEach(log -> ours.addAll(namespacesCreatedIn(log)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot search " + dir + " for Netloom's logs", e);
            }
        }
        deleteNamespaces(ours);
        if (!keepDir && Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete " + dir, e);
            }
        }
    }
}
