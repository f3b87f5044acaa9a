package io.netloom.benchmarks.e2e;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Netloom's distribution, freshly unpacked and started by the harness, and the workload written into it through
 * the REST API.
 */
final class NetloomInstance implements AutoCloseable {

    private static final Duration WAIT = Duration.ofMinutes(60);
    private static final Duration REGISTRATION = Duration.ofSeconds(3);
    private static final Duration PROGRESS = Duration.ofSeconds(30);
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    /** What {@link #load} created, and how long it took. */
    record Loaded(Duration elapsed, List<String> networkIds, List<String> subnetIds, List<String> groupIds,
            Duration setUp, Duration written) {

        /** @return how the time was spent: networks to rules, the ports' requests, then until all were active */
        String phases() {
            return String.format("networks, subnets, groups and rules %d ms, ports written %d ms later, all active "
                    + "%d ms after that", setUp.toMillis(), written.minus(setUp).toMillis(),
                    elapsed.minus(written).toMillis());
        }
    }

    /** Ports per bulk request at most (the API's limit). */
    static final int BULK = 1000;

    private final Karaf karaf;
    private final NetloomRest rest;
    private final Karaf.Start started;

    private NetloomInstance(Karaf karaf, NetloomRest rest, Karaf.Start started) {
        this.karaf = karaf;
        this.rest = rest;
        this.started = started;
    }

    /**
     * Unpacks and starts Netloom and waits for an authenticated 200 on {@code /drivers}.
     *
     * @param ovs the switch the OVS driver is configured for, or {@code null} to leave it unconfigured
     */
    static NetloomInstance start(Path distribution, Sandbox sandbox, Ovs ovs) {
        return start(distribution, sandbox, ovs, Karaf.MAX_MEM);
    }

    /**
     * @param maxHeap the JVM's heap cap, such as {@code 2048M}
     */
    static NetloomInstance start(Path distribution, Sandbox sandbox, Ovs ovs, String maxHeap) {
        Karaf karaf = Karaf.unpack(distribution, sandbox.newDir("netloom-"));
        try {
            karaf.env("JAVA_MAX_MEM", maxHeap);
            String password = password();
            karaf.env("NETLOOM_ADMIN_PASSWORD", password);
            if (ovs != null) {
                karaf.writeFile("etc/io.netloom.driver.ovs.cfg", "ovsdb.remote = unix:" + ovs.dbSocket() + "\n"
                        + "bridge = " + Ovn.BRIDGE + "\n"
                        + "datapath.type = netdev\n"
                        + "openflow.endpoint = " + ovs.openflowEndpoint(Ovn.BRIDGE) + "\n");
            }
            Karaf.Start started = karaf.start(NetloomRest.BASE + "/drivers", NetloomRest.basic("admin", password),
                    200);
            return new NetloomInstance(karaf, new NetloomRest(karaf.httpPort(), "admin", password), started);
        } catch (RuntimeException e) {
            karaf.close();
            throw e;
        }
    }

    private static String password() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    Karaf karaf() {
        return karaf;
    }

    NetloomRest rest() {
        return rest;
    }

    Karaf.Start started() {
        return started;
    }

    /**
     * Waits a few seconds for a driver of {@code type} to be registered, then up to {@code timeout} for it to be
     * {@code ACTIVE} (a driver of a real data plane first connects to it).
     *
     * @return whether it is registered and active
     */
    boolean awaitDriver(String type, Duration timeout) {
        long start = System.nanoTime();
        while (true) {
            String status = driverStatus(type);
            if ("ACTIVE".equals(status)) {
                return true;
            }
            long waited = System.nanoTime() - start;
            if (waited > timeout.toNanos() || status == null && waited > REGISTRATION.toNanos()) {
                return false;
            }
            Harness.sleep(200);
        }
    }

    private String driverStatus(String type) {
        NetloomRest.Reply reply = rest.get("/drivers");
        if (reply.status() == 200) {
            for (JsonElement e : reply.json().getAsJsonArray()) {
                JsonObject d = e.getAsJsonObject();
                if (type.equals(d.get("type").getAsString())) {
                    return d.get("status").getAsString();
                }
            }
        }
        return null;
    }

    /** @return the types of the registered drivers, with their status */
    String drivers() {
        return rest.get("/drivers").body();
    }

    /**
     * Writes the workload through the REST API: networks on {@code driver}, their subnets, the groups and their
     * rules, then the ports ({@code threads} requests at a time), then polls until every port is {@code ACTIVE}.
     * The ports go in bulk, one request per network (at most {@value #BULK} ports each), the way OVN gets one
     * transaction per network; or, with {@code bulk} off, one request per port, the last one with {@code ?wait=}.
     *
     * @param namespace each port's namespace for a {@code netns} binding, or {@code null} to leave ports unbound
     * @param bulk whether ports are created in bulk
     * @return the time from the first request to every port {@code ACTIVE}, and the ids
     */
    Loaded load(Workload w, String driver, Function<Workload.PortSpec, String> namespace, int threads,
            boolean bulk) {
        long start = System.nanoTime();
        List<String> networkIds = new ArrayList<>();
        List<String> subnetIds = new ArrayList<>();
        for (int n = 0; n < w.networks(); n++) {
            JsonObject net = rest.post("/networks", "{\"name\":\"" + Workload.networkName(n) + "\",\"cidrs\":[\""
                    + Workload.cidr(n) + "\"],\"driver\":\"" + driver + "\"}", 201).getAsJsonObject();
            networkIds.add(net.get("id").getAsString());
            JsonObject sub = rest.post("/networks/" + networkIds.get(n) + "/subnets", "{\"name\":\""
                    + Workload.subnetName(n) + "\",\"cidr\":\"" + Workload.cidr(n) + "\",\"gateway\":\""
                    + Workload.gateway(n) + "\"}", 201).getAsJsonObject();
            subnetIds.add(sub.get("id").getAsString());
        }
        String[] groupIds = new String[w.groups()];
        List<Workload.RuleSpec> rules = w.rules();
        parallel(w.groups(), threads, g -> {
            groupIds[g] = rest.post("/security-groups", "{\"name\":\"" + Workload.groupName(g) + "\"}", 201)
                    .getAsJsonObject().get("id").getAsString();
            // the group's rules in one request (a JSON array: all or none)
            StringBuilder array = new StringBuilder("[");
            for (Workload.RuleSpec r : rules) {
                array.append(array.length() == 1 ? "" : ",").append("{\"direction\":\"ingress\",\"protocol\":\"")
                        .append(r.protocol()).append('"').append(r.port() == null ? "" : ",\"ports\":\"" + r.port()
                        + "\"").append(",\"remoteCidr\":\"").append(Workload.SPACE).append("\"}");
            }
            if (!rules.isEmpty()) {
                rest.post("/security-groups/" + groupIds[g] + "/rules", array.append(']').toString(), 201);
            }
        });
        Duration setUp = Duration.ofNanos(System.nanoTime() - start);
        List<Workload.PortSpec> ports = w.portSpecs();
        if (bulk) {
            List<List<Workload.PortSpec>> requests = bulkRequests(ports);
            parallel(requests.size(), threads, i -> addPorts(requests.get(i), p -> portJson(p,
                    networkIds.get(p.network()), subnetIds.get(p.network()),
                    groupIds[Integer.parseInt(p.group().substring(1))],
                    namespace == null ? null : namespace.apply(p))));
        } else {
            int last = ports.size() - 1;
            parallel(last, threads, i -> addPort(ports.get(i), networkIds, subnetIds, groupIds, namespace, false));
            addPort(ports.get(last), networkIds, subnetIds, groupIds, namespace, true);
        }
        Duration written = Duration.ofNanos(System.nanoTime() - start);
        awaitAllActive(ports.size());
        return new Loaded(Duration.ofNanos(System.nanoTime() - start), List.copyOf(networkIds),
                List.copyOf(subnetIds), List.of(groupIds), setUp, written);
    }

    private void addPort(Workload.PortSpec p, List<String> networkIds, List<String> subnetIds, String[] groupIds,
            Function<Workload.PortSpec, String> namespace, boolean wait) {
        int group = Integer.parseInt(p.group().substring(1));
        // ?wait= is bounded (5 min at most): a 202 says the port is still PENDING; awaitAllActive then polls on.
        String path = "/ports" + (wait ? "?wait=5m" : "");
        String json = portJson(p, networkIds.get(p.network()), subnetIds.get(p.network()), groupIds[group],
                namespace == null ? null : namespace.apply(p));
        NetloomRest.Reply reply = rest.send("POST", path, json);
        if (reply.status() != 201 && !(wait && reply.status() == 202)) {
            throw new IllegalStateException("POST " + path + " " + json + " answered " + reply.status() + " "
                    + reply.body());
        }
    }

    /** @return the ports split into bulk requests: per network, at most {@value #BULK} ports each */
    static List<List<Workload.PortSpec>> bulkRequests(List<Workload.PortSpec> ports) {
        Map<Integer, List<Workload.PortSpec>> byNetwork = new TreeMap<>();
        ports.forEach(p -> byNetwork.computeIfAbsent(p.network(), n -> new ArrayList<>()).add(p));
        List<List<Workload.PortSpec>> requests = new ArrayList<>();
        for (List<Workload.PortSpec> inNetwork : byNetwork.values()) {
            for (int from = 0; from < inNetwork.size(); from += BULK) {
                requests.add(inNetwork.subList(from, Math.min(inNetwork.size(), from + BULK)));
            }
        }
        return requests;
    }

    /** Creates {@code ports} with one bulk {@code POST /ports}, each port's JSON given by {@code json}. */
    void addPorts(List<Workload.PortSpec> ports, Function<Workload.PortSpec, String> json) {
        StringBuilder array = new StringBuilder("[");
        for (Workload.PortSpec p : ports) {
            array.append(array.length() == 1 ? "" : ",").append(json.apply(p));
        }
        NetloomRest.Reply reply = rest.send("POST", "/ports", array.append(']').toString());
        if (reply.status() != 201) {
            throw new IllegalStateException("POST /ports with " + ports.size() + " ports answered " + reply.status()
                    + " " + reply.body());
        }
    }

    /**
     * @return the JSON of a port, in group {@code groupId} or, when it is {@code null}, in none of its own (so in its
     *         network's default group), and bound to {@code ns} when it is given
     */
    static String portJson(Workload.PortSpec p, String networkId, String subnetId, String groupId, String ns) {
        return "{\"name\":\"" + p.name() + "\",\"network\":\"" + networkId + "\",\"subnet\":\"" + subnetId
                + "\",\"ip\":\"" + p.ip() + "\",\"mac\":\"" + p.mac() + "\""
                + (groupId == null ? "" : ",\"securityGroups\":[\"" + groupId + "\"]")
                + (ns == null ? "" : ",\"binding\":{\"type\":\"netns\",\"target\":\"" + ns + "\"}") + "}";
    }

    /** Polls {@code GET /ports} until {@code expected} ports are all {@code ACTIVE}; fails on {@code ERROR}. */
    void awaitAllActive(int expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long lastLog = System.nanoTime();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonArray ports = rest.getAll("/ports");
            int active = 0;
            for (JsonElement e : ports) {
                String status = e.getAsJsonObject().get("status").getAsString();
                if ("ACTIVE".equals(status)) {
                    active++;
                } else if ("ERROR".equals(status)) {
                    throw new IllegalStateException("Port " + e.getAsJsonObject().get("name").getAsString()
                            + " is ERROR: " + e.getAsJsonObject().get("statusDetail"));
                } else {
                    last = e.getAsJsonObject().get("name").getAsString() + " " + status + " "
                            + e.getAsJsonObject().get("statusDetail");
                }
            }
            if (active >= expected) {
                return;
            }
            if (System.nanoTime() - lastLog > PROGRESS.toNanos()) {
                System.out.println("  " + active + " of " + expected + " ports ACTIVE");
                lastLog = System.nanoTime();
            }
            Harness.sleep(50);
        }
        throw new IllegalStateException("Ports not all ACTIVE within " + WAIT.toMinutes() + " min (e.g. " + last
                + ")");
    }

    /** A task of a parallel loop. */
    interface IndexTask {
        void run(int index);
    }

    /** Runs {@code task} for 0 to {@code count - 1} on {@code threads} threads; the first failure fails it. */
    static void parallel(int count, int threads, IndexTask task) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            Harness.awaitAll(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Stops Netloom, deletes the network namespaces its drivers created (the Linux bridge driver makes a router
     * namespace {@code nlr…} per network and, by design, leaves the data plane in place when it stops; the names are
     * taken from this instance's own log, so nothing of another Netloom is touched), and deletes its directory,
     * keeping its log next to it.
     */
    @Override
    public void close() {
        List<String> created = Sandbox.namespacesCreatedIn(karaf.home().resolve("data/log/karaf.log"));
        karaf.discard();
        Sandbox.deleteNamespaces(created);
    }

    /** @return used heap after a full GC, in MiB, measured with {@code jcmd} as the brief of issue 9 says */
    double usedHeapAfterGc() {
        String pid = Long.toString(karaf.pid());
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Exec.check(Duration.ofMinutes(2), Map.of(), List.of(jcmd.toString(), pid, "GC.run"));
        String info = Exec.check(Duration.ofMinutes(1), Map.of(), List.of(jcmd.toString(), pid, "GC.heap_info"))
                .output();
        for (String line : info.split("\n")) {
            int used = line.indexOf("used ");
            if (line.contains("total") && used >= 0) {
                String number = line.substring(used + 5).split("[^0-9]")[0];
                return Long.parseLong(number) / 1024.0;
            }
        }
        throw new IllegalStateException("jcmd GC.heap_info printed no 'used': " + info);
    }
}
