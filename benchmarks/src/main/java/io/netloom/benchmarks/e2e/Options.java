package io.netloom.benchmarks.e2e;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The harness's command line. {@code --smoke} switches every size to the tiny configuration CI runs; explicit
 * options given after it still win.
 */
record Options(boolean smoke, int runs, Set<Integer> scenarios, String driver, String fallbackDriver,
        int networks, List<Integer> ports, int flows, int lbPorts, int heapPorts, int heapRulesPerPort, int heapRuns,
        int threads, Path out, Path dist, Path m2, Path log, boolean keep, boolean inner, String runId, Path tmp,
        boolean netloomOnly, boolean perPort, int scalePorts, int manyNetworks, int portsPerNetwork,
        int groupPorts, int storeObjects) {

    static final String USAGE = """
            usage: benchmarks/run-e2e [options]
              --smoke                 tiny sizes, one run (what CI runs)
              --runs N                runs per measurement, medians reported (default 3)
              --scenarios 1,2,...     which scenarios (default all: 1 bulk ports, 2 first ping, 3 flows,
                                      4 Linux bridge, 5 start-up, 6 heap, 7 scale: S1 and S3,
                                      8 scale: S2, 9 scale on OVS and Linux bridge: S4, 10 store: S5)
              --driver T              Netloom driver for scenarios 1 and 2 (default ovs)
              --fallback-driver T     used when T is not registered, reported as such (default sim; none = fail)
              --networks N            networks of scenarios 1, 2, 4 and 6 (default 10; smoke 2)
              --ports N,M             port counts of scenario 1 (default 1000,5000); 2 uses the first
              --flows N               flows of scenario 3 (default 100000)
              --lb-ports N            ports of scenario 4 (default 1000)
              --heap-ports N          ports of scenario 6 (default 10000)
              --heap-rules-per-port N rules of each port's own group in scenario 6 (default 10)
              --heap-runs N           loads in scenarios 6 and 7 (default 1; it takes minutes)
              --scale-ports N         ports of scenario 7, all in one network's default group (default 10000)
              --many-networks N       networks of scenario 8 (default 100; smoke 2)
              --ports-per-network N   ports of each network of scenario 8 (default 1000; smoke 10)
              --group-ports N         ports of scenario 9, bound to namespaces in one network's default
                                      group (default 2000; smoke 20)
              --store-objects N       creates, then deletes, of scenario 10 (default 100000; smoke 2000)
              --threads N             concurrent REST requests (default 4)
              --out DIR               where results.md and results.json go (default benchmarks/target/e2e)
              --dist DIR              where the distributions are (default benchmarks/target/e2e-dist)
              --m2 DIR                local Maven repository the vanilla Karaf resolves 'http' from
                                      (default ~/.m2/repository)
              --log FILE              send the measuring process's output to FILE instead of this console
              --keep                  keep the run's directory (logs) under /tmp
              --netloom-only          measure only Netloom in scenarios 1, 2, 4 and 9 (no ratio; for development)
              --per-port              Netloom gets one request per port instead of one bulk request per network
            """;

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> flags = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke", "--keep", "--inner", "--netloom-only", "--per-port" -> flags.add(a);
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> {
                    if (!a.startsWith("--") || i + 1 >= args.length) {
                        throw new IllegalArgumentException("Unknown or incomplete option '" + a + "'\n" + USAGE);
                    }
                    values.put(a, args[++i]);
                }
            }
        }
        boolean smoke = flags.contains("--smoke");
        Path target = targetDir();
        Options o = new Options(smoke,
                integer(values, "--runs", smoke ? 1 : 3),
                scenarioSet(values.getOrDefault("--scenarios", "1,2,3,4,5,6,7,8,9,10")),
                values.getOrDefault("--driver", "ovs"),
                values.getOrDefault("--fallback-driver", "sim"),
                integer(values, "--networks", smoke ? 2 : 10),
                integers(values.getOrDefault("--ports", smoke ? "20" : "1000,5000")),
                integer(values, "--flows", smoke ? 1000 : 100_000),
                integer(values, "--lb-ports", smoke ? 20 : 1000),
                integer(values, "--heap-ports", smoke ? 20 : 10_000),
                integer(values, "--heap-rules-per-port", 10),
                integer(values, "--heap-runs", 1),
                integer(values, "--threads", 4),
                Path.of(values.getOrDefault("--out", System.getProperty("netloom.e2e.out",
                        target.resolve(smoke ? "e2e-smoke" : "e2e").toString()))).toAbsolutePath(),
                Path.of(values.getOrDefault("--dist", System.getProperty("netloom.e2e.dist",
                        target.resolve("e2e-dist").toString()))).toAbsolutePath(),
                Path.of(values.getOrDefault("--m2", System.getProperty("user.home") + "/.m2/repository"))
                        .toAbsolutePath(),
                values.containsKey("--log") ? Path.of(values.get("--log")).toAbsolutePath() : null,
                flags.contains("--keep"),
                flags.contains("--inner"),
                values.get("--run-id"),
                values.containsKey("--tmp") ? Path.of(values.get("--tmp")) : null,
                flags.contains("--netloom-only"),
                flags.contains("--per-port"),
                integer(values, "--scale-ports", smoke ? 50 : 10_000),
                integer(values, "--many-networks", smoke ? 2 : 100),
                integer(values, "--ports-per-network", smoke ? 10 : 1000),
                integer(values, "--group-ports", smoke ? 20 : 2000),
                integer(values, "--store-objects", smoke ? 2000 : 100_000));
        if (o.runs() < 1 || o.threads() < 1 || o.ports().isEmpty()) {
            throw new IllegalArgumentException("--runs, --threads and --ports must be positive\n" + USAGE);
        }
        return o;
    }

    /**
     * @return {@code benchmarks/target}: the system property {@code netloom.e2e.target} (set by {@code run-e2e},
     *         which runs a copy of the jar), else the folder of the jar, or the parent of {@code target/classes}
     */
    private static Path targetDir() {
        String configured = System.getProperty("netloom.e2e.target");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Path code = Path.of(Options.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = code.getParent();
            return parent == null ? Path.of(".") : parent;
        } catch (URISyntaxException | SecurityException e) {
            return Path.of("benchmarks/target");
        }
    }

    private static int integer(Map<String, String> values, String key, int fallback) {
        String v = values.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a number, not '" + v + "'");
        }
    }

    private static List<Integer> integers(String text) {
        List<Integer> list = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                list.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a list of numbers");
            }
        }
        return List.copyOf(list);
    }

    private static Set<Integer> scenarioSet(String text) {
        Set<Integer> set = new TreeSet<>(integers(text));
        for (int s : set) {
            if (s < 1 || s > 10) {
                throw new IllegalArgumentException("Scenarios are 1 to 10, not " + s);
            }
        }
        return Set.copyOf(set);
    }

    /** @return the arguments that reproduce these options in the inner harness process */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mode", smoke ? "smoke" : "full");
        s.put("runs", Integer.toString(runs));
        s.put("scenarios", new TreeSet<>(scenarios).toString());
        s.put("driver", driver + " (fallback " + fallbackDriver + ")");
        s.put("networks", Integer.toString(networks));
        s.put("ports", ports.toString());
        s.put("flows", Integer.toString(flows));
        s.put("lbPorts", Integer.toString(lbPorts));
        s.put("heap", heapPorts + " ports, " + heapRulesPerPort + " rules each, " + heapRuns + " load(s)");
        s.put("scale", scalePorts + " ports in one default group; " + manyNetworks + " networks x "
                + portsPerNetwork + " ports; " + groupPorts + " bound ports in one default group on OVS and Linux "
                + "bridge; store " + storeObjects + " creates and deletes");
        s.put("threads", Integer.toString(threads));
        s.put("java", System.getProperty("java.version"));
        s.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return s;
    }
}
