package io.netloom.driver.ovs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.netloom.api.driver.DriverException;
import io.netloom.api.driver.PortEntry;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.NetnsBinding;

/**
 * Port plumbing through {@link NetnsBinding}: the namespace end gets the port's MAC, address and default route,
 * with TX checksum offload off when the userspace datapath needs it.
 */
final class NetnsPlumbing implements PortPlumbing {

    private final NetnsBinding binding = new NetnsBinding(new HostCommand());
    private final boolean checksumOffloadOff;
    private final Optional<String> hostNamespace;

    NetnsPlumbing(boolean checksumOffloadOff) {
        this(checksumOffloadOff, Optional.empty());
    }

    /**
     * @param hostNamespace where the host ends live, when the switch runs in another network namespace than the
     *     driver (several hosts on one machine); empty: the driver's own
     */
    NetnsPlumbing(boolean checksumOffloadOff, Optional<String> hostNamespace) {
        this.checksumOffloadOff = checksumOffloadOff;
        this.hostNamespace = hostNamespace;
    }

    @Override
    public String hostDevice(String portId) {
        return NetnsBinding.hostDevice(portId);
    }

    @Override
    public Map<String, String> bind(Map<PortEntry, Integer> prefixLengths, OptionalInt mtu) {
        List<NetnsBinding.Spec> specs = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, String> targets = new HashMap<>();
        prefixLengths.forEach((port, prefixLength) -> {
            targets.put(port.port(), port.bindingTarget());
            try {
                specs.add(new NetnsBinding.Spec(port.port(), port.bindingTarget(), port.mac(), port.ip(),
                        prefixLength, port.gateway(), mtu, checksumOffloadOff, hostNamespace));
            } catch (IllegalArgumentException e) {
                failures.put(port.port(), e.getMessage());
            }
        });
        binding.applyAll(specs).forEach((port, e) -> failures.put(port, "Port " + port
                + " cannot be bound to namespace " + targets.get(port) + ": " + e.getMessage()));
        return failures;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Read from sysfs, without starting a process, because the driver asks for every port at every read: the
     * host end of a veth pair exists and is up only while its namespace end does (deleting either end, or the
     * namespace, deletes both). A change made inside the namespace afterwards is not seen.
     */
    @Override
    public boolean isBound(PortEntry port, int prefixLength) {
        if (hostNamespace.isPresent()) {
            CommandResult link = new HostCommand().execute(List.of("ip", "-n", hostNamespace.get(), "-o", "link",
                    "show", "dev", hostDevice(port.port())), "");
            return link.exitCode() == 0 && link.stdout().contains("state UP");
        }
        Path device = Path.of("/sys/class/net", hostDevice(port.port()));
        try {
            return Files.exists(device) && Files.readString(device.resolve("operstate")).trim().equals("up");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void unbind(String portId) {
        Path device = Path.of("/sys/class/net", hostDevice(portId));
        if (hostNamespace.isEmpty() && !Files.exists(device)) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("ip"));
        hostNamespace.ifPresent(ns -> command.addAll(List.of("-n", ns)));
        command.addAll(List.of("link", "del", "dev", hostDevice(portId)));
        CommandResult result = new HostCommand().execute(command, "");
        // In another namespace a missing device is only known from ip's answer.
        boolean gone = hostNamespace.isPresent() && result.stderr().contains("Cannot find");
        if (result.exitCode() != 0 && !gone) {
            throw new DriverException("Cannot delete the host end of port " + portId + ": " + result.stderr().trim(),
                    null);
        }
    }
}
