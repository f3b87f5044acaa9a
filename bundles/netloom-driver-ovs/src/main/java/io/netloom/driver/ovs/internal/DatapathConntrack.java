package io.netloom.driver.ovs.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.netloom.api.driver.ConnectionPolicy;
import io.netloom.api.model.Protocol;
import io.netloom.api.net.IpAddresses;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;

/**
 * The connection tracking of the switch's datapath, one zone at a time, through {@code ovs-vswitchd}'s control
 * socket: {@code ovs-appctl dpctl/dump-conntrack zone=N} lists a zone, {@code dpctl/flush-conntrack zone=N TUPLE}
 * deletes one connection by its original tuple. Every argument is built from numbers and addresses the dump
 * printed and checked, never from user text.
 */
class DatapathConntrack {

    /** For tests, and for a switch that tracks no connection: every zone is empty. */
    static final DatapathConntrack NONE = new DatapathConntrack((command, stdin) -> new CommandResult(command, 0, "",
            ""), () -> Path.of("/dev/null"));

    private static final String NO_SUCH_CONNECTION = "No such file or directory";

    private final CommandRunner runner;
    private final Supplier<Path> control;

    /**
     * One connection of a zone.
     *
     * @param connection the connection in its original direction
     * @param tuple its original tuple as {@code dpctl/flush-conntrack} takes it
     */
    record Tracked(ConnectionPolicy.Connection connection, String tuple) {
    }

    /**
     * @param runner runs {@code ovs-appctl}
     * @param control finds {@code ovs-vswitchd}'s control socket ({@link VswitchdControl#requireSocket()}), at each
     *     use (its name holds the daemon's pid)
     */
    DatapathConntrack(CommandRunner runner, Supplier<Path> control) {
        this.runner = runner;
        this.control = control;
    }

    /**
     * @param zone a conntrack zone
     * @return its TCP, UDP and ICMP connections
     * @throws io.netloom.hostnet.HostCommandException when {@code ovs-appctl} fails
     */
    List<Tracked> list(int zone) {
        String dump = runner.run(appctl("dpctl/dump-conntrack", "zone=" + zone)).stdout();
        List<Tracked> tracked = new ArrayList<>();
        for (String line : dump.split("\n")) {
            parse(line).ifPresent(tracked::add);
        }
        return tracked;
    }

    /**
     * Deletes one connection from a zone; one that has ended meanwhile is no failure.
     *
     * @param zone the zone
     * @param tracked the connection
     * @throws io.netloom.hostnet.HostCommandException when {@code ovs-appctl} fails
     */
    void flush(int zone, Tracked tracked) {
        List<String> argv = appctl("dpctl/flush-conntrack", "zone=" + zone, tracked.tuple());
        CommandResult result = runner.execute(argv, null);
        // The datapath answers ENOENT for a connection it no longer holds: it ended between the dump and now.
        if (result.exitCode() != 0 && !result.stderr().contains(NO_SUCH_CONNECTION)) {
            throw new HostCommandException(argv, result.exitCode(), result.stderr());
        }
    }

    private List<String> appctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("ovs-appctl", "-t", control.get().toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * Reads one line of {@code dpctl/dump-conntrack}, such as
     * {@code tcp,orig=(src=10.0.0.2,dst=10.0.0.3,sport=40000,dport=22),reply=(...),zone=3,protoinfo=(...)} or
     * {@code icmp,orig=(src=10.0.0.2,dst=10.0.0.3,id=7,type=8,code=0),reply=(...),zone=3}.
     *
     * @param line a line
     * @return the connection, or empty for another protocol or a line that is no connection
     * @throws IllegalStateException when a field that reaches a command line is not what it must be
     */
    static Optional<Tracked> parse(String line) {
        int comma = line.indexOf(',');
        int orig = line.indexOf("orig=(");
        if (comma < 0 || orig < 0 || line.indexOf(')', orig) < 0) {
            return Optional.empty();
        }
        Optional<Protocol> known = ConnectionPolicy.trackedProtocol(line.substring(0, comma).trim());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Protocol protocol = known.get();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.substring(orig + "orig=(".length(), line.indexOf(')', orig)).split(",")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        String src = fields.get("src");
        String dst = fields.get("dst");
        if (src == null || dst == null || IpAddresses.parse(src).isEmpty() || IpAddresses.parse(dst).isEmpty()
                || src.indexOf(':') >= 0) {
            return Optional.empty();
        }
        StringBuilder tuple = new StringBuilder("ct_nw_src=").append(src).append(",ct_nw_dst=").append(dst);
        int destinationPort = 0;
        if (protocol == Protocol.ICMP) {
            tuple.append(",ct_nw_proto=1,icmp_type=").append(number(fields.get("type")))
                    .append(",icmp_code=").append(number(fields.get("code")))
                    .append(",icmp_id=").append(number(fields.get("id")));
        } else {
            destinationPort = Integer.parseInt(number(fields.get("dport")));
            tuple.append(",ct_nw_proto=").append(protocol == Protocol.TCP ? 6 : 17)
                    .append(",ct_tp_src=").append(number(fields.get("sport")))
                    .append(",ct_tp_dst=").append(destinationPort);
        }
        return Optional.of(new Tracked(new ConnectionPolicy.Connection(protocol, src, dst, destinationPort),
                tuple.toString()));
    }

    private static String number(String text) {
        if (text == null || text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalStateException("The conntrack dump has '" + text + "' where a number belongs");
        }
        return text;
    }
}
