package io.netloom.driver.ovs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netloom.api.driver.DriverException;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.HostCommand;

/**
 * The underlay of the userspace datapath, made by the driver when it is configured ({@code underlay.interface},
 * {@code underlay.address}): a netdev bridge ({@code br-phy}, {@link OvsdbBridgeDb#ensurePhyBridge}) holding the
 * underlay interface, with the interface's MAC and the underlay address on the bridge's own port, and an nftables
 * {@code netdev} ingress chain dropping what reaches the host stack from the interface (the host would answer ARP
 * for the bridge's address a second time; Open vSwitch reads the frames before that hook). Made before each apply's
 * first tunnel entry, then the tunnel's address is checked by {@link OvsRouteUnderlay}. Commands are argument
 * lists; the nftables table comes on standard input.
 */
final class PhyUnderlay implements TunnelUnderlay {

    /** The nftables table holding the drop. */
    static final String TABLE = "netloom_underlay";
    private static final Pattern MAC = Pattern.compile("link/ether ([0-9a-f:]{17})");
    private static final long WAIT_NANOS = 10_000_000_000L;

    private final OvsdbBridgeDb db;
    private final String bridge;
    private final String device;
    private final String address;
    private final Optional<String> namespace;
    private final TunnelUnderlay check;

    /**
     * @param db the OVSDB side
     * @param bridge the netdev bridge's name (at most 15 characters)
     * @param device the underlay interface
     * @param address the underlay address with its prefix length, such as {@code 10.200.250.11/24}
     * @param namespace the network namespace of ovs-vswitchd and the interface, when not the driver's own
     * @param check what then judges a tunnel's local address
     */
    PhyUnderlay(OvsdbBridgeDb db, String bridge, String device, String address, Optional<String> namespace,
            TunnelUnderlay check) {
        if (bridge.length() > 15 || !bridge.matches("[A-Za-z0-9_.-]+") || !device.matches("[A-Za-z0-9_.@-]{1,15}")) {
            throw new IllegalArgumentException("Not device names: " + bridge + ", " + device);
        }
        if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException("underlay.address must be an IPv4 address with its prefix length, not "
                    + address);
        }
        this.db = db;
        this.bridge = bridge;
        this.device = device;
        this.address = address;
        this.namespace = namespace;
        this.check = check;
    }

    @Override
    public Optional<String> problem(String localAddress) {
        if (!localAddress.equals(address.substring(0, address.indexOf('/')))) {
            return check.problem(localAddress);
        }
        Matcher mac = MAC.matcher(ip("-o", "link", "show", "dev", device));
        if (!mac.find()) {
            return Optional.of("The underlay interface " + device + " has no Ethernet address");
        }
        db.ensurePhyBridge(bridge, device, mac.group(1));
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (run(command("link", "show", "dev", bridge)).exitCode() != 0) {
            if (System.nanoTime() > deadline) {
                return Optional.of("ovs-vswitchd made no device for the underlay bridge " + bridge);
            }
            pause();
        }
        ip("addr", "replace", address, "dev", bridge);
        ip("link", "set", bridge, "up");
        List<String> nft = new ArrayList<>();
        namespace.ifPresent(ns -> nft.addAll(List.of("ip", "netns", "exec", ns)));
        nft.addAll(List.of("nft", "-f", "-"));
        CommandResult table = new HostCommand().execute(nft, "table netdev " + TABLE + "\ndelete table netdev " + TABLE
                + "\ntable netdev " + TABLE + " {\n  chain in {\n    type filter hook ingress device \"" + device
                + "\" priority 0; policy drop;\n  }\n}\n");
        if (table.exitCode() != 0) {
            throw new DriverException("nft refused the underlay table: " + table.stderr().trim(), null);
        }
        // ovs-vswitchd learns the new address from the kernel a moment later.
        Optional<String> problem = check.problem(localAddress);
        while (problem.isPresent() && System.nanoTime() < deadline) {
            pause();
            problem = check.problem(localAddress);
        }
        return problem;
    }

    private String ip(String... args) {
        CommandResult result = run(command(args));
        if (result.exitCode() != 0) {
            throw new DriverException(String.join(" ", command(args)) + " failed: " + result.stderr().trim(), null);
        }
        return result.stdout();
    }

    private List<String> command(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        namespace.ifPresent(ns -> argv.addAll(List.of("-n", ns)));
        argv.addAll(List.of(args));
        return argv;
    }

    private static CommandResult run(List<String> argv) {
        return new HostCommand().execute(argv, "");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted setting up the underlay", e);
        }
    }
}
