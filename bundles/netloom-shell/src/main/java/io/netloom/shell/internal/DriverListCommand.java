package io.netloom.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.driver.DriverDescriptor;
import io.netloom.api.driver.DriverRegistry;

/**
 * {@code vnet:driver-list}: the southbound drivers registered now.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "driver-list",
        description = "Lists the southbound drivers registered now, with the one in use for each type")
public class DriverListCommand extends VnetCommandSupport {

    @Reference
    DriverRegistry registry;

    @Override
    void doExecute() {
        List<DriverDescriptor> drivers = registry.drivers();
        print(drivers, () -> {
            ShellTable table = new ShellTable();
            table.column("Type");
            table.column("Name");
            table.column("Version");
            table.column("Bundle");
            table.column("Ranking").alignRight();
            table.column("Status");
            for (DriverDescriptor d : drivers) {
                table.addRow().addContent(d.type(), d.name(), d.version(), d.bundle() + " [" + d.bundleId() + "]",
                        d.ranking(), d.status());
            }
            print(table);
            if (drivers.isEmpty()) {
                out().println("No driver is registered: writes are stored and stay pending until one is.");
            }
        });
    }
}
