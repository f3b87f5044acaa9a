package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.HostRoute;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetUpdate;

/**
 * {@code vnet:subnet-update [--name N] [--dns-nameserver A]... [--no-dns-nameservers]
 * [--host-route DESTINATION,NEXTHOP]... [--no-host-routes] SUBNET}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-update",
        description = "Renames a subnet or replaces its DNS servers or host routes")
public class SubnetUpdateCommand extends SubnetCommand {

    @Option(name = "--name", description = "The new name")
    String name;

    @Option(name = "--dns-nameserver", description = "A DNS server address; those given replace the subnet's "
            + "(repeat for more)", multiValued = true)
    List<String> dnsNameservers;

    @Option(name = "--no-dns-nameservers", description = "Remove every DNS server of the subnet")
    boolean clearDns;

    @Option(name = "--host-route", description = "A route DESTINATION,NEXTHOP; those given replace the subnet's "
            + "(repeat for more)", multiValued = true)
    List<String> hostRoutes;

    @Option(name = "--no-host-routes", description = "Remove every host route of the subnet")
    boolean clearRoutes;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        if (clearDns && dnsNameservers != null || clearRoutes && hostRoutes != null) {
            throw new IllegalArgumentException("Give a list or clear it, not both");
        }
        Optional<List<String>> dns = clearDns ? Optional.of(List.of()) : Optional.ofNullable(dnsNameservers);
        Optional<List<HostRoute>> routes = clearRoutes ? Optional.of(List.of())
                : Optional.ofNullable(SubnetCreateCommand.split(hostRoutes, ",", "--host-route", HostRoute::new));
        Subnet s = networks.updateSubnet(caller(), subnet, new SubnetUpdate(Optional.ofNullable(name), dns,
                routes));
        print(s, () -> SubnetListCommand.table(this, List.of(s)));
    }
}
