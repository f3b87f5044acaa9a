package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

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
}
