package io.netloom.firewall.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The port ranges of rules that share everything else (shape and masked remote address), cut into disjoint
 * intervals each labelled with the first rule that covers it. A lookup is then a binary search, whatever the
 * number of rules and however their ranges overlap.
 */
final class RangeTable {

    private static final int NONE = -1;

    /** First port of each interval, ascending; an interval ends where the next begins. */
    private final int[] starts;
    /** Position of the first rule covering each interval, or {@code -1}. */
    private final int[] winners;

    private RangeTable(int[] starts, int[] winners) {
        this.starts = starts;
        this.winners = winners;
    }

    /**
     * One port range of a rule.
     *
     * @param min first port
     * @param max last port
     * @param index the rule's position in evaluation order; lower wins
     */
    record Range(int min, int max, int index) {
    }

    /**
     * Sweeps the interval boundaries in ascending order with a heap of the ranges that have begun, keyed by rule
     * position; a range that has ended is dropped when it reaches the top. That is O(n log n) in the number of
     * ranges, where labelling each interval by scanning every range would be quadratic.
     *
     * @param ranges the ranges, in any order
     * @return the table
     */
    static RangeTable build(List<Range> ranges) {
        List<Range> byStart = new ArrayList<>(ranges);
        byStart.sort(Comparator.comparingInt(Range::min));
        int[] bounds = new int[byStart.size() * 2];
        int n = 0;
        for (Range r : byStart) {
            bounds[n++] = r.min();
            bounds[n++] = r.max() + 1;
        }
        bounds = Arrays.stream(bounds, 0, n).sorted().distinct().toArray();
        PriorityQueue<Range> open = new PriorityQueue<>(Comparator.comparingInt(Range::index));
        int[] starts = new int[bounds.length];
        int[] winners = new int[bounds.length];
        int count = 0;
        int next = 0;
        for (int bound : bounds) {
            while (next < byStart.size() && byStart.get(next).min() <= bound) {
                open.add(byStart.get(next++));
            }
            while (!open.isEmpty() && open.peek().max() < bound) {
                open.poll();
            }
            int winner = open.isEmpty() ? NONE : open.peek().index();
            // Neighbouring intervals with the same winner merge, which keeps the search short.
            if (count == 0 || winners[count - 1] != winner) {
                starts[count] = bound;
                winners[count] = winner;
                count++;
            }
        }
        return new RangeTable(Arrays.copyOf(starts, count), Arrays.copyOf(winners, count));
    }

    /**
     * @param port a transport port
     * @return the position of the first rule whose range holds the port, or {@code -1}
     */
    int winner(int port) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = NONE;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= port) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found == NONE ? NONE : winners[found];
    }
}
