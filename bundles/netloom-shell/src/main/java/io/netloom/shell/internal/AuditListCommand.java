package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.AuditEntry;
import io.netloom.api.model.AuditService;

/**
 * {@code vnet:audit-list [--limit N]}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "audit-list",
        description = "Lists the newest changes to the desired state")
public class AuditListCommand extends VnetCommandSupport {

    @Option(name = "--limit", description = "At most this many entries (default 20)")
    int limit = 20;

    @Reference
    AuditService audit;

    @Override
    void doExecute() {
        List<AuditEntry> entries = audit.entries(caller(), limit);
        print(entries, () -> {
            ShellTable table = new ShellTable();
            table.column("#").alignRight();
            table.column("At");
            table.column("User");
            table.column("Via");
            table.column("Action");
            table.column("Object");
            for (AuditEntry e : entries) {
                table.addRow().addContent(e.sequence(), e.at(), e.user(), e.via(), e.action(), e.objectId());
            }
            print(table);
        });
    }
}
