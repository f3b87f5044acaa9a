package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.netloom.api.ValidationException;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringAdminService;
import io.netloom.api.model.PeeringUpdate;

/**
 * {@code vnet:peering-update [--name N] [--allow-vnet-access true|false] [--allow-forwarded-traffic true|false]
 * [--auto-sync true|false] PEERING}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "peering-update", description = "Changes a peering's name or "
        + "flags, from either side")
public class PeeringUpdateCommand extends PeeringCommand {

    @Option(name = "--name", description = "The new name")
    String name;

    @Option(name = "--allow-vnet-access", description = "true: the peering carries traffic; false: it stays but "
            + "adds no routes")
    String access;

    @Option(name = "--allow-forwarded-traffic", description = "true or false")
    String forwarded;

    @Option(name = "--auto-sync", description = "true: address-space changes are synced at once (and now)")
    String autoSync;

    @Reference
    PeeringAdminService peerings;

    @Override
    void doExecute() {
        Peering p = withStatus(peerings.updatePeering(caller(), peering, new PeeringUpdate(Optional.ofNullable(name),
                flag(access, "--allow-vnet-access"), flag(forwarded, "--allow-forwarded-traffic"),
                flag(autoSync, "--auto-sync"))));
        print(p, () -> PeeringListCommand.table(this, List.of(p)));
    }

    private static Optional<Boolean> flag(String text, String option) {
        if (text == null) {
            return Optional.empty();
        }
        if (!text.equals("true") && !text.equals("false")) {
            throw new ValidationException("INVALID_TYPE", option + " is true or false", option);
        }
        return Optional.of(Boolean.parseBoolean(text));
    }
}
