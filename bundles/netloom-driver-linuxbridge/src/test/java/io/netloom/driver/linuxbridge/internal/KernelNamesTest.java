package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.netloom.hostnet.DeviceNames;

public class KernelNamesTest {

    @Test
    public void theControllersOwnNodeKeepsItsNamesAndEachHostHasItsOwn() {
        String local = KernelNames.routerNamespace("net-1", KernelNames.LOCAL_NODE);
        assertEquals("upgrading renames nothing", DeviceNames.of(KernelNames.ROUTER, "net-1"), local);
        assertEquals(local, KernelNames.routerNamespace("net-1", null));
        String hostA = KernelNames.routerNamespace("net-1", "node-0123456789ab");
        String hostB = KernelNames.routerNamespace("net-1", "node-0123456789ac");
        assertNotEquals(local, hostA);
        assertNotEquals(hostA, hostB);
        assertTrue(hostA.startsWith(KernelNames.ROUTER) && hostA.length() <= 15);
    }

    @Test
    public void aBridgeMacIsStableUnicastLocallyAdministeredAndPerNode() {
        String mac = KernelNames.bridgeMac("sub-0123456789ab", "node-aaaaaaaaaaaa");
        assertTrue(mac, mac.matches("02(:[0-9a-f]{2}){5}"));
        assertEquals(mac, KernelNames.bridgeMac("sub-0123456789ab", "node-aaaaaaaaaaaa"));
        assertNotEquals(mac, KernelNames.bridgeMac("sub-0123456789ab", "node-bbbbbbbbbbbb"));
        assertNotEquals(mac, KernelNames.bridgeMac("sub-0123456789ac", "node-aaaaaaaaaaaa"));
    }
}
