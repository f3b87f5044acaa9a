package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class DeviceNamesTest {

    @Test
    public void namesAreFifteenCharactersOfPrefixAndHashAndStable() {
        String name = DeviceNames.of("nlh", "port-0123456789ab");
        assertEquals(15, name.length());
        assertTrue(name, name.matches("nlh[0-9a-f]{12}"));
        assertEquals(name, DeviceNames.of("nlh", "port-0123456789ab"));
        assertNotEquals(name, DeviceNames.of("nlh", "port-0123456789ac"));
        assertNotEquals(name.substring(3), DeviceNames.of("nlb", "port-0123456789ab").substring(4));
    }

    @Test
    public void hostileIdsStillGivePlainNames() {
        String name = DeviceNames.of("nlr", "../; rm -rf / $(reboot)\n");
        assertTrue(name, DeviceNames.isValid(name));
    }

    @Test
    public void badPrefixesAndEmptyIdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.of("NL", "x"));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.of("n-l", "x"));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.of("toolongprefix", "x"));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.of("nl", ""));
    }

    @Test
    public void validationFollowsTheKernelLimitAndPlainCharacters() {
        assertTrue(DeviceNames.isValid("eth0"));
        assertTrue(DeviceNames.isValid("a.b-c_d"));
        assertFalse(DeviceNames.isValid("sixteen-chars-xx"));
        assertFalse(DeviceNames.isValid("a b"));
        assertFalse(DeviceNames.isValid("a/b"));
        assertFalse(DeviceNames.isValid(".."));
        assertFalse(DeviceNames.isValid(""));
        assertFalse(DeviceNames.isValid(null));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.validate("x;y"));
    }

    @Test
    public void namespaceNamesArePlainAndBounded() {
        assertEquals("ns-a.1_b", DeviceNames.validateNamespace("ns-a.1_b"));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.validateNamespace("-n"));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.validateNamespace("a/b"));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.validateNamespace(".."));
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.validateNamespace("x".repeat(65)));
    }
}
