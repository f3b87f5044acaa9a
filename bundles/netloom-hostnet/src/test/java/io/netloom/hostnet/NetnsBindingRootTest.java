package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;


/**
 * {@link NetnsBinding} on the real kernel, as root: a port bound into a temporary namespace, with its host end in a
 * second temporary namespace (nothing is made in the host's own), read back, re-applied without change, removed.
 * Every test runs twice: new namespace ends configured in process (netlink), and by a process per namespace.
 * Skipped when not root or without iproute2.
 */
@RunWith(Parameterized.class)
public class NetnsBindingRootTest {

    /** @return both ways of configuring a namespace */
    @Parameters(name = "inProcess={0}")
    public static List<Object[]> modes() {
        return List.of(new Object[] {true}, new Object[] {false});
    }

    /** Whether new namespace ends are configured in process. */
    @Parameter
    public boolean inProcess;

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    private final String workload = "nlt" + run + "-w";
    private final String router = "nlt" + run + "-h";
    private final String workload2 = "nlt" + run + "-v";
    private final String workload3 = "nlt" + run + "-x";
    private final String workload4 = "nlt" + run + "-y";
    private final String router2 = "nlt" + run + "-i";
    private final HostCommand host = new HostCommand();
    private final List<List<String>> changes = Collections.synchronizedList(new ArrayList<>());

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
        host.run(List.of("ip", "netns", "add", router2));
        for (String ns : List.of(workload2, workload3, workload4)) {
            host.run(List.of("ip", "netns", "add", ns));
        }
    }

    @After
    public void cleanUp() {
        for (String ns : List.of(workload, router, router2, workload2, workload3, workload4)) {
            if (Iproute2.namespaceExists(ns)) {
                host.execute(List.of("ip", "netns", "del", ns), null);
            }
        }
    }

    @Test
    public void aPortIsBoundReadBackReappliedWithoutChangeAndRemoved() {
        NetnsBinding binding = binding();
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

    @Test
    public void manyPortsAreBoundInBatchesAndAnExistingOneIsRepaired() {
        NetnsBinding binding = binding();
        boolean ethtool = HostCommand.locate("ethtool").isPresent();
        NetnsBinding.Spec drifted = spec("port-b4", workload4, 4, ethtool);
        binding.apply(drifted);
        int ifindex = binding.read("port-b4", workload4, Optional.of(router)).get().host().ifindex();
        host.run(List.of("ip", "-n", workload4, "addr", "flush", "dev", NetnsBinding.namespaceDevice("port-b4")));
        // One port per namespace: each namespace has one default route.
        List<NetnsBinding.Spec> specs = List.of(spec("port-b1", workload, 1, ethtool),
                spec("port-b2", workload2, 2, ethtool), spec("port-b3", workload3, 3, ethtool), drifted,
                spec("port-b5", "nlt" + run + "-gone", 5, ethtool));
        changes.clear();

        Map<String, RuntimeException> failures = binding.applyAll(specs);

        assertEquals(List.of("port-b5"), List.copyOf(failures.keySet()));
        assertTrue(failures.get("port-b5").getMessage(), failures.get("port-b5") instanceof BindingException);
        for (NetnsBinding.Spec spec : specs.subList(0, 4)) {
            NetnsBinding.State state = binding.read(spec.portId(), spec.namespace(), Optional.of(router)).orElseThrow();
            assertTrue(state.toString(), state.matches(spec));
            if (ethtool) {
                assertFalse(binding.txChecksumOffload(spec.namespace(), NetnsBinding.namespaceDevice(spec.portId())));
            }
        }
        assertEquals("the drifted pair is repaired, not recreated", ifindex,
                binding.read("port-b4", workload4, Optional.of(router)).get().host().ifindex());
        long batches = changes.stream().filter(c -> c.contains("-batch")).count();
        long single = changes.stream().filter(c -> c.contains("veth")).count();
        // one creating batch in the router namespace, one configuring batch per new namespace end unless in process
        assertEquals(changes.toString(), inProcess ? 1 : 4, batches);
        assertEquals("no pair made outside a batch: " + changes, 0, single);

        changes.clear();
        assertEquals(Map.of(), binding.applyAll(specs.subList(0, 4)));
        assertEquals("re-applying correct bindings changes nothing", List.of(), changes);
    }

    @Test
    public void pairsOfSeveralHostNamespacesAreMadeAtOnceAndASharedNamespaceIsConfiguredOnce() {
        NetnsBinding binding = binding();
        boolean ethtool = HostCommand.locate("ethtool").isPresent();
        // workload3 holds a port of each host namespace: it is configured once both pairs are made, in one batch.
        List<NetnsBinding.Spec> specs = List.of(spec("port-d1", workload, 1, ethtool),
                spec("port-d2", workload2, 2, ethtool).withHostNamespace(router2), spec("port-d3", workload3, 3,
                ethtool), spec("port-d4", workload3, 4, ethtool).withHostNamespace(router2));

        assertEquals(Map.of(), binding.applyAll(specs));

        for (NetnsBinding.Spec spec : specs.subList(0, 2)) {
            NetnsBinding.State state = binding.read(spec.portId(), spec.namespace(), spec.hostNamespace())
                    .orElseThrow();
            assertTrue(state.toString(), state.matches(spec));
        }
        for (NetnsBinding.Spec spec : specs.subList(2, 4)) {
            NetnsBinding.State state = binding.read(spec.portId(), spec.namespace(), spec.hostNamespace())
                    .orElseThrow();
            assertEquals(List.of(spec.interfaceAddress()), state.addresses());
            assertTrue(state.inside().up());
        }
        long batches = changes.stream().filter(c -> c.contains("-batch")).count();
        // one creating batch per host namespace, one configuring batch per workload namespace unless in process
        assertEquals(changes.toString(), inProcess ? 2 : 5, batches);
    }

    @Test
    public void aRefusedBatchFallsBackToOneByOne() {
        NetnsBinding binding = binding();
        boolean ethtool = HostCommand.locate("ethtool").isPresent();
        // A leftover device holding port-c2's namespace-end name in its namespace makes the creating batch fail.
        host.run(List.of("ip", "-n", workload2, "link", "add", "name", NetnsBinding.namespaceDevice("port-c2"),
                "type", "veth", "peer", "name", "nltleftover"));
        List<NetnsBinding.Spec> specs = List.of(spec("port-c1", workload, 1, ethtool),
                spec("port-c2", workload2, 2, ethtool), spec("port-c3", workload3, 3, ethtool));

        Map<String, RuntimeException> failures = binding.applyAll(specs);

        // One by one, each binding is read and repaired: port-c2's leftover is replaced by its own pair.
        assertEquals(Map.of(), failures);
        for (NetnsBinding.Spec spec : specs) {
            NetnsBinding.State state = binding.read(spec.portId(), spec.namespace(), Optional.of(router)).orElseThrow();
            assertTrue(state.toString(), state.matches(spec));
        }
        assertTrue("fell back to single commands: " + changes,
                changes.stream().anyMatch(c -> c.contains("veth") && !c.contains("-batch")));
    }

    @Test
    public void asRootOnLinuxNamespacesAreConfiguredInProcess() {
        assumeTrue(inProcess);
        assertTrue("the C library is reachable through JNA", InProcess.available().isPresent());
        NetnsBinding binding = binding();
        List<NetnsBinding.Spec> specs = List.of(spec("port-e1", workload, 1, false),
                spec("port-e2", workload2, 2, false), spec("port-e3", workload2, 3, false));
        assertEquals(Map.of(), binding.applyAll(specs));
        assertEquals("only the pairs' batch ran: " + changes, 1, changes.size());
        for (NetnsBinding.Spec spec : specs) {
            NetnsBinding.State state = binding.read(spec.portId(), spec.namespace(), Optional.of(router)).orElseThrow();
            assertEquals(List.of(spec.interfaceAddress()), state.addresses());
            assertTrue(state.inside().up());
            assertTrue(state.loopbackUp());
        }
        // two ends in one namespace: one default route, through the last one configured (as ip -batch leaves it)
        assertEquals(Optional.of("10.200.251.254"), binding.read("port-e3", workload2, Optional.of(router))
                .orElseThrow().gateway());
    }

    private NetnsBinding binding() {
        return new NetnsBinding(recording, Iproute2::namespaceExists, tool -> HostCommand.locate(tool).isPresent(),
                inProcess ? InProcess.available() : Optional.empty());
    }

    private NetnsBinding.Spec spec(String port, String namespace, int host, boolean ethtool) {
        NetnsBinding.Spec spec = NetnsBinding.Spec.of(port, namespace, String.format("02:00:0a:c8:fb:%02x", host),
                "10.200.251." + host, 24, "10.200.251.254").withHostNamespace(router);
        return ethtool ? spec.withTxChecksumOffloadOff() : spec;
    }
}
