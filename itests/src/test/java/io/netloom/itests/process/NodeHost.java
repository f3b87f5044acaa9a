package io.netloom.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.netloom.itests.conformance.HostProcesses;

/**
 * One host of a multi-host test: a network namespace joined to the test's underlay bridge (in the root namespace)
 * by a veth, with its own address in 10.200.250.0/24 and host routes to the controller and the other hosts, and the
 * node distribution running inside it (its agent realising the host's configuration with the Linux bridge driver,
 * whose overlay tunnels leave through the host's underlay veth).
 *
 * <p>Host routes (/32) only, so that nothing is routed to another test's underlay. {@link #close()} kills the agent
 * and deletes the namespace and the veth, whatever state the test left.
 */
final class NodeHost implements AutoCloseable {

    private static final Pattern REALISED = Pattern.compile("Realised revision (\\d+) of node \\S+: (\\d+) change");
    private static final Pattern PING = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final String namespace;
    private final String rootEnd;
    private final String hostEnd;
    private final String address;
    private final String instance;
    private Path home;

    /**
     * @param namespace the host's namespace name, unique to the run
     * @param tag a short unique tag for its device names (at most 11 characters)
     * @param address its underlay address
     * @param instance the Netloom instance id its agent's driver records on what it makes
     */
    NodeHost(String namespace, String tag, String address, String instance) {
        this.namespace = namespace;
        this.rootEnd = "nlv" + tag;
        this.hostEnd = "nly" + tag;
        this.address = address;
        this.instance = instance;
    }

    String namespace() {
        return namespace;
    }

    String address() {
        return address;
    }

    /**
     * Makes the namespace and joins it to the underlay.
     *
     * @param underlay the underlay bridge in the root namespace
     * @param reachable the addresses the host must reach over the underlay (the controller's, the other hosts')
     */
    void create(String underlay, List<String> reachable) {
        HostProcesses.run("ip", "netns", "add", namespace);
        HostProcesses.run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", hostEnd);
        HostProcesses.run("ip", "link", "set", rootEnd, "master", underlay, "up");
        HostProcesses.run("ip", "route", "add", address + "/32", "dev", underlay);
        HostProcesses.run("ip", "link", "set", hostEnd, "netns", namespace);
        in("ip", "link", "set", "lo", "up");
        in("ip", "link", "set", hostEnd, "up");
        in("ip", "addr", "add", address + "/32", "dev", hostEnd);
        for (String other : reachable) {
            in("ip", "route", "add", other + "/32", "dev", hostEnd);
        }
    }

    /**
     * Unpacks the node distribution (once), configures it for the node and starts it inside the host's namespace.
     *
     * @param controllerUrl the controller's REST root as the host reaches it
     * @param nodeId the node's id
     * @param credential the node's credential
     */
    void startAgent(String controllerUrl, String nodeId, String credential) throws IOException {
        if (home == null) {
            Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            Path tar = moduleDir.resolve("../karaf-node/target/netloom-node-" + System.getProperty("netloom.version")
                    + ".tar.gz").normalize();
            assertTrue("no node distribution at " + tar, Files.isRegularFile(tar));
            Files.createDirectories(moduleDir.resolve("target/process-it"));
            home = Files.createTempDirectory(moduleDir.resolve("target/process-it"), "node-");
            HostProcesses.run("tar", "-xzf", tar.toString(), "-C", home.toString(), "--strip-components=1");
            Path secret = home.resolve("etc/netloom-node.credential");
            Files.writeString(secret, credential + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(home.resolve("etc/io.netloom.agent.cfg"), String.join("\n",
                    "controller.url = " + controllerUrl, "node.id = " + nodeId, "driver = linuxbridge",
                    "poll.timeout = PT20S", "heartbeat.interval = PT1S", "retry.max = PT2S", ""),
                    StandardCharsets.UTF_8);
            Files.writeString(home.resolve("etc/io.netloom.driver.linuxbridge.cfg"), String.join("\n",
                    "instance.id = " + instance, "underlay.interface = " + hostEnd, ""), StandardCharsets.UTF_8);
        }
        // nsenter changes the network namespace only: the router namespaces the driver mounts in /run/netns stay
        // visible to everyone.
        ProcessBuilder pb = new ProcessBuilder(List.of("nsenter", "--net=/run/netns/" + namespace, "--",
                home.resolve("bin/start").toString())).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("scripts.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(key -> key.startsWith("KARAF_"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            assertEquals(0, pb.start().waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await("the agent's JVM in " + namespace, () -> agentPid() > 0);
    }

    /** @return the agent's process id, -1 when it does not run */
    long agentPid() {
        if (home == null) {
            return -1;
        }
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine().orElse("")
                    .contains("-Dkaraf.home=" + home + " ")).mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
        }
    }

    /** {@code kill -9} of the agent, then waits until it is gone. */
    void killAgent() {
        long pid = agentPid();
        assertTrue("the agent of " + namespace + " runs", pid > 0);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await("the agent's JVM in " + namespace + " is gone", () -> agentPid() < 0);
    }

    /** @return the changes of each "Realised revision" line of the agent's log, in order */
    List<Integer> realisations() {
        List<Integer> changes = new ArrayList<>();
        if (home == null) {
            return changes;
        }
        try {
            Path log = home.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                Matcher m = REALISED.matcher(Files.readString(log, StandardCharsets.UTF_8));
                while (m.find()) {
                    changes.add(Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    private void in(String... command) {
        HostProcesses.run(HostProcesses.inNamespace(namespace, command).toArray(String[]::new));
    }

    @Override
    public void close() {
        if (home != null) {
            long pid = agentPid();
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Path log = home.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                try {
                    Files.copy(log, home.resolveSibling(home.getFileName() + "-karaf.log"),
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    // diagnostics only
                }
            }
        }
        HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "del", namespace));
        HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "link", "del", rootEnd));
        if (home != null) {
            HostProcesses.execute(Duration.ofSeconds(30), List.of("rm", "-rf", home.toString()));
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** {@code ping -i 0.01 -c COUNT} from a namespace: packets sent and received. */
    static int[] flood(String from, String to, int count) {
        HostProcesses.Result r = HostProcesses.execute(Duration.ofSeconds(120), HostProcesses.inNamespace(from,
                "ping", "-i", "0.01", "-c", Integer.toString(count), "-W", "1", to));
        Matcher m = PING.matcher(r.stdout());
        if (!m.find()) {
            throw new IllegalStateException("ping printed no summary: " + r.stdout() + r.stderr());
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * @param owners instance ids
     * @return the router namespaces of those instances, found by the owner each records on its {@code lo}
     */
    static List<String> routerNamespaces(List<String> owners) {
        List<String> ours = new ArrayList<>();
        HostProcesses.Result list = HostProcesses.execute(Duration.ofSeconds(10), List.of("ip", "netns", "list"));
        for (String line : list.stdout().split("\n")) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith("nlr")) {
                continue;
            }
            String alias = HostProcesses.execute(Duration.ofSeconds(10), HostProcesses.inNamespace(ns, "ip", "-o",
                    "link", "show", "lo")).stdout();
            if (owners.stream().anyMatch(alias::contains)) {
                ours.add(ns);
            }
        }
        return ours;
    }
}
