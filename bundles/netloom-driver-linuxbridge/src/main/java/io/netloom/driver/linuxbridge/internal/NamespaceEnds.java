package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.netloom.api.driver.PortEntry;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.Iproute2;
import io.netloom.hostnet.Link;
import io.netloom.hostnet.NetnsBinding;

/**
 * Tells which ports' namespace ends are as their bindings say, reading each workload namespace only when needed.
 *
 * <p>A port's host end is read with its router namespace on every scan, and says most of what can go wrong with the
 * binding: the pair is gone (the workload's namespace deleted, either end deleted), the namespace end is down (the
 * host end has no carrier), or the peer is in another namespace or is another device (the peer's namespace id and
 * ifindex). What the host end cannot show is the namespace end's MAC, address, default route and {@code lo}: those
 * are read in the workload's namespace (one {@code ip -batch} process for all its ports) when the port is first
 * seen, whenever its host end changes, and after that at least every check period (somewhat less, at random, so
 * that ports made together are not all read again together). A binding the driver has just made counts as read:
 * the commands that configured its namespace end all succeeded. Drift inside a workload namespace alone is
 * therefore seen within one check period; everything else on the next scan.
 *
 * <p>Reading every namespace end on every scan would cost a process per port each time: with a port per
 * namespace, as containers have, that was most of the driver's time.
 *
 * <p>Not thread-safe: the driver serialises its calls.
 */
final class NamespaceEnds {

    /** The read of a workload namespace: its devices with addresses, and its IPv4 default routes. */
    private static final List<String> COMMANDS = List.of("addr show", "route show default");

    /**
     * A port whose host end looks right, to be checked.
     *
     * @param spec the binding the port's alias and bridge call for
     * @param host its host end
     * @param insideIfindex the ifindex of the host end's peer in the workload namespace
     */
    record Candidate(NetnsBinding.Spec spec, Link host, int insideIfindex) {
    }

    /**
     * A namespace end found right with these two ends, and when to read it again. Ifindexes of 0 (no device has
     * that index) stand for a binding this driver has just made, whose ends it has not read yet.
     */
    private record Verified(NetnsBinding.Spec spec, int hostIfindex, int insideIfindex, long recheckAt) {

        boolean covers(Candidate c) {
            return spec.equals(c.spec()) && (hostIfindex == 0 || hostIfindex == c.host().ifindex()
                    && insideIfindex == c.insideIfindex());
        }
    }

    private final CommandRunner runner;
    private final ExecutorService pool;
    private final long periodNanos;
    private final Map<String, Verified> verified = new HashMap<>();

    /**
     * @param runner runs ip
     * @param pool runs the reads of different namespaces at once
     * @param periodSeconds how long a namespace end read and found right is trusted while its host end stays the
     *     same; 0 reads it on every check
     */
    NamespaceEnds(CommandRunner runner, ExecutorService pool, int periodSeconds) {
        this.runner = runner;
        this.pool = pool;
        this.periodNanos = periodSeconds * 1_000_000_000L;
    }

    /**
     * @param port a port bound to a namespace
     * @param prefixLength the prefix length of its subnet
     * @return the binding it calls for, as this class compares bindings (without MTU or host namespace)
     * @throws IllegalArgumentException when a field of the port cannot be part of a binding
     */
    static NetnsBinding.Spec spec(PortEntry port, int prefixLength) {
        return NetnsBinding.Spec.of(port.port(), port.bindingTarget(), port.mac(), port.ip(), prefixLength,
                port.gateway());
    }

    /**
     * Records a binding this driver has just made (its namespace end configured by commands that all succeeded):
     * it counts as read and found right, its ends' ifindexes are taken from the next scan that shows its host end
     * right, and it is read again after the check period like any other.
     *
     * @param spec the binding, as {@link #spec} makes it
     */
    void written(NetnsBinding.Spec spec) {
        verified.put(spec.portId(), new Verified(spec, 0, 0, recheckAt(System.nanoTime())));
    }

    /** A check period from now, less up to a quarter at random, so that ports made together are read apart. */
    private long recheckAt(long now) {
        return now + periodNanos - (periodNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(periodNanos / 4 + 1));
    }

    /**
     * @param host a port's host end, as its router namespace's scan has it
     * @param scan that scan
     * @param spec the binding the port calls for
     * @return the port to check, or empty when its host end already shows the binding broken
     */
    static Optional<Candidate> candidate(JsonObject host, RouterScan scan, NetnsBinding.Spec spec) {
        Link link = Iproute2.toLink(host);
        if (!link.kind().equals(Optional.of("veth")) || !link.up() || !IpBatch.hasFlag(host, "LOWER_UP")
                || link.peerIfindex().isEmpty() || !scan.peerNamespace(host).equals(Optional.of(spec.namespace()))) {
            return Optional.empty();
        }
        return Optional.of(new Candidate(spec, link, link.peerIfindex().getAsInt()));
    }

    /**
     * @param candidates ports whose host ends look right
     * @return the ids of those whose namespace end is as their binding says
     * @throws HostCommandException when a workload namespace that exists cannot be read
     */
    Set<String> check(List<Candidate> candidates) {
        long now = System.nanoTime();
        verified.values().removeIf(v -> now - v.recheckAt() >= 0);
        Set<String> right = new HashSet<>();
        Map<String, List<Candidate>> toRead = new TreeMap<>();
        for (Candidate c : candidates) {
            Verified v = verified.get(c.spec().portId());
            if (v != null && v.covers(c)) {
                right.add(c.spec().portId());
                verified.put(c.spec().portId(), new Verified(v.spec(), c.host().ifindex(), c.insideIfindex(),
                        v.recheckAt()));
            } else {
                toRead.computeIfAbsent(c.spec().namespace(), n -> new ArrayList<>()).add(c);
            }
        }
        List<List<Candidate>> read = Parallel.map(pool, toRead.entrySet(), e -> read(e.getKey(), e.getValue()));
        for (List<Candidate> found : read) {
            for (Candidate c : found) {
                verified.put(c.spec().portId(), new Verified(c.spec(), c.host().ifindex(), c.insideIfindex(),
                        recheckAt(now)));
                right.add(c.spec().portId());
            }
        }
        return right;
    }

    /** Reads one workload namespace; returns the candidates whose namespace end is right. */
    private List<Candidate> read(String namespace, List<Candidate> candidates) {
        if (!Iproute2.namespaceExists(namespace)) {
            return List.of();
        }
        IpBatch.Read read = IpBatch.read(runner, namespace, COMMANDS);
        if (read.result().exitCode() != 0 || read.arrays().size() != COMMANDS.size()) {
            if (!Iproute2.namespaceExists(namespace)) {
                return List.of();
            }
            throw new HostCommandException(read.argv(), read.result().exitCode(), read.result().stderr());
        }
        Map<String, JsonObject> devices = new HashMap<>();
        for (JsonElement e : read.arrays().get(0)) {
            devices.put(e.getAsJsonObject().get("ifname").getAsString(), e.getAsJsonObject());
        }
        boolean loopbackUp = devices.containsKey("lo") && IpBatch.hasFlag(devices.get("lo"), "UP");
        List<Candidate> right = new ArrayList<>();
        for (Candidate c : candidates) {
            JsonObject json = devices.get(NetnsBinding.namespaceDevice(c.spec().portId()));
            if (json == null) {
                continue;
            }
            Link inside = Iproute2.toLink(json);
            boolean paired = inside.kind().equals(Optional.of("veth")) && inside.ifindex() == c.insideIfindex()
                    && inside.peerIfindex().equals(OptionalInt.of(c.host().ifindex()));
            NetnsBinding.State state = new NetnsBinding.State(c.host(), inside, IpBatch.addresses(json),
                    gateway(read.arrays().get(1), inside.name()), loopbackUp);
            if (paired && state.matches(c.spec())) {
                right.add(c);
            }
        }
        return right;
    }

    /**
     * The one IPv4 default route's gateway through the device (segments, and so ports, are IPv4: a bridge with an
     * IPv6 gateway is not read as a segment).
     */
    private static Optional<String> gateway(Iterable<JsonElement> defaults, String device) {
        List<String> gateways = new ArrayList<>();
        for (JsonElement e : defaults) {
            JsonObject route = e.getAsJsonObject();
            if (route.has("gateway") && device.equals(IpBatch.text(route, "dev"))) {
                gateways.add(route.get("gateway").getAsString());
            }
        }
        return gateways.size() == 1 ? Optional.of(gateways.get(0)) : Optional.empty();
    }
}
