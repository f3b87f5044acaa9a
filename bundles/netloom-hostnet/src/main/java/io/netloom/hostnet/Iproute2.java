package io.netloom.hostnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * iproute2 through a {@link CommandRunner}: builds {@code ip} argument lists (optionally inside a named network
 * namespace, {@code ip -n NAME}) and reads its JSON output ({@code ip -j}) into {@link Link}s and
 * {@link InterfaceAddress}es, so that drivers read the kernel back rather than trusting what they wrote.
 */
public final class Iproute2 {

    /** Where {@code ip netns} keeps its named namespaces. */
    public static final Path NETNS_DIRECTORY = Path.of("/run/netns");

    private final CommandRunner runner;

    /**
     * @param runner runs the {@code ip} commands
     */
    public Iproute2(CommandRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * @return the runner commands go through
     */
    public CommandRunner runner() {
        return runner;
    }

    /**
     * Builds an {@code ip} command.
     *
     * @param namespace the namespace to run it in ({@code ip -n NAME}), or empty for the caller's own
     * @param args the arguments after {@code ip [-n NAME]}
     * @return the argument list
     */
    public static List<String> ip(Optional<String> namespace, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        namespace.ifPresent(ns -> {
            argv.add("-n");
            argv.add(DeviceNames.validateNamespace(ns));
        });
        argv.addAll(Arrays.asList(args));
        return argv;
    }

    /**
     * Builds a command run inside a namespace with {@code ip netns exec}.
     *
     * @param namespace the namespace
     * @param command the program and its arguments
     * @return the argument list
     */
    public static List<String> inNamespace(String namespace, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", DeviceNames.validateNamespace(namespace)));
        argv.addAll(Arrays.asList(command));
        return argv;
    }

    /**
     * Runs an {@code ip} command that must succeed.
     *
     * @param namespace where to run it, or empty
     * @param args the arguments after {@code ip [-n NAME]}
     * @return what it printed
     * @throws HostCommandException when it fails
     */
    public CommandResult run(Optional<String> namespace, String... args) {
        return runner.run(ip(namespace, args));
    }

    /**
     * Runs {@code ip -j ...} and parses its output.
     *
     * @param namespace where to run it, or empty
     * @param args the arguments after {@code ip [-n NAME] -j}
     * @return the array iproute2 printed; empty when it printed nothing
     * @throws HostCommandException when the command fails or prints something that is not a JSON array
     */
    public JsonArray json(Optional<String> namespace, String... args) {
        List<String> full = new ArrayList<>();
        full.add("-j");
        full.addAll(Arrays.asList(args));
        List<String> argv = ip(namespace, full.toArray(new String[0]));
        return parseArray(argv, runner.run(argv).stdout());
    }

    /**
     * @param name a namespace name
     * @return whether {@code ip netns} knows a namespace of that name
     */
    public static boolean namespaceExists(String name) {
        return Files.exists(NETNS_DIRECTORY.resolve(DeviceNames.validateNamespace(name)));
    }

    /**
     * Lists {@code /run/netns} rather than running {@code ip netns list}, which also resolves every namespace's id
     * and so slows down, and complains, when the host has many.
     *
     * @return the names of every namespace {@code ip netns} knows
     * @throws HostCommandException when the directory cannot be read
     */
    public List<String> namespaces() {
        if (!Files.isDirectory(NETNS_DIRECTORY)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(NETNS_DIRECTORY)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new HostCommandException(List.of("ls", NETNS_DIRECTORY.toString()), HostCommandException.NO_EXIT,
                    e.getMessage(), e);
        }
    }

    /**
     * Reads one device.
     *
     * @param namespace where it is, or empty
     * @param device its name
     * @return the device, or empty when there is none of that name
     * @throws HostCommandException when the namespace cannot be entered or {@code ip} fails otherwise
     */
    public Optional<Link> link(Optional<String> namespace, String device) {
        List<String> argv = ip(namespace, "-d", "-j", "link", "show", "dev", DeviceNames.validate(device));
        CommandResult result = runner.execute(argv, null);
        if (result.exitCode() != 0) {
            if (result.stderr().contains("does not exist")) {
                return Optional.empty();
            }
            throw new HostCommandException(argv, result.exitCode(), result.stderr());
        }
        JsonArray array = parseArray(argv, result.stdout());
        return array.isEmpty() ? Optional.empty() : Optional.of(toLink(array.get(0).getAsJsonObject()));
    }

    /**
     * @param namespace where to look, or empty
     * @return every device there
     */
    public List<Link> links(Optional<String> namespace) {
        List<Link> links = new ArrayList<>();
        for (JsonElement e : json(namespace, "-d", "link", "show")) {
            links.add(toLink(e.getAsJsonObject()));
        }
        return links;
    }

    /**
     * @param namespace where the device is, or empty
     * @param device the device
     * @return its addresses of global scope (not IPv6 link-local ones, which the kernel makes by itself)
     */
    public List<InterfaceAddress> addresses(Optional<String> namespace, String device) {
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (JsonElement e : json(namespace, "addr", "show", "dev", DeviceNames.validate(device))) {
            JsonObject link = e.getAsJsonObject();
            if (!link.has("addr_info")) {
                continue;
            }
            for (JsonElement a : link.getAsJsonArray("addr_info")) {
                JsonObject info = a.getAsJsonObject();
                if (!info.has("local") || "link".equals(string(info, "scope"))) {
                    continue;
                }
                addresses.add(new InterfaceAddress(info.get("local").getAsString(), info.get("prefixlen").getAsInt()));
            }
        }
        return addresses;
    }

    /**
     * @param link one element of {@code ip -d -j link show}
     * @return it as a {@link Link}
     */
    public static Link toLink(JsonObject link) {
        List<String> flags = new ArrayList<>();
        if (link.has("flags")) {
            link.getAsJsonArray("flags").forEach(f -> flags.add(f.getAsString()));
        }
        Optional<String> kind = Optional.empty();
        if (link.has("linkinfo") && link.getAsJsonObject("linkinfo").has("info_kind")) {
            kind = Optional.of(link.getAsJsonObject("linkinfo").get("info_kind").getAsString());
        }
        OptionalInt peer = link.has("link_index") ? OptionalInt.of(link.get("link_index").getAsInt())
                : OptionalInt.empty();
        return new Link(link.get("ifindex").getAsInt(), link.get("ifname").getAsString(),
                Optional.ofNullable(string(link, "address")).orElse(""), link.has("mtu") ? link.get("mtu").getAsInt()
                        : 0, flags.contains("UP"), Optional.ofNullable(string(link, "operstate")).orElse("UNKNOWN"),
                Optional.ofNullable(string(link, "master")), Optional.ofNullable(string(link, "ifalias")), kind,
                peer, peer.isPresent() ? Optional.empty() : Optional.ofNullable(string(link, "link")));
    }

    private static String string(JsonObject object, String member) {
        JsonElement e = object.get(member);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonArray parseArray(List<String> argv, String stdout) {
        if (stdout.isBlank()) {
            return new JsonArray();
        }
        try {
            JsonElement parsed = JsonParser.parseString(stdout);
            if (!parsed.isJsonArray()) {
                throw new HostCommandException(argv, 0, "printed JSON that is not an array: " + abbreviate(stdout));
            }
            return parsed.getAsJsonArray();
        } catch (JsonParseException e) {
            throw new HostCommandException(argv, 0, "printed something that is not JSON: " + abbreviate(stdout), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
