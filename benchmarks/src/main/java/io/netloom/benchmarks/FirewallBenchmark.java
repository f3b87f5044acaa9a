package io.netloom.benchmarks;

import java.util.List;
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

import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.firewall.internal.FilterEngine;
import io.netloom.firewall.internal.LinearScan;
import io.netloom.firewall.internal.PacketAddress;
import io.netloom.firewall.internal.SyntheticRules;

/**
 * Firewall decisions per second for one port with 1,000 to 100,000 compiled rules spread over twenty match shapes
 * (direction, protocol, port range or not, IP version, prefix length), against a first-match linear scan.
 *
 * <p>The rules and packets are those the engine's equivalence test uses ({@link SyntheticRules}): priorities 1 to
 * 4096, one rule in five a deny, half of the packets aimed inside a random rule's prefix and port range, half
 * random. {@code engineMatch} and {@code linearScan} find the deciding rule's position, the like-for-like comparison;
 * {@code engine} returns the {@link Decision} (made once per rule, then reused); {@code engineFromText} also parses
 * the remote address, as {@code FirewallService.decide} does.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FirewallBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FirewallBenchmark {

    /** Number of probe packets; a power of two so that the cursor wraps with a mask. */
    private static final int PROBES = 1 << 16;

    /** Compiled rules of the port. */
    @Param({"1000", "10000", "100000"})
    public int rules;

    private FilterEngine engine;
    private LinearScan scan;
    private SyntheticRules.Packet[] packets;
    private String[] texts;
    private int cursor;

    /** Builds the rules, the engine, the scan and the probe packets, the same for every run of a given size. */
    @Setup(Level.Trial)
    public void setUp() {
        List<FilterRule> compiled = SyntheticRules.rules(20_240_601L + rules, rules);
        engine = FilterEngine.build(compiled);
        scan = LinearScan.of(compiled);
        packets = SyntheticRules.packets(7L + rules, compiled, PROBES).toArray(new SyntheticRules.Packet[0]);
        texts = new String[PROBES];
        for (int i = 0; i < PROBES; i++) {
            texts[i] = packets[i].remote().toString();
        }
    }

    private int next() {
        cursor = (cursor + 1) & (PROBES - 1);
        return cursor;
    }

    /**
     * @return the position of the rule the engine finds for the next packet
     */
    @Benchmark
    public int engineMatch() {
        SyntheticRules.Packet p = packets[next()];
        return engine.firstMatch(p.direction(), p.protocol(), p.remote(), p.transportPort());
    }

    /**
     * @return the engine's decision on the next packet
     */
    @Benchmark
    public Decision engine() {
        SyntheticRules.Packet p = packets[next()];
        return engine.decide(p.direction(), p.protocol(), p.remote(), p.transportPort());
    }

    /**
     * @return the engine's decision on the next packet, its address parsed from text first
     */
    @Benchmark
    public Decision engineFromText() {
        int i = next();
        SyntheticRules.Packet p = packets[i];
        return engine.decide(p.direction(), p.protocol(), PacketAddress.parse(texts[i]), p.transportPort());
    }

    /**
     * @return the position of the first rule, in order, that matches the next packet
     */
    @Benchmark
    public int linearScan() {
        SyntheticRules.Packet p = packets[next()];
        return scan.firstMatch(p.direction(), p.protocol(), p.remote(), p.transportPort());
    }
}
