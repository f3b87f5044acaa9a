package io.netloom.api.driver;

/**
 * One element of a node's driver-neutral configuration. Entries are compared whole: two entries with the same
 * {@link #key()} but different content differ, and a plan replaces one with the other. A key names what the entry
 * configures, so a driver can tell from it which objects of the data plane are Netloom's.
 */
public sealed interface ConfigEntry permits SegmentEntry, PortEntry, RouteEntry, FilterEntry,
        AddressSetEntry, TunnelEntry, RemotePortEntry {

    /**
     * @return the entry's identity within its node, such as {@code segment:sub-1} or {@code port:port-1}
     */
    String key();

    /**
     * @return the id of the model object whose realisation depends on this entry (a subnet, port or network id)
     */
    String owner();
}
