package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringSpec;
import io.netloom.shell.internal.completers.NetworkCompleter;

/**
 * {@code vnet:peering-create [--auto-accept] [--allow-forwarded-traffic] NAME NETWORK PEER_NETWORK}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-create",
        description = "Requests a peering between two networks")
public class PeeringCreateCommand extends VnetCommandSupport {

    @Option(name = "--auto-accept", description = "Accept at once (you must see both networks)")
    boolean autoAccept;

    @Option(name = "--allow-forwarded-traffic", description = "Let traffic not originating in the peer cross")
    boolean allowForwardedTraffic;

    @Option(name = "--no-vnet-access", description = "Create it without virtual network access (no routes)")
    boolean noAccess;

    @Option(name = "--auto-sync", description = "Sync address-space changes at once")
    boolean autoSync;

    @Argument(index = 0, name = "name", description = "The peering's name", required = true)
    String name;

    @Argument(index = 1, name = "network", description = "The requesting network, id or name", required = true)
    @Completion(NetworkCompleter.class)
    String network;

    @Argument(index = 2, name = "peerNetwork", description = "The peer network, id or name", required = true)
    @Completion(NetworkCompleter.class)
    String peerNetwork;

    @Argument(index = 3, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        Peering p = peerings.createPeering(caller(), new PeeringSpec(name, network, peerNetwork,
                allowForwardedTraffic, autoAccept, !noAccess, autoSync));
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }
}
