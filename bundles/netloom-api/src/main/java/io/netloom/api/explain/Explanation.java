package io.netloom.api.explain;

import java.util.List;

/**
 * Why traffic from one port can or cannot reach a destination.
 *
 * @param verdict {@code ALLOW}, {@code DENY} or {@code NO_ROUTE}
 * @param hops the steps walked, in order; the last one decided a {@code DENY} or {@code NO_ROUTE}
 */
public record Explanation(String verdict, List<Hop> hops) {

    /**
     * Freezes the list.
     */
    public Explanation {
        hops = List.copyOf(hops);
    }
}
