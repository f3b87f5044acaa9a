package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

/**
 * Reproducible random rule sets and packets over twenty match shapes, for checking the engine against the linear
 * scan and for measuring both (the JMH benchmark uses the same sets, so the figures describe what is tested).
 *
 * <p>Addresses come from small pools (IPv4 in 10.0.0.0/14, IPv6 in fd00::/56) so that prefixes of different
 * lengths nest and collide, and half of the packets are aimed inside a random rule's prefix and port range, so
 * that lookups hit as well as miss.
 */
public final class SyntheticRules {

    /**
     * A packet to decide.
     *
     * @param direction seen from the port
     * @param protocol TCP, UDP or ICMP
     * @param remote the other end's address
     * @param transportPort the destination port (meaningless for ICMP)
     */
    public record Packet(Direction direction, Protocol protocol, PacketAddress remote, int transportPort) {
    }

    private record Shape(Direction direction, Protocol protocol, boolean ranged, boolean ipv6, int length) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape(Direction.INGRESS, Protocol.TCP, true, false, 24),
            new Shape(Direction.INGRESS, Protocol.TCP, true, false, 16),
            new Shape(Direction.INGRESS, Protocol.TCP, false, false, 32),
            new Shape(Direction.INGRESS, Protocol.TCP, false, false, 24),
            new Shape(Direction.INGRESS, Protocol.UDP, true, false, 24),
            new Shape(Direction.INGRESS, Protocol.UDP, false, false, 8),
            new Shape(Direction.INGRESS, Protocol.ICMP, false, false, 16),
            new Shape(Direction.INGRESS, Protocol.ANY, false, false, 32),
            new Shape(Direction.INGRESS, Protocol.ANY, false, false, 0),
            new Shape(Direction.INGRESS, Protocol.TCP, true, true, 64),
            new Shape(Direction.INGRESS, Protocol.TCP, true, true, 128),
            new Shape(Direction.INGRESS, Protocol.UDP, true, true, 48),
            new Shape(Direction.INGRESS, Protocol.ICMP, false, true, 64),
            new Shape(Direction.INGRESS, Protocol.ANY, false, true, 0),
            new Shape(Direction.EGRESS, Protocol.TCP, true, false, 24),
            new Shape(Direction.EGRESS, Protocol.UDP, false, false, 16),
            new Shape(Direction.EGRESS, Protocol.ANY, false, false, 32),
            new Shape(Direction.EGRESS, Protocol.ICMP, false, false, 8),
            new Shape(Direction.EGRESS, Protocol.TCP, true, true, 64),
            new Shape(Direction.EGRESS, Protocol.ANY, false, true, 128));

    private static final Protocol[] PACKET_PROTOCOLS = {Protocol.TCP, Protocol.UDP, Protocol.ICMP};
    private static final int IPV4_POOL_BITS = 18;
    private static final long IPV4_BASE = 10L << 24;
    private static final long IPV6_BASE_HIGH = 0xFD00_0000_0000_0000L;
    private static final int IPV6_POOL_BITS = 8;
    private static final int MAX_PORT = 65_535;

    private SyntheticRules() {
    }

    /**
     * @return how many distinct shapes the generated rules are spread over
     */
    public static int shapeCount() {
        return SHAPES.size();
    }

    /**
     * @param seed the random seed; the same seed gives the same rules
     * @param count how many rules
     * @return the rules of one port, in evaluation order, priorities 1 to 4096 (so many tie), one in five a deny
     */
    public static List<FilterRule> rules(long seed, int count) {
        Random random = new Random(seed);
        List<FilterRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Shape shape = SHAPES.get(random.nextInt(SHAPES.size()));
            Prefix remote = new Prefix(address(random, shape.ipv6()).masked(shape.length()), shape.length());
            Integer min = null;
            Integer max = null;
            if (shape.ranged()) {
                min = 1 + random.nextInt(MAX_PORT);
                int width = switch (random.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(100);
                    default -> random.nextInt(10_000);
                };
                max = Math.min(MAX_PORT, min + width);
            }
            RuleAction action = random.nextInt(5) == 0 ? RuleAction.DENY : RuleAction.ALLOW;
            rules.add(new FilterRule("synthetic/r" + i, "port", shape.direction(), shape.protocol(), min, max,
                    remote.toString(), action, 1 + random.nextInt(4096)));
        }
        rules.sort(Matching.EVALUATION_ORDER);
        return List.copyOf(rules);
    }

    /**
     * @param seed the random seed
     * @param rules rules to aim half of the packets at
     * @param count how many packets
     * @return the packets
     */
    public static List<Packet> packets(long seed, List<FilterRule> rules, int count) {
        Random random = new Random(seed);
        List<Packet> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!rules.isEmpty() && random.nextBoolean()) {
                packets.add(aimedAt(random, rules.get(random.nextInt(rules.size()))));
            } else {
                Direction direction = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
                packets.add(new Packet(direction, PACKET_PROTOCOLS[random.nextInt(PACKET_PROTOCOLS.length)],
                        address(random, random.nextInt(4) == 0), 1 + random.nextInt(MAX_PORT)));
            }
        }
        return packets;
    }

    private static Packet aimedAt(Random random, FilterRule rule) {
        Prefix prefix = Prefix.parse(rule.remoteCidr());
        PacketAddress base = prefix.network();
        PacketAddress host = address(random, base.ipv6());
        long highMask = PacketAddress.highMask(base.ipv6(), prefix.length());
        long lowMask = PacketAddress.lowMask(base.ipv6(), prefix.length());
        PacketAddress inside = new PacketAddress(base.ipv6(), base.high() | (host.high() & ~highMask),
                base.low() | (host.low() & ~lowMask & (base.ipv6() ? -1L : 0xFFFF_FFFFL)));
        Protocol protocol = rule.protocol() != Protocol.ANY ? rule.protocol()
                : PACKET_PROTOCOLS[random.nextInt(PACKET_PROTOCOLS.length)];
        int port;
        if (rule.portMin() != null) {
            int max = Matching.portMax(rule);
            // Edges and one step past them are where off-by-one mistakes show.
            port = switch (random.nextInt(4)) {
                case 0 -> rule.portMin();
                case 1 -> max;
                case 2 -> Math.max(1, rule.portMin() - 1 + random.nextInt(2) * (max - rule.portMin() + 2));
                default -> rule.portMin() + random.nextInt(max - rule.portMin() + 1);
            };
            port = Math.min(MAX_PORT, port);
        } else {
            port = 1 + random.nextInt(MAX_PORT);
        }
        return new Packet(rule.direction(), protocol, inside, port);
    }

    private static PacketAddress address(Random random, boolean ipv6) {
        if (ipv6) {
            return new PacketAddress(true, IPV6_BASE_HIGH | random.nextInt(1 << IPV6_POOL_BITS), random.nextLong());
        }
        return new PacketAddress(false, 0L, IPV4_BASE | random.nextInt(1 << IPV4_POOL_BITS));
    }
}
