package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;

/**
 * Tuple-space search over one port's compiled rules: a decision costs a hash lookup per distinct match shape, not
 * a test per rule.
 *
 * <p>A shape is what a rule's match looks like without its values: direction, protocol (or any), whether it has a
 * port range, IP version and remote prefix length. Rules of one shape differ only in their masked remote address
 * (and port range), so each shape is a hash table keyed by masked address. Within a key, rules without a range
 * keep only the first (the others can never decide); rules with ranges become a {@link RangeTable}. A lookup masks
 * the packet's address once per shape, keeps the lowest rule position found, and stops as soon as no remaining
 * shape holds a rule early enough to beat it (shapes are visited by their earliest rule).
 *
 * <p>Rules that reference an address set are kept apart, in evaluation order, and each is checked by asking the
 * set's membership whether it holds the packet's address (a port has few such rules, whatever the size of the sets).
 *
 * <p>Immutable once built (the membership it asks is the firewall's live one), so any number of threads may share it.
 */
public final class FilterEngine implements PortFilter {

    private static final Decision DEFAULT_INGRESS = PortFilter.byDefault(Direction.INGRESS);
    private static final Decision DEFAULT_EGRESS = PortFilter.byDefault(Direction.EGRESS);

    private final List<FilterRule> rules;
    /** Per direction (by ordinal), the shapes ordered by their earliest rule. */
    private final Table[][] tables;
    /*
     * A rule's decision is the same every time, and writing its reason costs more than finding the rule, so each
     * is made once, on first use. Threads racing to fill a slot make equal, immutable decisions; a thread that sees
     * null makes another.
     */
    private final Decision[] decisions;
    /** Positions of the rules that reference an address set, ascending. */
    private final int[] setRules;
    private final SetMembership sets;

    private FilterEngine(List<FilterRule> rules, Table[][] tables, int[] setRules, SetMembership sets) {
        this.rules = rules;
        this.tables = tables;
        this.decisions = new Decision[rules.size()];
        this.setRules = setRules;
        this.sets = sets;
    }

    /** What a rule's match looks like, without its values. */
    private record Shape(Direction direction, Protocol protocol, boolean ranged, boolean ipv6, int length) {
    }

    /** The masked remote address a rule matches, as a hash key while building. */
    private record Key(long high, long low) {
    }

    /** The rules of one shape, by masked remote address. */
    private static final class Table {
        private final Protocol protocol;
        private final boolean ranged;
        private final boolean ipv6;
        private final long highMask;
        private final long lowMask;
        /** Position of the shape's earliest rule: no lookup here can find anything earlier. */
        private final int first;
        /** Masked address → rule position (no ranges) or index into {@link #ranges}. */
        private final AddressMap byAddress;
        private final RangeTable[] ranges;

        private Table(Shape shape, int first, AddressMap byAddress, RangeTable[] ranges) {
            this.protocol = shape.protocol();
            this.ranged = shape.ranged();
            this.ipv6 = shape.ipv6();
            this.highMask = PacketAddress.highMask(shape.ipv6(), shape.length());
            this.lowMask = PacketAddress.lowMask(shape.ipv6(), shape.length());
            this.first = first;
            this.byAddress = byAddress;
            this.ranges = ranges;
        }
    }

    /**
     * @param rules a port's compiled rules, in evaluation order (as {@link RuleCompiler} sorts them)
     * @return an engine deciding exactly as a first-match scan of {@code rules} would
     * @throws IllegalArgumentException when a rule's remote CIDR is not a valid prefix
     */
    public static FilterEngine build(List<FilterRule> rules) {
        return build(rules, SetMembership.NONE);
    }

    /**
     * @param rules a port's compiled rules, in evaluation order
     * @param sets the membership of the address sets the rules reference
     * @return an engine deciding exactly as a first-match scan of {@code rules} would
     * @throws IllegalArgumentException when a rule's remote CIDR is not a valid prefix
     */
    public static FilterEngine build(List<FilterRule> rules, SetMembership sets) {
        List<FilterRule> frozen = List.copyOf(rules);
        Map<Shape, Map<Key, List<Integer>>> byShape = new LinkedHashMap<>();
        List<Integer> setPositions = new ArrayList<>();
        for (int i = 0; i < frozen.size(); i++) {
            FilterRule rule = frozen.get(i);
            if (rule.referencesSet()) {
                setPositions.add(i);
                continue;
            }
            Prefix remote = Prefix.parse(rule.remoteCidr());
            Shape shape = new Shape(rule.direction(), rule.protocol(), rule.portMin() != null,
                    remote.network().ipv6(), remote.length());
            Key key = new Key(remote.network().high(), remote.network().low());
            // Positions are added in ascending order, so every list below is sorted.
            byShape.computeIfAbsent(shape, s -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>())
                    .add(i);
        }
        List<List<Table>> perDirection = new ArrayList<>();
        for (int d = 0; d < Direction.values().length; d++) {
            perDirection.add(new ArrayList<>());
        }
        byShape.forEach((shape, byKey) -> perDirection.get(shape.direction().ordinal())
                .add(table(shape, byKey, frozen)));
        Table[][] tables = new Table[perDirection.size()][];
        for (int d = 0; d < tables.length; d++) {
            List<Table> list = perDirection.get(d);
            list.sort(Comparator.comparingInt(t -> t.first));
            tables[d] = list.toArray(new Table[0]);
        }
        return new FilterEngine(frozen, tables, setPositions.stream().mapToInt(Integer::intValue).toArray(), sets);
    }

    private static Table table(Shape shape, Map<Key, List<Integer>> byKey, List<FilterRule> rules) {
        AddressMap byAddress = new AddressMap(byKey.size());
        List<RangeTable> ranges = new ArrayList<>();
        int first = Integer.MAX_VALUE;
        for (Map.Entry<Key, List<Integer>> entry : byKey.entrySet()) {
            List<Integer> positions = entry.getValue();
            first = Math.min(first, positions.get(0));
            int value;
            if (shape.ranged()) {
                List<RangeTable.Range> list = new ArrayList<>(positions.size());
                for (int position : positions) {
                    FilterRule rule = rules.get(position);
                    list.add(new RangeTable.Range(rule.portMin(), Matching.portMax(rule), position));
                }
                value = ranges.size();
                ranges.add(RangeTable.build(list));
            } else {
                value = positions.get(0);
            }
            byAddress.put(entry.getKey().high(), entry.getKey().low(), value);
        }
        return new Table(shape, first, byAddress, ranges.toArray(new RangeTable[0]));
    }

    @Override
    public List<FilterRule> rules() {
        return rules;
    }

    /**
     * @return how many distinct match shapes the rules have, which is what a lookup's cost grows with
     */
    public int shapeCount() {
        int count = 0;
        for (Table[] perDirection : tables) {
            count += perDirection.length;
        }
        return count;
    }

    @Override
    public Decision decide(Direction direction, Protocol protocol, PacketAddress remote, int transportPort) {
        int index = firstMatch(direction, protocol, remote, transportPort);
        if (index < 0) {
            return direction == Direction.INGRESS ? DEFAULT_INGRESS : DEFAULT_EGRESS;
        }
        Decision decision = decisions[index];
        if (decision == null) {
            decision = PortFilter.byRule(rules.get(index));
            decisions[index] = decision;
        }
        return decision;
    }

    @Override
    public int firstMatch(Direction direction, Protocol protocol, PacketAddress remote, int transportPort) {
        int best = Integer.MAX_VALUE;
        boolean ipv6 = remote.ipv6();
        long high = remote.high();
        long low = remote.low();
        for (Table table : tables[direction.ordinal()]) {
            if (table.first >= best) {
                break;
            }
            if (table.ipv6 != ipv6 || !Matching.protocolMatches(table.protocol, table.ranged, protocol)) {
                continue;
            }
            int value = table.byAddress.get(high & table.highMask, low & table.lowMask);
            if (value < 0) {
                continue;
            }
            int position = table.ranged ? table.ranges[value].winner(transportPort) : value;
            if (position >= 0 && position < best) {
                best = position;
            }
        }
        for (int position : setRules) {
            if (position >= best) {
                break;
            }
            FilterRule rule = rules.get(position);
            if (rule.direction() == direction && Matching.matchesTransport(rule, protocol, transportPort)
                    && sets.contains(rule.remoteSet(), remote)) {
                best = position;
                break;
            }
        }
        return best == Integer.MAX_VALUE ? -1 : best;
    }
}
