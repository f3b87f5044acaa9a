package io.netloom.driver.ovs.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a tunnel's local address against the routes ovs-vswitchd tunnels by ({@code ovs-appctl ovs/route/show}):
 * the address must be local on this host and, on the userspace datapath, held by a bridge of this Open vSwitch (the
 * {@code br-phy} holding the underlay interface), because that datapath sends tunnelled packets only through its
 * own bridges.
 */
final class OvsRouteUnderlay implements TunnelUnderlay {

    private final VswitchdControl control;
    private final Supplier<Set<String>> bridges;
    private final boolean userspace;

    /**
     * @param control the ovs-vswitchd to ask
     * @param bridges the names of the bridges in its database
     * @param userspace whether the integration bridge uses the userspace ({@code netdev}) datapath
     */
    OvsRouteUnderlay(VswitchdControl control, Supplier<Set<String>> bridges, boolean userspace) {
        this.control = control;
        this.bridges = bridges;
        this.userspace = userspace;
    }

    @Override
    public Optional<String> problem(String localAddress) {
        String routes = control.appctl(List.of("ovs/route/show"));
        // e.g. "Cached: 10.200.250.11/32 dev br-phy SRC 10.200.250.11 local"
        Matcher local = Pattern.compile(Pattern.quote(localAddress) + "/32 dev (\\S+) SRC \\S+ local")
                .matcher(routes);
        if (!local.find()) {
            return Optional.of("Open vSwitch knows no local address " + localAddress + " to send the tunnel from: "
                    + "the node's underlay address must be on this host");
        }
        String device = local.group(1);
        if (userspace && !bridges.get().contains(device)) {
            return Optional.of("The tunnel address " + localAddress + " is on " + device + ", not on a bridge of "
                    + "Open vSwitch: the userspace datapath sends tunnels only from a netdev bridge holding the "
                    + "underlay interface (br-phy, docs/DRIVERS.md)");
        }
        return Optional.empty();
    }
}
