package io.netloom.itests.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.netloom.api.model.Protocol;

/**
 * Measures reachability on a real data plane with real packets between network namespaces: one namespace per
 * scenario port, named from a per-run prefix ({@code nlc1a2b-pa1}), which the scenario binds its ports to.
 *
 * <p><b>How a flow is measured.</b> ICMP: {@code ping -c 1 -W 1 -e ID} from the source namespace; delivered when
 * the echo reply arrives (on a stateful data plane with routes both ways, exactly when the request arrived). TCP: a
 * {@link NetnsAgent} in the destination listens, the agent in the source connects; delivered when the connection
 * is made. UDP: the destination's agent reports the datagram's token.
 *
 * <p><b>Replies.</b> While a flow delivered since the last {@link #forgetFlows} is held, {@link #reply} sends on it:
 * the TCP server writes a byte on the accepted connection, the UDP listener answers to the client's port, and for
 * ICMP another echo exchange with the same identifier (the same conntrack flow) is made. For a flow that is not
 * held, the reply is unsolicited: a new flow from the replying port back to the opener with the same protocol and
 * destination port, decided by the rules as the simulator decides it.
 *
 * <p><b>Forgetting flows.</b> The probe never reuses a flow's tuple: every connection and datagram has a fresh
 * source port and every ping a fresh identifier, and {@link #forgetFlows} closes every held connection. So after
 * it, no packet the probe sends belongs to a flow a data plane tracked before, and each is decided as new, without
 * any tool to flush connection tracking (conntrack(8) is not installed). A data plane that can flush its own
 * tracking table passes that as the {@code flusher}, run on every {@link #forgetFlows} as well.
 *
 * <p>The probe owns every namespace and process it made and removes them in {@link #close}.
 */
public final class NetnsReachabilityProbe implements ReachabilityProbe, AutoCloseable {

    /** System property naming the directory (or jar) holding {@link NetnsAgent}, where its code source is none. */
    public static final String AGENT_CLASSPATH_PROPERTY = "netloom.itests.agent.classpath";

    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]{1,16}");
    private static final Duration WAIT = Duration.ofMillis(1000);
    private static final Duration AGENT_ANSWER = Duration.ofSeconds(20);

    private final String prefix;
    private final Runnable flusher;
    private final String agentClasspath;
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final AtomicInteger nextSourcePort;
    private final AtomicInteger nextIcmpId;
    private final AtomicInteger nextId = new AtomicInteger();

    /** A flow delivered since the last forget: what its reply travels on. */
    private record Held(String clientId, int sourcePort, int icmpId, String token) {
    }

    /**
     * @param prefix the prefix of every namespace this probe makes, such as {@link #newRunPrefix()}
     * @param flusher forgets the data plane's own connection tracking, where it can; {@code () -> { }} when the
     *     probe's fresh tuples are enough
     */
    public NetnsReachabilityProbe(String prefix, Runnable flusher) {
        if (!prefix.matches("[a-z][a-z0-9]{1,15}")) {
            throw new IllegalArgumentException("A probe prefix is a letter and 1-15 letters or digits: " + prefix);
        }
        this.prefix = prefix;
        this.flusher = Objects.requireNonNull(flusher, "flusher");
        this.agentClasspath = agentClasspath();
        SecureRandom random = new SecureRandom();
        // Source ports below the kernel's ephemeral range, so that no socket the kernel numbers collides with ours.
        this.nextSourcePort = new AtomicInteger(20000 + random.nextInt(4000));
        this.nextIcmpId = new AtomicInteger(1 + random.nextInt(30000));
    }

    /**
     * @return a fresh prefix, {@code nlc} and 4 hex digits, so runs (and runs interrupted before cleaning up) never
     *     share a namespace
     */
    public static String newRunPrefix() {
        return "nlc" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    }

    /**
     * @return every namespace made so far, by port name
     */
    public Map<String, String> namespaces() {
        return Map.copyOf(namespaces);
    }

    /**
     * Creates the port's namespace (with {@code lo} up) the first time a port is named.
     */
    @Override
    public synchronized Optional<String> namespaceFor(String portName) {
        return Optional.of(namespace(portName));
    }

    /**
     * @param portName a port name of the scenario
     * @return its namespace, created on first use
     */
    public synchronized String namespace(String portName) {
        if (!PORT_NAME.matcher(portName).matches()) {
            throw new IllegalArgumentException("A probe port name is 1-16 lower-case letters or digits: " + portName);
        }
        String existing = namespaces.get(portName);
        if (existing != null) {
            return existing;
        }
        String ns = prefix + "-" + portName;
        HostProcesses.run("ip", "netns", "add", ns);
        namespaces.put(portName, ns);
        HostProcesses.run("ip", "-n", ns, "link", "set", "dev", "lo", "up");
        return ns;
    }

    /**
     * Turns IPv4 forwarding on in the port's namespace (and ICMP redirects off: the appliance sends what it forwards
     * back out of the interface it came in by).
     */
    @Override
    public synchronized void makeForwarder(ScenarioPort appliance) {
        String ns = namespace(appliance.name());
        HostProcesses.run(HostProcesses.inNamespace(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
                .toArray(String[]::new));
        HostProcesses.run(HostProcesses.inNamespace(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0")
                .toArray(String[]::new));
    }

    /** The namespace's IP {@code ForwDatagrams} counter, from its {@code /proc/net/snmp}. */
    @Override
    public synchronized OptionalLong forwarded(ScenarioPort appliance) {
        String snmp = HostProcesses.run(HostProcesses.inNamespace(namespace(appliance.name()), "cat",
                "/proc/net/snmp").toArray(String[]::new));
        String[] header = null;
        for (String line : snmp.split("\n")) {
            if (!line.startsWith("Ip: ")) {
                continue;
            }
            String[] cells = line.substring(4).trim().split("\\s+");
            if (header == null) {
                header = cells;
                continue;
            }
            for (int i = 0; i < header.length && i < cells.length; i++) {
                if (header[i].equals("ForwDatagrams")) {
                    return OptionalLong.of(Long.parseLong(cells[i]));
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public synchronized void forgetFlows() {
        for (Agent agent : agents.values()) {
            agent.call("close-flows");
        }
        held.clear();
        flusher.run();
    }

    @Override
    public synchronized Outcome newFlow(ScenarioPort from, ScenarioPort to, Protocol protocol, int port) {
        String key = key(from, to, protocol, port);
        held.remove(key);
        switch (protocol) {
            case ICMP: {
                int id = icmpId();
                Outcome o = ping(from, to, id);
                if (o.delivered()) {
                    held.put(key, new Held(null, 0, id, null));
                }
                return o;
            }
            case TCP: {
                agent(to).require("tcp-listen " + port);
                String client = "c" + nextId.incrementAndGet();
                int source = sourcePort();
                String answer = agent(from).call("tcp-connect " + client + " " + to.ip() + " " + port + " " + source
                        + " " + WAIT.toMillis());
                boolean ok = answer.startsWith("ok");
                if (ok) {
                    held.put(key, new Held(client, source, 0, null));
                }
                return new Outcome(ok, "tcp " + from.name() + " " + from.ip() + ":" + source + " -> " + to.name() + " "
                        + to.ip() + ":" + port + ": " + (ok ? "connected" : answer));
            }
            case UDP: {
                agent(to).require("udp-listen " + port);
                String client = "c" + nextId.incrementAndGet();
                String token = "t" + client + prefix;
                int source = sourcePort();
                agent(from).require("udp-send " + client + " " + to.ip() + " " + port + " " + source + " " + token);
                String answer = agent(to).call("udp-await " + token + " " + WAIT.toMillis());
                boolean ok = answer.startsWith("ok");
                if (ok) {
                    held.put(key, new Held(client, source, 0, token));
                }
                return new Outcome(ok, "udp " + from.name() + " -> " + to.name() + " " + to.ip() + ":" + port + ": "
                        + (ok ? "datagram arrived" : answer));
            }
            default:
                throw new IllegalArgumentException("A probe sends tcp, udp or icmp, not " + protocol);
        }
    }

    @Override
    public synchronized Outcome reply(ScenarioPort from, ScenarioPort to, Protocol protocol, int port) {
        Held flow = held.get(key(from, to, protocol, port));
        if (flow == null) {
            Outcome unsolicited = newFlow(to, from, protocol, port);
            return new Outcome(unsolicited.delivered(), "no flow " + from.name() + " -> " + to.name()
                    + " held, so the reply is a new flow: " + unsolicited.detail());
        }
        switch (protocol) {
            case ICMP: {
                Outcome o = ping(from, to, flow.icmpId());
                return new Outcome(o.delivered(), "echo exchange in the held flow: " + o.detail());
            }
            case TCP: {
                String sent = agent(to).call("tcp-send-back " + from.ip() + " " + flow.sourcePort() + " "
                        + WAIT.toMillis());
                if (!sent.startsWith("ok")) {
                    return new Outcome(false, "the server could not answer: " + sent);
                }
                String read = agent(from).call("tcp-read " + flow.clientId() + " " + WAIT.toMillis());
                return new Outcome(read.startsWith("ok"), "server " + to.name() + ":" + port + " wrote on the "
                        + "connection from " + from.name() + ":" + flow.sourcePort() + ": " + read);
            }
            case UDP: {
                agent(to).require("udp-send-back " + port + " " + from.ip() + " " + flow.sourcePort() + " r"
                        + flow.token());
                String read = agent(from).call("udp-read " + flow.clientId() + " " + WAIT.toMillis());
                return new Outcome(read.startsWith("ok"), "udp answer " + to.name() + ":" + port + " -> "
                        + from.name() + ":" + flow.sourcePort() + ": " + read);
            }
            default:
                throw new IllegalArgumentException("A probe sends tcp, udp or icmp, not " + protocol);
        }
    }

    /**
     * Stops every agent and deletes every namespace this probe made, whatever happened before.
     */
    @Override
    public synchronized void close() {
        List<String> problems = new ArrayList<>();
        for (Agent agent : agents.values()) {
            agent.stop();
        }
        agents.clear();
        for (String ns : namespaces.values()) {
            HostProcesses.Result r = HostProcesses.execute(Duration.ofSeconds(30), List.of("ip", "netns", "del", ns));
            if (!r.ok() && Files.exists(Path.of("/run/netns", ns))) {
                problems.add(ns + ": " + r.stderr().strip());
            }
        }
        namespaces.clear();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Could not delete namespaces: " + problems);
        }
    }

    private Outcome ping(ScenarioPort from, ScenarioPort to, int id) {
        HostProcesses.Result r = HostProcesses.execute(Duration.ofSeconds(10), HostProcesses.inNamespace(
                namespace(from.name()), "ping", "-n", "-c", "1", "-W", "1", "-e", Integer.toString(id), to.ip()));
        String summary = (r.stdout() + r.stderr()).lines().filter(l -> l.contains("transmitted") || l.contains("From")
                || l.contains("rror")).reduce((a, b) -> a + "; " + b).orElse("exit " + r.exitCode());
        return new Outcome(r.ok(), "ping " + from.name() + " -> " + to.name() + " " + to.ip() + " (id " + id + "): "
                + summary);
    }

    private static String key(ScenarioPort from, ScenarioPort to, Protocol protocol, int port) {
        return from.name() + ">" + to.name() + ">" + protocol + ">" + port;
    }

    private int sourcePort() {
        int p = nextSourcePort.getAndIncrement();
        if (p > 32000) {
            throw new IllegalStateException("The probe used every source port of its range; make a new probe");
        }
        return p;
    }

    private int icmpId() {
        return 1 + Math.floorMod(nextIcmpId.getAndIncrement(), 65534);
    }

    private Agent agent(ScenarioPort port) {
        return agents.computeIfAbsent(port.name(), n -> new Agent(namespace(n), agentClasspath));
    }

    private static String agentClasspath() {
        String configured = System.getProperty(AGENT_CLASSPATH_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            Path location = Path.of(NetnsAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.exists(location)) {
                return location.toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("Cannot tell where NetnsAgent's class is; set " + AGENT_CLASSPATH_PROPERTY,
                    e);
        }
        throw new IllegalStateException("NetnsAgent's class is not in a directory or jar; set "
                + AGENT_CLASSPATH_PROPERTY);
    }

    /** One {@link NetnsAgent} process in one namespace, with a line-by-line conversation. */
    private static final class Agent {

        private final String namespace;
        private final Process process;
        private final Writer in;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        Agent(String namespace, String classpath) {
            this.namespace = namespace;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            try {
                process = HostProcesses.start(List.of("ip", "netns", "exec", namespace, java, "-Xmx32m",
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                        NetnsAgent.class.getName()));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start the agent in " + namespace + ": " + e, e);
            }
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        answers.add(line);
                    }
                } catch (IOException e) {
                    answers.add("fail agent output: " + e);
                }
                answers.add("fail the agent in " + namespace + " ended");
            }, "netns-agent-" + namespace);
            reader.setDaemon(true);
            reader.start();
            Thread errors = new Thread(() -> {
                try {
                    process.getErrorStream().transferTo(System.err);
                } catch (IOException e) {
                    // The agent ended; its exit shows in the answers.
                }
            }, "netns-agent-err-" + namespace);
            errors.setDaemon(true);
            errors.start();
            String ready = next();
            if (!ready.startsWith("ok")) {
                stop();
                throw new IllegalStateException("The agent in " + namespace + " did not start: " + ready);
            }
        }

        String call(String command) {
            try {
                in.write(command + "\n");
                in.flush();
            } catch (IOException e) {
                return "fail cannot talk to the agent in " + namespace + ": " + e;
            }
            return next();
        }

        void require(String command) {
            String answer = call(command);
            if (!answer.startsWith("ok")) {
                throw new IllegalStateException("Agent in " + namespace + ": '" + command + "' -> " + answer);
            }
        }

        private String next() {
            try {
                String answer = answers.poll(AGENT_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                return answer != null ? answer : "fail the agent in " + namespace + " did not answer in time";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "fail interrupted";
            }
        }

        void stop() {
            try {
                in.write("quit\n");
                in.flush();
            } catch (IOException e) {
                // Already gone.
            }
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
