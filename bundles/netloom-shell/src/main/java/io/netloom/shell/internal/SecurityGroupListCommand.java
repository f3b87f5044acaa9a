package io.netloom.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.model.Rule;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupService;

/**
 * {@code vnet:sg-list}.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-list", description = "Lists the security groups")
public class SecurityGroupListCommand extends ListCommandSupport {

    @Reference
    SecurityGroupService groups;

    @Override
    void doExecute() {
        List<SecurityGroup> page = page(groups.groups(caller()), SecurityGroup::id);
        print(page, () -> table(this, page));
    }

    static void table(VnetCommandSupport c, List<SecurityGroup> groups) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Rules").alignRight();
        table.column("Default of");
        table.column("Description");
        for (SecurityGroup g : groups) {
            table.addRow().addContent(g.id(), g.name(), g.rules().size(), orDash(g.network()), orDash(g.description()));
        }
        c.print(table);
    }

    static void rules(VnetCommandSupport c, List<Rule> rules) {
        ShellTable table = new ShellTable();
        table.column("Rule");
        table.column("Priority").alignRight();
        table.column("Direction");
        table.column("Protocol");
        table.column("Ports");
        table.column("Remote");
        table.column("Action");
        List<Rule> ordered = new ArrayList<>(rules);
        ordered.sort(Comparator.comparingInt(Rule::priority));
        for (Rule r : ordered) {
            String remote = r.remoteCidr() != null ? r.remoteCidr()
                    : r.remoteGroup() != null ? "group " + r.remoteGroup() : "any";
            table.addRow().addContent(r.id(), r.priority(), lower(r.direction()), lower(r.protocol()),
                    orDash(r.ports()), remote, lower(r.action()));
        }
        c.print(table);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
