package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The end-to-end benchmark: Netloom against OVN and against the data-plane tools' own batch interfaces, on this
 * machine, in one run, as medians of several runs. See {@code docs/BENCHMARKS.md} for the method and the results.
 *
 * <p>Run as root: {@code benchmarks/run-e2e [--smoke] [options]} (or
 * {@code java -cp benchmarks/target/benchmarks.jar io.netloom.benchmarks.e2e.Harness}). The process first creates
 * a network namespace of its own, {@code nlb<run id>}, and runs the measuring harness again inside it, so that the
 * userspace datapath's devices, the bridges, veths and every listener of the run are isolated from the machine;
 * when that inner process ends (or fails, or is interrupted), the outer one stops whatever of the run still runs
 * (by pid file), deletes the run's namespaces and its directory under {@code /tmp}.
 */
public final class Harness {

    /** Scenario 1, 2, ... in the order they run. */
    private static final List<Scenario> SCENARIOS = List.of(new BulkPortsScenario(), new FlowScenario(),
            new LinuxBridgeScenario(), new StartupScenario(), new HeapScenario(), new ScaleScenario(),
            new ManyNetworksScenario(), new DefaultGroupScenario(), new StoreScenario());

    private Harness() {
    }

    /**
     * @param args see {@link Options#USAGE}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the harness and returns its exit code: 0 when every selected scenario ran (pending sides are not
     * failures), 1 when one failed, 2 for a usage error.
     */
    public static int run(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return options.inner() ? inner(options) : outer(options, args);
    }

    private static int outer(Options options, String[] args) {
        if (!isRoot()) {
            System.err.println("The end-to-end harness must run as root (network namespaces, veths, OVS).");
            return 2;
        }
        String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
        Path tmp;
        try {
            tmp = Files.createTempDirectory("nlb-" + id + "-");
        } catch (IOException e) {
            System.err.println("Cannot create the run's directory: " + e);
            return 1;
        }
        String ns = Sandbox.harnessNamespace(id);
        Thread sweeper = new Thread(() -> {
            // Killed while the inner harness runs: end it first (its own hook stops its commands and daemons).
            ProcessHandle.current().children().forEach(Pidfiles::terminate);
            Sandbox.sweep(id, tmp, options.keep());
        }, "nlb-sweep");
        Runtime.getRuntime().addShutdownHook(sweeper);
        try {
            Exec.check(Duration.ofSeconds(30), Map.of(), List.of("ip", "netns", "add", ns));
            Exec.check(Duration.ofSeconds(30), Map.of(), List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                    "-cp", System.getProperty("java.class.path"), Harness.class.getName()));
            command.addAll(List.of(args));
            command.addAll(List.of("--inner", "--run-id", id, "--tmp", tmp.toString(),
                    "--out", options.out().toString(), "--dist", options.dist().toString(),
                    "--m2", options.m2().toString()));
            System.out.println("Run " + id + ": namespace " + ns + ", directory " + tmp);
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            if (options.log() != null) {
                Files.createDirectories(options.log().getParent());
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(options.log().toFile()));
                System.out.println("Output of the measuring process: " + options.log());
            }
            Process inner = pb.start();
            return inner.waitFor();
        } catch (IOException | Exec.ExecException e) {
            System.err.println("The harness could not start: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            Sandbox.sweep(id, tmp, options.keep());
            try {
                Runtime.getRuntime().removeShutdownHook(sweeper);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs the same idempotent sweep.
            }
            if (options.keep()) {
                System.out.println("Kept " + tmp);
            }
        }
    }

    private static int inner(Options options) {
        if (options.runId() == null || options.tmp() == null) {
            System.err.println("--inner needs --run-id and --tmp");
            return 2;
        }
        Sandbox sandbox = new Sandbox(options.runId(), options.tmp());
        // Interrupted (Ctrl-C, SIGTERM): end the commands this process runs (an ip -batch still creating namespaces
        // would outlive the outer process's sweep) and stop our daemons; the outer process deletes the namespaces.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().descendants().forEach(Pidfiles::terminate);
            Pidfiles.stopAllUnder(options.tmp());
        }, "nlb-stop"));
        Report report = new Report(options.settings());
        Context context = new Context(options, sandbox, report);
        for (Scenario scenario : SCENARIOS) {
            if (!scenario.selected(options)) {
                continue;
            }
            System.out.println("=== " + scenario.name());
            long start = System.nanoTime();
            try {
                scenario.run(context);
            } catch (RuntimeException e) {
                report.failed(scenario.name(), e);
            } finally {
                context.cleanUp();
            }
            System.out.printf("=== %s took %.0f s%n", scenario.name(), (System.nanoTime() - start) / 1e9);
        }
        report.write(options.out());
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Written to " + options.out().resolve("results.md") + " and results.json");
        return report.failures().isEmpty() ? 0 : 1;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Sleeps, turning an interrupt into a failure of the scenario. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits for every future; the first failure is rethrown. */
    static void awaitAll(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** A measurement of the harness. */
    interface Scenario {

        String name();

        boolean selected(Options options);

        /** Measures and adds its rows to the report; throws when it cannot. */
        void run(Context context);
    }

    /** What every scenario works with. */
    record Context(Options options, Sandbox sandbox, Report report) {

        Path netloomDistribution() {
            return options.dist().resolve("netloom-distribution.tar.gz");
        }

        Path vanillaDistribution() {
            return options.dist().resolve("apache-karaf.tar.gz");
        }

        /** Stops whatever a scenario left running and removes its namespaces and devices. */
        void cleanUp() {
            Pidfiles.stopAllUnder(sandbox.dir());
            sandbox.deletePortNamespaces();
            sandbox.deleteHarnessDevices();
        }

        /** Logs progress. */
        void log(String message) {
            System.out.println("  " + message);
        }
    }
}
