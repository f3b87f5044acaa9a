package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonStreamParser;

import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.CommandRunner;
import io.netloom.hostnet.HostCommandException;
import io.netloom.hostnet.InterfaceAddress;
import io.netloom.hostnet.Iproute2;

/**
 * Several iproute2 commands in one namespace run as one process ({@code ip -n NS -batch -}), the driver's way of
 * reading and writing many objects without a process each: starting a process costs more than anything iproute2
 * then does, and a node has hundreds of ports.
 *
 * <p>Commands are given as argument lists, like every other command of the driver. iproute2 splits a batch line on
 * blanks and honours quotes and comments, so an argument goes into a line only when it is made of characters that
 * mean nothing there (generated device names, namespace names, addresses, MACs, aliases of such words); a command
 * with any other argument runs on its own.
 */
final class IpBatch {

    private static final Pattern FAILED_LINE = Pattern.compile("Command failed -:(\\d+)");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:/|-]+");
    private static final Pattern WORDS = Pattern.compile("[A-Za-z0-9_.:/|-]+( [A-Za-z0-9_.:/|-]+)+");

    private IpBatch() {
    }

    /**
     * Runs read commands with JSON output ({@code ip -j -d}); each prints one JSON array.
     *
     * @param runner runs ip
     * @param namespace where to run them
     * @param commands the commands, without {@code ip}
     * @return the command line and how it ended, with the arrays it printed in order; fewer than the commands when
     *     one failed (iproute2 stops at the first failure)
     */
    static Read read(CommandRunner runner, String namespace, List<String> commands) {
        List<String> argv = Iproute2.ip(Optional.of(namespace), "-j", "-d", "-batch", "-");
        CommandResult result = runner.execute(argv, String.join("\n", commands) + "\n");
        List<JsonArray> arrays = new ArrayList<>();
        JsonStreamParser parser = new JsonStreamParser(result.stdout());
        try {
            while (parser.hasNext()) {
                JsonElement next = parser.next();
                if (!next.isJsonArray()) {
                    break;
                }
                arrays.add(next.getAsJsonArray());
            }
        } catch (JsonParseException e) {
            // A command that failed half-way printed a broken array; the arrays before it stand.
        }
        return new Read(argv, result, arrays);
    }

    /**
     * What a read batch printed.
     *
     * @param argv the command line
     * @param result how it ended
     * @param arrays the arrays printed, in order of the commands
     */
    record Read(List<String> argv, CommandResult result, List<JsonArray> arrays) {
    }

    /**
     * Runs write commands in one process, every one of them even when some fail ({@code -force}). A command with an
     * argument that a batch line cannot carry as it is (anything but letters, digits and {@code _.:/|-}, or words
     * of those separated by single blanks, which go quoted) runs on its own, as an argument list.
     *
     * @param runner runs ip
     * @param namespace where to run them
     * @param commands the commands, each the arguments after {@code ip -n NAMESPACE}
     * @return why each command that failed failed, by its index; empty when all succeeded
     */
    static Map<Integer, String> write(CommandRunner runner, String namespace, List<List<String>> commands) {
        Map<Integer, String> failures = new TreeMap<>();
        List<Integer> batched = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            Optional<String> line = line(commands.get(i));
            if (line.isPresent()) {
                batched.add(i);
                lines.append(line.get()).append('\n');
            } else {
                List<String> argv = Iproute2.ip(Optional.of(namespace), commands.get(i).toArray(new String[0]));
                CommandResult result = runner.execute(argv, null);
                if (result.exitCode() != 0) {
                    failures.put(i, new HostCommandException(argv, result.exitCode(), result.stderr()).getMessage());
                }
            }
        }
        if (batched.isEmpty()) {
            return failures;
        }
        List<String> argv = Iproute2.ip(Optional.of(namespace), "-force", "-batch", "-");
        CommandResult result = runner.execute(argv, lines.toString());
        if (result.exitCode() == 0) {
            return failures;
        }
        // iproute2 prints why a line failed, then "Command failed -:LINE".
        StringBuilder why = new StringBuilder();
        boolean attributed = false;
        for (String text : result.stderr().split("\n")) {
            Matcher m = FAILED_LINE.matcher(text);
            int line = m.matches() ? Integer.parseInt(m.group(1)) - 1 : -1;
            if (line >= 0 && line < batched.size()) {
                failures.put(batched.get(line), "'ip " + String.join(" ", commands.get(batched.get(line)))
                        + "' failed: " + why.toString().strip());
                why.setLength(0);
                attributed = true;
            } else {
                why.append(text).append(' ');
            }
        }
        if (!attributed) {
            String message = new HostCommandException(argv, result.exitCode(), result.stderr()).getMessage();
            batched.forEach(i -> failures.put(i, message));
        }
        return failures;
    }

    /** The command as a batch line, when every argument can go into one. */
    private static Optional<String> line(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (String argument : command) {
            if (line.length() > 0) {
                line.append(' ');
            }
            if (PLAIN.matcher(argument).matches()) {
                line.append(argument);
            } else if (WORDS.matcher(argument).matches()) {
                line.append('"').append(argument).append('"');
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(line.toString());
    }

    /**
     * @param device one element of {@code ip -j addr show}
     * @return its addresses of global scope (not IPv6 link-local ones, which the kernel makes by itself)
     */
    static List<InterfaceAddress> addresses(JsonObject device) {
        List<InterfaceAddress> addresses = new ArrayList<>();
        if (device.has("addr_info")) {
            for (JsonElement a : device.getAsJsonArray("addr_info")) {
                JsonObject info = a.getAsJsonObject();
                if (info.has("local") && !"link".equals(text(info, "scope"))) {
                    addresses.add(new InterfaceAddress(info.get("local").getAsString(),
                            info.get("prefixlen").getAsInt()));
                }
            }
        }
        return addresses;
    }

    /**
     * @param device one element of {@code ip -j link show} or {@code addr show}
     * @param flag a flag such as {@code LOWER_UP}
     * @return whether the device has it
     */
    static boolean hasFlag(JsonObject device, String flag) {
        if (device.has("flags")) {
            for (JsonElement f : device.getAsJsonArray("flags")) {
                if (f.getAsString().equals(flag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param o a JSON object
     * @param member a member name
     * @return the member as text, or {@code null} when absent or null
     */
    static String text(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
