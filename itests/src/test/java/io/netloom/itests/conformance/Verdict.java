package io.netloom.itests.conformance;

/**
 * What happens to a new flow, in explain's words ({@code GET /explain} answers one of these as {@code verdict}).
 * Only {@link #ALLOW} means the packet arrives; a measurement tells delivered from not delivered, so it cannot
 * tell {@link #DENY} from {@link #NO_ROUTE}, and the suite compares it with explain on delivery alone.
 */
public enum Verdict {
    /** The flow reaches the destination port. */
    ALLOW,
    /** A firewall rule or a default drops it. */
    DENY,
    /** Routing, a peering or the destination lookup drops it. */
    NO_ROUTE;

    /**
     * @return whether a packet with this verdict is delivered
     */
    public boolean delivered() {
        return this == ALLOW;
    }
}
