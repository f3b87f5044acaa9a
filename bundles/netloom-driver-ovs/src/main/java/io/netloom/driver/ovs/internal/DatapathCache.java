package io.netloom.driver.ovs.internal;

/**
 * The switch's cache of datapath flows (megaflows). ovs-vswitchd revalidates cached flows against changed OpenFlow
 * tables asynchronously, so for a moment after a flow-mod has been acknowledged a packet may still follow a cached
 * flow computed from the old tables. The engine purges the cache after changing flows, so that once an apply has
 * returned the first packet of every flow is decided by the tables as they are now.
 */
interface DatapathCache {

    /** For tests, and for a switch whose control socket is unknown: nothing to purge. */
    DatapathCache NONE = () -> { };

    /**
     * Drops every cached datapath flow, and returns once they are gone.
     *
     * @throws io.netloom.api.driver.DriverException when the switch refused or could not be reached
     */
    void purge();
}
