package io.netloom.hostnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Plugs a port into a network namespace the way a CNI plugin does, for every kernel-facing driver: a veth pair named
 * from the port id, one end (the <em>namespace end</em>) inside the workload's namespace with the port's MAC,
 * address, MTU and a default route via the subnet's gateway, the other end (the <em>host end</em>) up in the
 * driver's namespace (the host's own, or a router namespace), where the driver attaches it to its data plane.
 *
 * <p>The workload's namespace is never created here: whoever runs the workload made it, and a binding to a namespace
 * that does not exist fails with a {@link BindingException} saying so.
 *
 * <p>{@link #apply} is idempotent: it reads the current state first and changes only what differs, so re-applying a
 * correct binding runs no command that changes anything and never interrupts traffic. {@link #read} reports what
 * the kernel holds, so a driver can tell drift from the desired binding; {@link #remove} deletes the pair.
 */
public final class NetnsBinding {

    /** Prefix of host-end device names. */
    public static final String HOST_PREFIX = "nlh";
    /** Prefix of namespace-end device names. */
    public static final String NAMESPACE_PREFIX = "nlp";

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private final Iproute2 ip;
    private final Predicate<String> namespaceExists;
    private final Predicate<String> installed;
    private final BulkBinding bulk;

    /**
     * @param runner runs {@code ip} and {@code ethtool}
     */
    public NetnsBinding(CommandRunner runner) {
        this(runner, Iproute2::namespaceExists, tool -> HostCommand.locate(tool).isPresent(),
                InProcess.available());
    }

    /**
     * For tests: the host's namespaces and tools as the test says, and namespaces configured by processes only.
     */
    NetnsBinding(CommandRunner runner, Predicate<String> namespaceExists, Predicate<String> installed) {
        this(runner, namespaceExists, installed, Optional.empty());
    }

    /**
     * For tests: namespaces configured in process when {@code inProcess} is given.
     */
    NetnsBinding(CommandRunner runner, Predicate<String> namespaceExists, Predicate<String> installed,
            Optional<InProcess> inProcess) {
        this.ip = new Iproute2(runner);
        this.namespaceExists = Objects.requireNonNull(namespaceExists, "namespaceExists");
        this.installed = Objects.requireNonNull(installed, "installed");
        this.bulk = new BulkBinding(this, ip, Objects.requireNonNull(inProcess, "inProcess"));
    }

    /**
     * @param portId a port id
     * @return the name of the port's host end
     */
    public static String hostDevice(String portId) {
        return DeviceNames.of(HOST_PREFIX, portId);
    }

    /**
     * @param portId a port id
     * @return the name of the port's namespace end
     */
    public static String namespaceDevice(String portId) {
        return DeviceNames.of(NAMESPACE_PREFIX, portId);
    }

    /**
     * What a binding must look like.
     *
     * @param portId the port id, from which both device names are made
     * @param namespace the workload's namespace; it must exist
     * @param mac the port's MAC address
     * @param address the port's address, without prefix length
     * @param prefixLength the prefix length of its subnet
     * @param gateway the subnet's gateway, the namespace's default route
     * @param mtu the MTU of both ends, or empty to leave the kernel's default
     * @param txChecksumOffloadOff whether to turn TX checksum offload off on the namespace end, as Open vSwitch's
     *     userspace datapath needs (it does not fill in checksums the kernel left to the "hardware")
     * @param hostNamespace where the host end lives: empty for the caller's own namespace, or a namespace name
     */
    public record Spec(String portId, String namespace, String mac, String address, int prefixLength, String gateway,
            OptionalInt mtu, boolean txChecksumOffloadOff, Optional<String> hostNamespace) {

        /**
         * Checks every field, so that nothing malformed reaches a command line.
         *
         * @throws IllegalArgumentException when a field is malformed
         */
        public Spec {
            Objects.requireNonNull(portId, "portId");
            DeviceNames.validateNamespace(namespace);
            Objects.requireNonNull(mac, "mac");
            mac = mac.toLowerCase(Locale.ROOT);
            if (!MAC.matcher(mac).matches()) {
                throw new IllegalArgumentException("'" + mac + "' is not a MAC address like 02:00:00:00:00:01");
            }
            checkAddress(address, "address");
            checkAddress(gateway, "gateway");
            int max = address.indexOf(':') >= 0 ? 128 : 32;
            if (prefixLength < 1 || prefixLength > max) {
                throw new IllegalArgumentException("A prefix length of " + address + " is 1 to " + max + ", not "
                        + prefixLength);
            }
            Objects.requireNonNull(mtu, "mtu");
            if (mtu.isPresent() && (mtu.getAsInt() < 68 || mtu.getAsInt() > 65535)) {
                throw new IllegalArgumentException("An MTU is 68 to 65535, not " + mtu.getAsInt());
            }
            Objects.requireNonNull(hostNamespace, "hostNamespace");
            hostNamespace.ifPresent(DeviceNames::validateNamespace);
        }

        /**
         * A binding with the kernel's MTU, offload left on, the host end in the caller's namespace.
         *
         * @param portId the port id
         * @param namespace the workload's namespace
         * @param mac the MAC address
         * @param address the address
         * @param prefixLength the subnet's prefix length
         * @param gateway the gateway
         * @return the specification
         */
        public static Spec of(String portId, String namespace, String mac, String address, int prefixLength,
                String gateway) {
            return new Spec(portId, namespace, mac, address, prefixLength, gateway, OptionalInt.empty(), false,
                    Optional.empty());
        }

        /**
         * @param value the MTU of both ends
         * @return this specification with that MTU
         */
        public Spec withMtu(int value) {
            return new Spec(portId, namespace, mac, address, prefixLength, gateway, OptionalInt.of(value),
                    txChecksumOffloadOff, hostNamespace);
        }

        /**
         * @return this specification with TX checksum offload turned off on the namespace end
         */
        public Spec withTxChecksumOffloadOff() {
            return new Spec(portId, namespace, mac, address, prefixLength, gateway, mtu, true, hostNamespace);
        }

        /**
         * @param name the namespace the host end lives in
         * @return this specification with the host end there
         */
        public Spec withHostNamespace(String name) {
            return new Spec(portId, namespace, mac, address, prefixLength, gateway, mtu, txChecksumOffloadOff,
                    Optional.of(name));
        }

        /**
         * @return the address with its prefix length, as {@code ip addr add} takes it
         */
        public InterfaceAddress interfaceAddress() {
            return new InterfaceAddress(address, prefixLength);
        }

        private static void checkAddress(String value, String what) {
            Objects.requireNonNull(value, what);
            if (!value.matches("[0-9.]{7,15}|[0-9A-Fa-f:.]{2,45}") || !value.matches(".*[.:].*")) {
                throw new IllegalArgumentException("'" + value + "' is not an IP address (" + what + ")");
            }
        }
    }

    /**
     * What the kernel holds for a binding.
     *
     * @param host the host end
     * @param inside the namespace end
     * @param addresses the global addresses of the namespace end
     * @param gateway the default route's gateway, when the default route leaves through the namespace end
     * @param loopbackUp whether {@code lo} is up in the namespace
     */
    public record State(Link host, Link inside, List<InterfaceAddress> addresses, Optional<String> gateway,
            boolean loopbackUp) {

        /**
         * Freezes the list.
         */
        public State {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(inside, "inside");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(gateway, "gateway");
        }

        /**
         * @param spec a binding
         * @return whether this state is that binding, with both ends up (TX offload is not compared: see
         *     {@link NetnsBinding#txChecksumOffload})
         */
        public boolean matches(Spec spec) {
            return inside.mac().equalsIgnoreCase(spec.mac()) && addresses.equals(List.of(spec.interfaceAddress()))
                    && gateway.equals(Optional.of(spec.gateway())) && inside.up() && host.up() && loopbackUp
                    && (spec.mtu().isEmpty() || inside.mtu() == spec.mtu().getAsInt()
                            && host.mtu() == spec.mtu().getAsInt());
        }
    }

    /**
     * Makes the binding, or completes or repairs it, changing only what differs from the specification.
     *
     * @param spec the binding
     * @return the name of the host end, up, for the driver to attach
     * @throws BindingException when a namespace does not exist or ethtool is needed and missing
     * @throws HostCommandException when a command fails
     */
    public String apply(Spec spec) {
        Objects.requireNonNull(spec, "spec");
        requireNamespace(spec.namespace(), spec.portId());
        spec.hostNamespace().ifPresent(h -> requireNamespace(h, spec.portId()));
        Optional<String> ns = Optional.of(spec.namespace());
        String hostName = hostDevice(spec.portId());
        String insideName = namespaceDevice(spec.portId());
        Optional<Link> host = ip.link(spec.hostNamespace(), hostName);
        Optional<Link> inside = ip.link(ns, insideName);
        if (!isPair(host, inside)) {
            // A half or a stranger (say the workload's namespace was deleted and made again): start afresh.
            if (host.isPresent()) {
                ip.run(spec.hostNamespace(), "link", "del", "dev", hostName);
            }
            if (inside.isPresent() && ip.link(ns, insideName).isPresent()) {
                ip.run(ns, "link", "del", "dev", insideName);
            }
            ip.run(spec.hostNamespace(), "link", "add", "name", hostName, "type", "veth", "peer", "name", insideName,
                    "address", spec.mac(), "netns", spec.namespace());
            host = ip.link(spec.hostNamespace(), hostName);
            inside = ip.link(ns, insideName);
            if (!isPair(host, inside)) {
                throw new BindingException("The veth pair " + hostName + "/" + insideName + " of port " + spec.portId()
                        + " was created but cannot be read back from namespace " + spec.namespace());
            }
        }
        Link in = inside.get();
        List<InterfaceAddress> addresses = ip.addresses(ns, insideName);
        boolean v6 = spec.interfaceAddress().isIpv6();
        Observed observed = new Observed(in.mac(), in.mtu(), in.up(), host.get().mtu(), host.get().up(), addresses,
                ip.link(ns, "lo").map(Link::up).orElse(false), defaultGateway(ns, insideName, v6),
                spec.txChecksumOffloadOff() && txChecksumOffload(spec.namespace(), insideName));
        for (Change change : changes(spec, observed)) {
            run(change);
        }
        return hostName;
    }

    /**
     * What a binding's devices hold, as far as {@link #changes} compares them.
     *
     * @param insideMac the namespace end's MAC
     * @param insideMtu its MTU
     * @param insideUp whether it is up
     * @param hostMtu the host end's MTU
     * @param hostUp whether the host end is up
     * @param addresses the namespace end's global addresses
     * @param loopbackUp whether {@code lo} is up in the namespace
     * @param gateway the default route's gateway through the namespace end, if any
     * @param txChecksumOffload whether TX checksum offload is on (read only where it is to go off)
     */
    record Observed(String insideMac, int insideMtu, boolean insideUp, int hostMtu, boolean hostUp,
            List<InterfaceAddress> addresses, boolean loopbackUp, Optional<String> gateway,
            boolean txChecksumOffload) {

        /**
         * @param spec a binding
         * @return what a pair that a batch has just made for it holds: MAC and MTU as asked, the host end up,
         *     nothing else configured
         */
        static Observed fresh(Spec spec) {
            int mtu = spec.mtu().orElse(0);
            return new Observed(spec.mac(), mtu, false, mtu, true, List.of(), false, Optional.empty(),
                    spec.txChecksumOffloadOff());
        }
    }

    /**
     * The one place that decides what a binding needs, in the order to make it: the namespace end's MAC and MTU,
     * the host end's MTU, the namespace end up, stray addresses off and the binding's on, {@code lo} up, the default
     * route, TX offload off, the host end up.
     *
     * @param spec the binding
     * @param observed what its devices hold now
     * @return the changes; none when the binding is right
     */
    static List<Change> changes(Spec spec, Observed observed) {
        Optional<String> ns = Optional.of(spec.namespace());
        String inside = namespaceDevice(spec.portId());
        String host = hostDevice(spec.portId());
        InterfaceAddress wanted = spec.interfaceAddress();
        List<Change> changes = new ArrayList<>();
        if (!observed.insideMac().equalsIgnoreCase(spec.mac())) {
            changes.add(new Change.LinkAddress(ns, inside, spec.mac()));
        }
        if (spec.mtu().isPresent()) {
            int mtu = spec.mtu().getAsInt();
            if (observed.insideMtu() != mtu) {
                changes.add(new Change.LinkMtu(ns, inside, mtu));
            }
            if (observed.hostMtu() != mtu) {
                changes.add(new Change.LinkMtu(spec.hostNamespace(), host, mtu));
            }
        }
        if (!observed.insideUp()) {
            changes.add(new Change.LinkUp(ns, inside));
        }
        for (InterfaceAddress a : observed.addresses()) {
            if (!a.equals(wanted)) {
                changes.add(new Change.AddressDel(ns, inside, a));
            }
        }
        if (!observed.addresses().contains(wanted)) {
            changes.add(new Change.AddressAdd(ns, inside, wanted));
        }
        if (!observed.loopbackUp()) {
            changes.add(new Change.LinkUp(ns, "lo"));
        }
        if (!observed.gateway().equals(Optional.of(spec.gateway()))) {
            changes.add(new Change.DefaultRoute(ns, inside, spec.gateway(), wanted.isIpv6()));
        }
        if (spec.txChecksumOffloadOff() && observed.txChecksumOffload()) {
            changes.add(new Change.TxChecksumOffloadOff(ns, inside));
        }
        if (!observed.hostUp()) {
            changes.add(new Change.LinkUp(spec.hostNamespace(), host));
        }
        return changes;
    }

    /** Runs one change as its own command. */
    private void run(Change change) {
        if (change instanceof Change.TxChecksumOffloadOff off) {
            ip.runner().run(Iproute2.inNamespace(off.namespace().orElseThrow(), "ethtool", "-K", off.device(), "tx",
                    "off"));
        } else {
            ip.run(change.namespace(), change.ipArguments().toArray(new String[0]));
        }
    }

    /**
     * Applies many bindings at once, with the same outcome as {@link #apply} for each, in a few processes: the host
     * ends already present are listed with one {@code ip link show} per host namespace, and every pair that is new is
     * created by one {@code ip -batch} per host namespace, host namespaces at once; each workload namespace is
     * configured (in process through netlink where the machine allows, else by one {@code ip -batch} plus
     * {@code ethtool} per device where TX offload goes off) as soon as its
     * pairs are made. Everything runs on up to {@value BulkBinding#PARALLELISM} threads. Bindings whose host end exists
     * already,
     * and the bindings of any batch the kernel refused, go through {@link #apply}, which reads and repairs them one
     * by one.
     *
     * <p>The batches hold only names generated from port ids, namespace names, MAC addresses and IP addresses, all
     * checked by {@link Spec}; nothing else of a user's text reaches them.
     *
     * @param specs the bindings, at most one per port id
     * @return why each binding that could not be applied failed, by port id; empty when all were applied
     */
    public Map<String, RuntimeException> applyAll(List<Spec> specs) {
        return bulk.applyAll(specs);
    }

    /**
     * Reads a binding back from the kernel.
     *
     * @param portId the port id
     * @param namespace the workload's namespace
     * @param hostNamespace where the host end lives, or empty for the caller's namespace
     * @return what is configured, or empty when the namespace, either end, or the pairing of the two is missing
     * @throws HostCommandException when a command fails
     */
    public Optional<State> read(String portId, String namespace, Optional<String> hostNamespace) {
        DeviceNames.validateNamespace(namespace);
        if (!namespaceExists.test(namespace)
                || hostNamespace.isPresent() && !namespaceExists.test(hostNamespace.get())) {
            return Optional.empty();
        }
        Optional<String> ns = Optional.of(namespace);
        String insideName = namespaceDevice(portId);
        Optional<Link> host = ip.link(hostNamespace, hostDevice(portId));
        Optional<Link> inside = ip.link(ns, insideName);
        if (!isPair(host, inside)) {
            return Optional.empty();
        }
        List<InterfaceAddress> addresses = ip.addresses(ns, insideName);
        boolean v6 = addresses.stream().anyMatch(InterfaceAddress::isIpv6)
                && addresses.stream().noneMatch(a -> !a.isIpv6());
        return Optional.of(new State(host.get(), inside.get(), addresses, defaultGateway(ns, insideName, v6),
                ip.link(ns, "lo").map(Link::up).orElse(false)));
    }

    /**
     * Removes a binding: deletes the veth pair (both ends go together). Removing what is not there does nothing.
     *
     * @param portId the port id
     * @param namespace the workload's namespace, where a stray namespace end is also removed
     * @param hostNamespace where the host end lives, or empty
     * @throws HostCommandException when a command fails
     */
    public void remove(String portId, String namespace, Optional<String> hostNamespace) {
        DeviceNames.validateNamespace(namespace);
        String hostName = hostDevice(portId);
        if (hostNamespace.isEmpty() || namespaceExists.test(hostNamespace.get())) {
            if (ip.link(hostNamespace, hostName).isPresent()) {
                ip.run(hostNamespace, "link", "del", "dev", hostName);
            }
        }
        if (namespaceExists.test(namespace)) {
            Optional<String> ns = Optional.of(namespace);
            if (ip.link(ns, namespaceDevice(portId)).isPresent()) {
                ip.run(ns, "link", "del", "dev", namespaceDevice(portId));
            }
        }
    }

    /**
     * @param namespace a namespace
     * @param device a device in it
     * @return whether TX checksum offload is on for the device, as {@code ethtool -k} reports it
     * @throws BindingException when ethtool is not installed
     * @throws HostCommandException when ethtool fails
     */
    public boolean txChecksumOffload(String namespace, String device) {
        requireEthtool();
        String out = ip.runner().run(Iproute2.inNamespace(namespace, "ethtool", "-k", DeviceNames.validate(device)))
                .stdout();
        for (String line : out.split("\n")) {
            String l = line.strip();
            if (l.startsWith("tx-checksumming:")) {
                return l.substring("tx-checksumming:".length()).strip().startsWith("on");
            }
        }
        throw new HostCommandException(List.of("ethtool", "-k", device), 0, "no tx-checksumming line in: " + out);
    }

    void requireEthtool() {
        if (!installed.test("ethtool")) {
            throw new BindingException("ethtool is not installed; it is needed to turn TX checksum offload off "
                    + "(apt-get install ethtool)");
        }
    }

    void requireNamespace(String name, String portId) {
        if (!namespaceExists.test(name)) {
            throw new BindingException("Network namespace '" + name + "' does not exist: create it (ip netns add "
                    + name + ") before binding port " + portId + " to it");
        }
    }

    /** Both ends exist, are veths, and point at each other. */
    private static boolean isPair(Optional<Link> host, Optional<Link> inside) {
        if (host.isEmpty() || inside.isEmpty()) {
            return false;
        }
        Link h = host.get();
        Link i = inside.get();
        return h.kind().equals(Optional.of("veth")) && i.kind().equals(Optional.of("veth"))
                && h.peerIfindex().equals(OptionalInt.of(i.ifindex()))
                && i.peerIfindex().equals(OptionalInt.of(h.ifindex()));
    }

    private Optional<String> defaultGateway(Optional<String> ns, String device, boolean v6) {
        List<String> gateways = new ArrayList<>();
        for (JsonElement e : ip.json(ns, family(v6), "route", "show", "default")) {
            JsonObject route = e.getAsJsonObject();
            if (route.has("gateway") && route.has("dev") && device.equals(route.get("dev").getAsString())) {
                gateways.add(route.get("gateway").getAsString());
            }
        }
        return gateways.size() == 1 ? Optional.of(gateways.get(0)) : Optional.empty();
    }

    private static String family(boolean v6) {
        return v6 ? "-6" : "-4";
    }
}
