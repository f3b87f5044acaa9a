package io.netloom.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.PortUpdate;

/**
 * {@code vnet:port-update [--name N] [--allowed-address-pair IP[,MAC]]... [--no-address-pairs]
 * [--admin-down|--admin-up] [--subnet S] [--ip A] PORT}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "port-update",
        description = "Renames a port, replaces its allowed address pairs, sets it down or up, or readdresses it")
public class PortUpdateCommand extends PortCommand {

    @Option(name = "--name", description = "The new name")
    String name;

    @Option(name = "--allowed-address-pair", description = "An extra source address or prefix the port may send "
            + "from, optionally with its MAC: 10.200.16.0/20 or 10.200.0.9,fa:16:3e:00:00:01; the pairs given "
            + "replace the port's (repeat for more)", multiValued = true)
    List<String> pairs;

    @Option(name = "--no-address-pairs", description = "Remove every allowed address pair of the port")
    boolean clearPairs;

    @Option(name = "--admin-down", description = "Set the port administratively down: nothing passes in or out")
    boolean adminDown;

    @Option(name = "--admin-up", description = "Set the port administratively up again")
    boolean adminUp;

    @Option(name = "--subnet", description = "The subnet (id or name) of a new address; a port that is not bound")
    String subnet;

    @Option(name = "--ip", description = "A new address; a port that is not bound")
    String ip;

    @Reference
    PortAdminService ports;

    @Override
    void doExecute() {
        if (clearPairs && pairs != null) {
            throw new IllegalArgumentException("Give --allowed-address-pair or --no-address-pairs, not both");
        }
        Optional<List<AddressPair>> newPairs = clearPairs ? Optional.of(List.of())
                : Optional.ofNullable(pairs).map(PortUpdateCommand::pairs);
        if (adminDown && adminUp) {
            throw new IllegalArgumentException("Give --admin-down or --admin-up, not both");
        }
        Optional<Boolean> down = adminDown || adminUp ? Optional.of(adminDown) : Optional.empty();
        Port p = ports.updatePort(caller(), port, new PortUpdate(Optional.ofNullable(name), Optional.empty(),
                newPairs, down, Optional.ofNullable(subnet), Optional.ofNullable(ip)));
        print(p, () -> PortListCommand.table(this, List.of(p)));
    }

    /**
     * @param options {@code IP} or {@code IP,MAC} each, or {@code null}
     * @return the pairs, unchecked (the service checks them), or {@code null} for none given
     */
    static List<AddressPair> pairs(List<String> options) {
        if (options == null) {
            return null;
        }
        List<AddressPair> pairs = new ArrayList<>();
        for (String option : options) {
            int comma = option.indexOf(',');
            pairs.add(comma < 0 ? new AddressPair(option, null)
                    : new AddressPair(option.substring(0, comma), option.substring(comma + 1)));
        }
        return pairs;
    }
}
