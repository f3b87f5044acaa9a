package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.Quota;
import io.netloom.api.model.QuotaService;

/**
 * {@code vnet:quota-list [--tenant T]}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "quota-list", description = "Shows a tenant's quotas and usage "
        + "(limit 0: none)")
public class QuotaListCommand extends VnetCommandSupport {

    @Option(name = "--tenant", description = "Another tenant the user may read (default: the user's own)")
    String tenant;

    @Reference
    QuotaService quotas;

    @Override
    void doExecute() {
        List<Quota> all = quotas.quotas(caller(), tenant);
        print(all, () -> {
            ShellTable table = new ShellTable();
            table.column("Resource");
            table.column("Limit").alignRight();
            table.column("Used").alignRight();
            for (Quota q : all) {
                table.addRow().addContent(q.resource(), q.limit() == 0 ? "none" : q.limit(), q.used());
            }
            print(table);
        });
    }
}
