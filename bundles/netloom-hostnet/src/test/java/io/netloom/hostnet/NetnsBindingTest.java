package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;

/**
 * The argument lists of {@link NetnsBinding}, against a fake runner: no host is touched.
 */
public class NetnsBindingTest {

    private static final String PORT = "port-0123456789ab";
    private static final String HOST = NetnsBinding.hostDevice(PORT);
    private static final String INSIDE = NetnsBinding.namespaceDevice(PORT);
    private static final NetnsBinding.Spec SPEC = NetnsBinding.Spec.of(PORT, "ns-a", "02:AA:00:00:00:05",
            "10.200.1.5", 24, "10.200.1.1");

    private static String link(String name, int ifindex, int peer, String mac, boolean up) {
        return "[{\"ifindex\":" + ifindex + ",\"link_index\":" + peer + ",\"ifname\":\"" + name + "\",\"flags\":["
                + (up ? "\"UP\"" : "") + "],\"mtu\":1500,\"operstate\":\"UP\",\"address\":\"" + mac
                + "\",\"linkinfo\":{\"info_kind\":\"veth\"}}]";
    }

    /** A host where the pair exists and is configured exactly as {@link #SPEC}, or does not exist before an add. */
    private static FakeRunner host(boolean existing) {
        AtomicBoolean created = new AtomicBoolean(existing);
        return new FakeRunner(c -> {
            String joined = String.join(" ", c);
            if (joined.contains("link add")) {
                created.set(true);
                return FakeRunner.ok(c, "");
            }
            if (joined.contains("link show dev " + HOST)) {
                return created.get() ? FakeRunner.ok(c, link(HOST, 7, 2, "aa:aa:aa:aa:aa:aa", existing))
                        : FakeRunner.missingDevice(c);
            }
            if (joined.contains("link show dev " + INSIDE)) {
                return created.get() ? FakeRunner.ok(c, link(INSIDE, 2, 7, "02:aa:00:00:00:05", existing))
                        : FakeRunner.missingDevice(c);
            }
            if (joined.contains("link show dev lo")) {
                return FakeRunner.ok(c, "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[" + (existing ? "\"UP\"" : "")
                        + "],\"mtu\":65536,\"operstate\":\"UNKNOWN\"}]");
            }
            if (joined.contains("addr show")) {
                return FakeRunner.ok(c, existing ? "[{\"ifname\":\"" + INSIDE
                        + "\",\"addr_info\":[{\"family\":\"inet\","
                        + "\"local\":\"10.200.1.5\",\"prefixlen\":24,\"scope\":\"global\"},{\"family\":\"inet6\","
                        + "\"local\":\"fe80::1\",\"prefixlen\":64,\"scope\":\"link\"}]}]" : "[]");
            }
            if (joined.contains("route show default")) {
                return FakeRunner.ok(c, existing ? "[{\"dst\":\"default\",\"gateway\":\"10.200.1.1\",\"dev\":\""
                        + INSIDE + "\"}]" : "[]");
            }
            if (joined.contains("ethtool -k")) {
                return FakeRunner.ok(c, "Features for x:\nrx-checksumming: on\ntx-checksumming: on\n");
            }
            return FakeRunner.ok(c, "");
        });
    }

    private static NetnsBinding binding(FakeRunner runner, Set<String> namespaces) {
        return new NetnsBinding(runner, namespaces::contains, tool -> true);
    }

    @Test
    public void aNewBindingCreatesThePairAndConfiguresTheNamespaceEnd() {
        FakeRunner runner = host(false);
        assertEquals(HOST, binding(runner, Set.of("ns-a")).apply(SPEC));
        assertEquals(List.of(
                List.of("ip", "link", "add", "name", HOST, "type", "veth", "peer", "name", INSIDE, "address",
                        "02:aa:00:00:00:05", "netns", "ns-a"),
                List.of("ip", "-n", "ns-a", "link", "set", "dev", INSIDE, "up"),
                List.of("ip", "-n", "ns-a", "addr", "add", "10.200.1.5/24", "dev", INSIDE),
                List.of("ip", "-n", "ns-a", "link", "set", "dev", "lo", "up"),
                List.of("ip", "-n", "ns-a", "-4", "route", "replace", "default", "via", "10.200.1.1", "dev", INSIDE),
                List.of("ip", "link", "set", "dev", HOST, "up")), runner.changes());
    }

    @Test
    public void reApplyingACorrectBindingChangesNothing() {
        FakeRunner runner = host(true);
        binding(runner, Set.of("ns-a")).apply(SPEC);
        assertEquals(List.of(), runner.changes());
    }

    @Test
    public void theHostEndCanLiveInAnotherNamespace() {
        FakeRunner runner = host(false);
        binding(runner, Set.of("ns-a", "router")).apply(SPEC.withHostNamespace("router"));
        assertEquals(List.of("ip", "-n", "router", "link", "add", "name", HOST, "type", "veth", "peer", "name", INSIDE,
                "address", "02:aa:00:00:00:05", "netns", "ns-a"), runner.changes().get(0));
        assertEquals(List.of("ip", "-n", "router", "link", "set", "dev", HOST, "up"),
                runner.changes().get(runner.changes().size() - 1));
    }

    @Test
    public void txChecksumOffloadIsTurnedOffWhenAsked() {
        FakeRunner runner = host(true);
        binding(runner, Set.of("ns-a")).apply(SPEC.withTxChecksumOffloadOff());
        assertEquals(List.of(List.of("ip", "netns", "exec", "ns-a", "ethtool", "-K", INSIDE, "tx", "off")),
                runner.changes());
    }

    @Test
    public void aMissingEthtoolIsNamed() {
        FakeRunner runner = host(true);
        BindingException e = assertThrows(BindingException.class, () -> new NetnsBinding(runner, ns -> true,
                tool -> false).apply(SPEC.withTxChecksumOffloadOff()));
        assertTrue(e.getMessage(), e.getMessage().contains("ethtool is not installed"));
    }

    @Test
    public void aMissingNamespaceIsAClearErrorAndNothingIsRun() {
        FakeRunner runner = host(false);
        BindingException e = assertThrows(BindingException.class, () -> binding(runner, Set.of()).apply(SPEC));
        assertTrue(e.getMessage(), e.getMessage().contains("Network namespace 'ns-a' does not exist"));
        assertEquals(List.of(), runner.commands);
    }

    @Test
    public void readReportsWhatTheKernelHolds() {
        FakeRunner runner = host(true);
        Optional<NetnsBinding.State> state = binding(runner, Set.of("ns-a")).read(PORT, "ns-a", Optional.empty());
        assertTrue(state.isPresent());
        assertEquals(List.of(new InterfaceAddress("10.200.1.5", 24)), state.get().addresses());
        assertEquals(Optional.of("10.200.1.1"), state.get().gateway());
        assertTrue(state.get().matches(SPEC));
        assertFalse(state.get().matches(NetnsBinding.Spec.of(PORT, "ns-a", "02:aa:00:00:00:05", "10.200.1.6", 24,
                "10.200.1.1")));
        assertEquals(List.of(), runner.changes());
    }

    @Test
    public void aHalfPairReadsAsNoBinding() {
        FakeRunner runner = new FakeRunner(c -> String.join(" ", c).contains(HOST) ? FakeRunner.missingDevice(c)
                : FakeRunner.ok(c, link(INSIDE, 2, 7, "02:aa:00:00:00:05", true)));
        assertEquals(Optional.empty(), binding(runner, Set.of("ns-a")).read(PORT, "ns-a", Optional.empty()));
    }

    @Test
    public void malformedSpecificationsNeverReachACommandLine() {
        assertThrows(IllegalArgumentException.class, () -> NetnsBinding.Spec.of(PORT, "ns a", "02:00:00:00:00:01",
                "10.200.1.5", 24, "10.200.1.1"));
        assertThrows(IllegalArgumentException.class, () -> NetnsBinding.Spec.of(PORT, "ns", "02:00:00:00:00",
                "10.200.1.5", 24, "10.200.1.1"));
        assertThrows(IllegalArgumentException.class, () -> NetnsBinding.Spec.of(PORT, "ns", "02:00:00:00:00:01",
                "10.200.1.5;reboot", 24, "10.200.1.1"));
        assertThrows(IllegalArgumentException.class, () -> NetnsBinding.Spec.of(PORT, "ns", "02:00:00:00:00:01",
                "10.200.1.5", 33, "10.200.1.1"));
    }

    @Test
    public void aFreshPairNeedsItsNamespaceEndConfiguredAndNothingElse() {
        NetnsBinding.Spec spec = SPEC.withTxChecksumOffloadOff();
        List<Change> changes = NetnsBinding.changes(spec, NetnsBinding.Observed.fresh(spec));
        Optional<String> ns = Optional.of("ns-a");
        assertEquals(List.of(new Change.LinkUp(ns, INSIDE),
                new Change.AddressAdd(ns, INSIDE, new InterfaceAddress("10.200.1.5", 24)),
                new Change.LinkUp(ns, "lo"), new Change.DefaultRoute(ns, INSIDE, "10.200.1.1", false),
                new Change.TxChecksumOffloadOff(ns, INSIDE)), changes);
        assertEquals("a batch line takes no family option",
                List.of("route", "replace", "default", "via", "10.200.1.1", "dev", INSIDE), changes.get(3).batchLine());
        assertEquals(List.of("-4", "route", "replace", "default", "via", "10.200.1.1", "dev", INSIDE),
                changes.get(3).ipArguments());
    }

    @Test
    public void aDriftedBindingGetsOnlyItsRepairsInOrder() {
        NetnsBinding.Spec spec = SPEC.withMtu(1400).withHostNamespace("router");
        NetnsBinding.Observed right = new NetnsBinding.Observed("02:aa:00:00:00:05", 1400, true, 1400, true,
                List.of(new InterfaceAddress("10.200.1.5", 24)), true, Optional.of("10.200.1.1"), false);
        assertEquals(List.of(), NetnsBinding.changes(spec, right));

        NetnsBinding.Observed drifted = new NetnsBinding.Observed("02:aa:00:00:00:99", 1500, true, 1500, false,
                List.of(new InterfaceAddress("10.200.1.77", 24)), true, Optional.of("10.200.1.254"), false);
        Optional<String> ns = Optional.of("ns-a");
        assertEquals(List.of(new Change.LinkAddress(ns, INSIDE, "02:aa:00:00:00:05"),
                new Change.LinkMtu(ns, INSIDE, 1400), new Change.LinkMtu(Optional.of("router"), HOST, 1400),
                new Change.AddressDel(ns, INSIDE, new InterfaceAddress("10.200.1.77", 24)),
                new Change.AddressAdd(ns, INSIDE, new InterfaceAddress("10.200.1.5", 24)),
                new Change.DefaultRoute(ns, INSIDE, "10.200.1.1", false),
                new Change.LinkUp(Optional.of("router"), HOST)), NetnsBinding.changes(spec, drifted));
    }

    @Test
    public void removeDeletesThePair() {
        FakeRunner runner = host(true);
        binding(runner, Set.of("ns-a")).remove(PORT, "ns-a", Optional.empty());
        assertEquals(List.of("ip", "link", "del", "dev", HOST), runner.changes().get(0));
    }
}
