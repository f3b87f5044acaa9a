package io.netloom.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.AddressRange;
import io.netloom.api.model.HostRoute;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:subnet-create --network NETWORK --cidr C [--gateway G | --no-gateway]
 * [--allocation-pool START-END]... [--dns-nameserver A]... [--host-route DESTINATION,NEXTHOP]... NAME}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "subnet-create", description = "Creates a subnet in a network")
public class SubnetCreateCommand extends OneArgumentCommand {

    @Option(name = "--network", description = "Network id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Option(name = "--cidr", description = "The subnet's prefix, inside the network's address space", required = true)
    String cidr;

    @Option(name = "--gateway", description = "The gateway address (default: the first host)")
    String gateway;

    @Option(name = "--no-gateway", description = "A subnet without a gateway (no routed traffic; not realised yet)")
    boolean noGateway;

    @Option(name = "--allocation-pool", description = "A range START-END of addresses to allocate from (repeat for "
            + "more; default: every host but the gateway)", multiValued = true)
    List<String> pools;

    @Option(name = "--dns-nameserver", description = "A DNS server address (repeat for more)", multiValued = true)
    List<String> dnsNameservers;

    @Option(name = "--host-route", description = "A route DESTINATION,NEXTHOP for its workloads (repeat for more)",
            multiValued = true)
    List<String> hostRoutes;

    @Argument(index = 0, name = "name", description = "The subnet's name", required = true)
    String name;

    @Reference
    NetworkAdminService networks;

    @Override
    void doExecute() {
        Subnet s = networks.createSubnet(caller(), network, new SubnetSpec(name, cidr, gateway, noGateway,
                split(pools, "-", "--allocation-pool", AddressRange::new), dnsNameservers,
                split(hostRoutes, ",", "--host-route", HostRoute::new)));
        print(s, () -> SubnetListCommand.table(this, List.of(s)));
    }

    /** Options of two parts, {@code A<separator>B}, made into values; {@code null} when none are given. */
    static <T> List<T> split(List<String> options, String separator, String option,
            BiFunction<String, String, T> make) {
        if (options == null) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (String o : options) {
            int at = o.indexOf(separator);
            if (at <= 0 || at == o.length() - 1) {
                throw new IllegalArgumentException(option + " takes two parts separated by '" + separator + "': "
                        + o);
            }
            out.add(make.apply(o.substring(0, at), o.substring(at + separator.length())));
        }
        return out;
    }
}
