package io.netloom.shell.internal;

import java.util.List;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.ValidationException;
import io.netloom.api.explain.Explanation;
import io.netloom.api.explain.ExplainService;
import io.netloom.api.explain.Hop;
import io.netloom.api.model.Protocol;
import io.netloom.shell.internal.completers.PortCompleter;

/**
 * {@code vnet:explain FROM TO [--protocol P --port N]}: whether traffic passes, and the element that decides.
 */
@Service
@Command(scope = VnetCommandSupport.SCOPE, name = "explain",
        description = "Explains whether a port reaches a port or address, hop by hop, naming what decides")
public class ExplainCommand extends VnetCommandSupport {

    @Argument(index = 0, name = "from", description = "Source port id or name", required = true)
    @Completion(PortCompleter.class)
    String from;

    @Argument(index = 1, name = "to", description = "Destination port id or name, or an address", required = true)
    @Completion(PortCompleter.class)
    String to;

    @Argument(index = 2, name = "options", multiValued = true,
            description = "Options may also follow the arguments, for example --json")
    List<String> trailing;

    @Option(name = "--protocol", description = "tcp, udp or icmp (default icmp)")
    String protocol = "icmp";

    @Option(name = "--port", description = "Destination port, for tcp and udp")
    int port;

    @Reference(optional = true)
    ExplainService explain;

    @Override
    void doExecute() {
        Protocol p = switch (protocol.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "icmp" -> Protocol.ICMP;
            default -> throw new ValidationException("INVALID_PROTOCOL", "protocol is tcp, udp or icmp", "protocol");
        };
        Explanation e = require(explain, "explain").explain(caller(), from, to, p, port);
        print(e, () -> {
            ShellTable table = new ShellTable();
            table.column("Layer");
            table.column("Element");
            table.column("Decision");
            table.column("Detail");
            for (Hop h : e.hops()) {
                table.addRow().addContent(h.layer(), h.element(), h.decision(), h.detail());
            }
            print(table);
            out().println("Verdict: " + e.verdict());
        });
    }
}
