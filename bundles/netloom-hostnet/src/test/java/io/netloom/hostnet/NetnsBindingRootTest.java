package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@link NetnsBinding} on the real kernel, as root: a port bound into a temporary namespace, with its host end in a
 * second temporary namespace (nothing is made in the host's own), read back, re-applied without change, removed.
 * Skipped when not root or without iproute2.
 */
public class NetnsBindingRootTest {

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final String workload = "nlt" + run + "-w";
    private final String router = "nlt" + run + "-h";
    private final HostCommand host = new HostCommand();
    private final List<List<String>> changes = new ArrayList<>();

    /** Counts the commands that change something, to prove that re-applying changes nothing. */
    private final CommandRunner recording = (command, stdin) -> {
        if (!command.contains("show") && !command.contains("-k")) {
            changes.add(command);
        }
        return host.execute(command, stdin);
    };

    @Before
    public void namespaces() {
        assumeTrue("needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs iproute2", HostCommand.locate("ip").isPresent());
        host.run(List.of("ip", "netns", "add", workload));
        host.run(List.of("ip", "netns", "add", router));
    }

    @After
    public void cleanUp() {
        for (String ns : List.of(workload, router)) {
            if (Iproute2.namespaceExists(ns)) {
                host.execute(List.of("ip", "netns", "del", ns), null);
            }
        }
    }

    @Test
    public void aPortIsBoundReadBackReappliedWithoutChangeAndRemoved() {
        NetnsBinding binding = new NetnsBinding(recording);
        NetnsBinding.Spec spec = NetnsBinding.Spec.of("port-roottest", workload, "02:00:0a:c8:fa:05", "10.200.250.5",
                24, "10.200.250.1").withHostNamespace(router).withMtu(1400);
        boolean ethtool = HostCommand.locate("ethtool").isPresent();
        if (ethtool) {
            spec = spec.withTxChecksumOffloadOff();
        }
        String hostEnd = binding.apply(spec);
        assertEquals(NetnsBinding.hostDevice("port-roottest"), hostEnd);

        Optional<NetnsBinding.State> state = binding.read("port-roottest", workload, Optional.of(router));
        assertTrue("bound", state.isPresent());
        assertTrue(state.get().toString(), state.get().matches(spec));
        assertEquals(1400, state.get().inside().mtu());
        if (ethtool) {
            assertFalse(binding.txChecksumOffload(workload, NetnsBinding.namespaceDevice("port-roottest")));
        }

        changes.clear();
        binding.apply(spec);
        assertEquals("re-applying a correct binding changes nothing", List.of(), changes);

        // Drift: an address changed by hand is reported, and apply repairs it in place.
        host.run(List.of("ip", "-n", workload, "addr", "flush", "dev", NetnsBinding.namespaceDevice("port-roottest")));
        assertFalse(binding.read("port-roottest", workload, Optional.of(router)).get().matches(spec));
        int ifindex = state.get().host().ifindex();
        binding.apply(spec);
        NetnsBinding.State repaired = binding.read("port-roottest", workload, Optional.of(router)).get();
        assertTrue(repaired.matches(spec));
        assertEquals("repaired without recreating the pair", ifindex, repaired.host().ifindex());

        binding.remove("port-roottest", workload, Optional.of(router));
        assertEquals(Optional.empty(), binding.read("port-roottest", workload, Optional.of(router)));
        binding.remove("port-roottest", workload, Optional.of(router));
    }
}
