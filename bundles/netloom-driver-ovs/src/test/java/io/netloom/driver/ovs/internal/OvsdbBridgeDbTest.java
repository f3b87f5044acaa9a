package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import io.netloom.api.driver.DriverException;

/**
 * {@link OvsdbBridgeDb} against a real userspace Open vSwitch: ports added in bulk get their OpenFlow numbers, and an
 * interface whose name another bridge already holds fails alone instead of failing the whole batch. Skipped without
 * Open vSwitch or root.
 */
public class OvsdbBridgeDbTest {

    private static final String BRIDGE = "brnldbt";
    private static final String OTHER = "brnldbx";

    private final List<String> devices = new ArrayList<>();
    private OvsDaemons ovs;
    private OvsdbBridgeDb db;

    @After
    public void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
        try {
            if (ovs != null) {
                ovs.close();
            }
        } finally {
            for (String device : devices) {
                if (Files.exists(Path.of("/sys/class/net", device))) {
                    new ProcessBuilder("ip", "link", "del", device).redirectErrorStream(true).start().waitFor();
                }
            }
        }
    }

    @Test
    public void anInterfaceNameTakenElsewhereFailsAloneAndTheRestOfTheBatchIsNumbered() throws Exception {
        assumeTrue(OvsDaemons.available());
        ovs = OvsDaemons.start("nl-bridgedb-");
        for (String device : List.of("nldbt1", "nldbt2", "nldbt3", "nldbt4")) {
            devices.add(device);
            // This kernel has no dummy driver: the other end of a veth pair stands in for a workload.
            ProcessBuilder add = new ProcessBuilder("ip", "link", "add", device, "type", "veth", "peer", "name",
                    device + "p");
            assertEquals(0, add.redirectErrorStream(true).start().waitFor());
            assertEquals(0, new ProcessBuilder("ip", "link", "set", device, "up").start().waitFor());
        }
        devices.add(BRIDGE); // the bridge's tap device, left behind by ovs-vswitchd
        db = new OvsdbBridgeDb("unix:" + ovs.socket(), BRIDGE, "netdev", null);
        db.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!db.connected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue("connected to OVSDB", db.connected());
        db.ensureBridge();

        BridgeDb.Numbered first = db.addPorts(Map.of("p1", "nldbt1"));
        assertEquals(Map.of(), first.refused());
        assertEquals(Map.of("p1", db.ports().get("p1").ofport().orElseThrow()), first.ofports());

        // Someone put nldbt3 on another bridge by hand: that one port cannot be Netloom's, the others can.
        ovs.addBridge(OTHER);
        ovs.vsctl("add-port", OTHER, "nldbt3");
        Map<String, String> batch = new LinkedHashMap<>();
        batch.put("p1", "nldbt1");
        batch.put("p2", "nldbt2");
        batch.put("p3", "nldbt3");
        batch.put("p4", "nldbt4");
        BridgeDb.Numbered second = db.addPorts(batch);

        assertEquals(second.toString(), List.of("p3"), List.copyOf(second.refused().keySet()));
        assertEquals(second.toString(), Map.of("p1", first.ofports().get("p1"),
                "p2", db.ports().get("p2").ofport().orElseThrow(), "p4", db.ports().get("p4").ofport().orElseThrow()),
                second.ofports());
        assertEquals("p1, p2 and p4 on Netloom's bridge", List.of("p1", "p2", "p4"),
                db.ports().keySet().stream().sorted().toList());
        assertEquals("nldbt3 left where it was", OTHER, ovs.vsctl("port-to-br", "nldbt3").trim());
    }

    @Test
    public void aBridgeOfAnotherInstanceIsLeftAloneAndOneFromBeforeOwnersIsAdopted() throws Exception {
        assumeTrue(OvsDaemons.available());
        ovs = OvsDaemons.start("nl-bridgedb-");
        devices.add(BRIDGE);
        OvsdbBridgeDb first = new OvsdbBridgeDb("unix:" + ovs.socket(), BRIDGE, "netdev", null, "one");
        OvsdbBridgeDb second = new OvsdbBridgeDb("unix:" + ovs.socket(), BRIDGE, "netdev", null, "two");
        try {
            for (OvsdbBridgeDb d : List.of(first, second)) {
                d.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!d.connected() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue("connected to OVSDB", d.connected());
            }
            first.ensureBridge();
            assertEquals("one", ovs.vsctl("br-get-external-id", BRIDGE, OvsdbBridgeDb.INSTANCE_KEY).trim());
            // The second instance's setup refuses the bridge and changes nothing on it.
            ovs.vsctl("set", "Bridge", BRIDGE, "fail_mode=standalone");
            DriverException refused = assertThrows(DriverException.class, second::ensureBridge);
            assertTrue(refused.getMessage(), refused.getMessage().contains("instance one"));
            assertEquals("standalone", ovs.vsctl("get-fail-mode", BRIDGE).trim());
            waitUntil(() -> second.foreignOwner().equals(Optional.of("one")));
            assertEquals(Optional.empty(), first.foreignOwner());

            // A bridge from before bridges named their owner is adopted by the instance that sets it up.
            ovs.vsctl("br-set-external-id", BRIDGE, OvsdbBridgeDb.INSTANCE_KEY);
            waitUntil(() -> second.foreignOwner().isEmpty());
            second.ensureBridge();
            assertEquals("two", ovs.vsctl("br-get-external-id", BRIDGE, OvsdbBridgeDb.INSTANCE_KEY).trim());
            assertEquals("secure", ovs.vsctl("get-fail-mode", BRIDGE).trim());
            waitUntil(() -> first.foreignOwner().equals(Optional.of("two")));
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    public void theTunnelPortIsMadeOnceReadOnlyAsWrittenAndSetBackWhenChanged() throws Exception {
        assumeTrue(OvsDaemons.available());
        String ns = String.format("nlovdb%04x", ProcessHandle.current().pid() & 0xffff);
        EngineOnOvs.run("ip", "netns", "del", ns);
        assertTrue(EngineOnOvs.run("ip", "netns", "add", ns));
        try {
            // In a namespace of its own, so the bridge's tap device and the tunnel touch nothing outside it.
            ovs = OvsDaemons.startIn("nl-bridgedb-", ns);
            db = new OvsdbBridgeDb("unix:" + ovs.socket(), BRIDGE, "netdev", null, "ovtest");
            db.start();
            waitUntil(db::connected);
            db.ensureBridge();
            assertEquals(Optional.empty(), db.tunnelPort());

            int port = db.ensureTunnel();
            assertEquals(port, db.ensureTunnel());
            assertEquals(Optional.of(port), db.tunnelPort());
            String name = db.tunnelName();
            assertTrue(name, name.length() <= 15);
            assertEquals("vxlan", ovs.vsctl("get", "Interface", name, "type").trim());
            assertEquals("{key=flow, remote_ip=flow}", ovs.vsctl("get", "Interface", name, "options").trim());
            assertEquals("ovtest", ovs.vsctl("get", "Interface", name, "external_ids:" + OvsdbBridgeDb.INSTANCE_KEY)
                    .trim().replace("\"", ""));
            assertEquals(List.of(name), List.of(ovs.vsctl("list-ports", BRIDGE).trim().split("\n")));

            ovs.vsctl("set", "Interface", name, "options:key=5");
            waitUntil(() -> db.tunnelPort().isEmpty());
            int again = db.ensureTunnel();
            assertEquals("{key=flow, remote_ip=flow}", ovs.vsctl("get", "Interface", name, "options").trim());
            assertEquals(Optional.of(again), db.tunnelPort());
            assertEquals(List.of(name), List.of(ovs.vsctl("list-ports", BRIDGE).trim().split("\n")));
        } finally {
            EngineOnOvs.run("ip", "netns", "del", ns);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue("timed out", System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }
}
