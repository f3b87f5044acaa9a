package io.netloom.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import io.netloom.api.routing.Route;
import io.netloom.routing.internal.RouteTable;

/**
 * Longest-prefix-match lookups per second in one network's route table of 1,000 to 100,000 IPv4 routes.
 *
 * <p>Prefix lengths are spread evenly from /8 to /32, so prefixes nest and a lookup often chooses among several
 * matches. Half of the probed addresses are random (many miss or match only a short prefix), half lie inside a
 * random route (deep matches). {@code lookupText} is what {@code RoutingService.lookup} does, address parsing
 * included; {@code lookupParsed} is the trie walk alone.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LpmBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LpmBenchmark {

    /** Number of probe addresses; a power of two so that the cursor wraps with a mask. */
    private static final int PROBES = 1 << 16;

    /** Routes in the table. */
    @Param({"1000", "10000", "100000"})
    public int routes;

    private RouteTable table;
    private String[] texts;
    private IPAddress[] addresses;
    private int cursor;

    /** Builds the table and the probe addresses, the same for every run of a given size. */
    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(20_240_601L + routes);
        Map<String, Route> byDestination = new LinkedHashMap<>();
        List<IPv4Address> prefixes = new ArrayList<>(routes);
        while (byDestination.size() < routes) {
            int length = 8 + random.nextInt(25);
            IPv4Address prefix = new IPv4Address(random.nextInt()).toPrefixBlock(length);
            String destination = prefix.toCanonicalString();
            if (byDestination.putIfAbsent(destination,
                    new Route(destination, Route.peeringTarget("p" + byDestination.size()), "peering")) == null) {
                prefixes.add(prefix);
            }
        }
        table = RouteTable.of("benchmark", byDestination.values());
        texts = new String[PROBES];
        addresses = new IPAddress[PROBES];
        for (int i = 0; i < PROBES; i++) {
            IPv4Address address;
            if (i % 2 == 0) {
                address = new IPv4Address(random.nextInt());
            } else {
                IPv4Address prefix = prefixes.get(random.nextInt(prefixes.size()));
                int hostBits = 32 - prefix.getNetworkPrefixLength();
                int host = hostBits == 0 ? 0 : random.nextInt() >>> (32 - hostBits);
                address = new IPv4Address(prefix.getLower().intValue() | host);
            }
            addresses[i] = address;
            texts[i] = address.toCanonicalString();
        }
    }

    /**
     * @return the route of the next probe address, parsed from text as the routing service receives it
     */
    @Benchmark
    public Optional<Route> lookupText() {
        return table.lookup(texts[cursor++ & (PROBES - 1)]);
    }

    /**
     * @return the route of the next probe address, already parsed
     */
    @Benchmark
    public Optional<Route> lookupParsed() {
        return table.lookup(addresses[cursor++ & (PROBES - 1)]);
    }
}
