package io.netloom.core.internal.model;

import java.util.ArrayList;
import java.util.List;

import inet.ipaddr.IPAddress;
import io.netloom.api.ValidationException;
import io.netloom.api.model.HostRoute;
import io.netloom.core.internal.ip.Cidrs;

/**
 * Checks of the settings a subnet hands to its workloads: DNS servers and host routes. Both are bounded, so a subnet
 * costs the same to store and to render whatever its users write.
 */
final class SubnetSettings {

    /** At most this many DNS servers per subnet. */
    static final int MAX_DNS_NAMESERVERS = 5;
    /** At most this many host routes per subnet. */
    static final int MAX_HOST_ROUTES = 20;

    private SubnetSettings() {
    }

    /**
     * @param servers DNS server addresses as written, or {@code null} for none
     * @param subnet the subnet's prefix: every server is of its IP version
     * @param field the input field path of the list
     * @return the canonical addresses, in order
     */
    static List<String> dnsNameservers(List<String> servers, IPAddress subnet, String field) {
        if (servers == null) {
            return List.of();
        }
        if (servers.size() > MAX_DNS_NAMESERVERS) {
            throw new ValidationException("TOO_MANY_DNS_NAMESERVERS", "A subnet has at most " + MAX_DNS_NAMESERVERS
                    + " DNS servers", field);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            String at = field + "[" + i + "]";
            IPAddress address = Cidrs.parseAddress(servers.get(i), at);
            requireVersion(address, subnet, at);
            String canonical = Cidrs.canonicalAddress(address);
            if (out.contains(canonical)) {
                throw new ValidationException("DUPLICATE_DNS_NAMESERVER", canonical + " is listed twice", at);
            }
            out.add(canonical);
        }
        return List.copyOf(out);
    }

    /**
     * @param routes host routes as written, or {@code null} for none
     * @param subnet the subnet's prefix: every route is of its IP version
     * @param field the input field path of the list
     * @return the routes with canonical destination and next hop, in order
     */
    static List<HostRoute> hostRoutes(List<HostRoute> routes, IPAddress subnet, String field) {
        if (routes == null) {
            return List.of();
        }
        if (routes.size() > MAX_HOST_ROUTES) {
            throw new ValidationException("TOO_MANY_HOST_ROUTES", "A subnet has at most " + MAX_HOST_ROUTES
                    + " host routes", field);
        }
        List<HostRoute> out = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            String at = field + "[" + i + "]";
            HostRoute route = routes.get(i);
            if (route == null || route.destination() == null || route.nexthop() == null) {
                throw new ValidationException("INVALID_HOST_ROUTE", "A host route has a destination and a nexthop",
                        at);
            }
            IPAddress destination = Cidrs.parsePrefix(route.destination(), at + ".destination");
            requireVersion(destination, subnet, at + ".destination");
            IPAddress nexthop = Cidrs.parseAddress(route.nexthop(), at + ".nexthop");
            requireVersion(nexthop, subnet, at + ".nexthop");
            HostRoute canonical = new HostRoute(Cidrs.canonical(destination), Cidrs.canonicalAddress(nexthop));
            if (out.stream().anyMatch(r -> r.destination().equals(canonical.destination()))) {
                throw new ValidationException("DUPLICATE_HOST_ROUTE", "Destination " + canonical.destination()
                        + " has two host routes", at);
            }
            out.add(canonical);
        }
        return List.copyOf(out);
    }

    private static void requireVersion(IPAddress address, IPAddress subnet, String field) {
        if (address.getIPVersion() != subnet.getIPVersion()) {
            throw new ValidationException("INVALID_ADDRESS", address + " is not of the IP version of subnet "
                    + Cidrs.canonical(subnet), field);
        }
    }
}
