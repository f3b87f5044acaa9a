package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.firewall.FirewallService;
import io.netloom.api.firewall.LintFinding;

/**
 * {@code vnet:sg-lint GROUP}: shadowed, conflicting and dead rules.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "sg-lint",
        description = "Reports a security group's shadowed, conflicting and dead rules")
public class SecurityGroupLintCommand extends SecurityGroupCommand {

    @Reference(optional = true)
    FirewallService firewall;

    @Override
    void doExecute() {
        List<LintFinding> findings = policy(firewall, "firewall").lint(caller(), group);
        print(findings, () -> {
            if (findings.isEmpty()) {
                out().println("No findings: every rule of " + group + " can match.");
                return;
            }
            ShellTable table = new ShellTable();
            table.column("Kind");
            table.column("Rule");
            table.column("Other rule");
            table.column("Message");
            for (LintFinding f : findings) {
                table.addRow().addContent(f.kind(), f.ruleId(), orDash(f.otherRuleId()), f.message());
            }
            print(table);
        });
    }
}
