package io.netloom.core.internal.ip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.junit.Test;

import io.netloom.api.ValidationException;

public class MacsTest {

    private static ValidationException rejected(String mac) {
        ValidationException e = assertThrows(ValidationException.class, () -> Macs.check(mac, "mac"));
        assertEquals("INVALID_MAC", e.code());
        assertEquals("mac", e.field().orElseThrow());
        return e;
    }

    @Test
    public void generatedMacsAreLocallyAdministeredUnicastAndCanonical() {
        Random random = new Random(42);
        for (int i = 0; i < 100; i++) {
            String mac = Macs.generate(random, Set.of());
            assertTrue(mac, mac.matches("02(:[0-9a-f]{2}){5}"));
            assertEquals(mac, Macs.check(mac, "mac"));
        }
    }

    @Test
    public void generatedMacsAvoidTheUsedSet() {
        String first = Macs.generate(new Random(7), Set.of());
        String second = Macs.generate(new Random(7), Set.of(first));
        assertNotEquals(first, second);

        Random random = new Random(1);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            assertTrue(used.add(Macs.generate(random, used)));
        }
        assertEquals(5000, used.size());
    }

    @Test
    public void generatorThatNeverYieldsAFreeMacFailsLoudly() {
        RandomGenerator stuck = () -> 0L;
        String only = Macs.generate(stuck, Set.of());
        assertEquals("02:00:00:00:00:00", only);
        assertThrows(IllegalStateException.class, () -> Macs.generate(stuck, Set.of(only)));
    }

    @Test
    public void checkAcceptsCaseAndDashSeparatorsAndCanonicalises() {
        assertEquals("aa:bb:cc:dd:ee:fe", Macs.check("aa:bb:cc:dd:ee:fe", "mac"));
        assertEquals("aa:bb:cc:dd:ee:fe", Macs.check("AA:BB:CC:DD:EE:FE", "mac"));
        assertEquals("02:1a:2b:3c:4d:5e", Macs.check("02-1A-2b-3C-4d-5E", "mac"));
    }

    @Test
    public void malformedMacsAreRejected() {
        rejected(null);
        rejected("");
        rejected("aa:bb:cc:dd:ee");
        rejected("aa:bb:cc:dd:ee:ff:00");
        rejected("aa:bb:cc-dd:ee:ff");
        rejected("aabb.ccdd.eeff");
        rejected("aabbccddeeff");
        rejected("aa:bb:cc:dd:ee:gg");
        rejected(" aa:bb:cc:dd:ee:fe");
        rejected("a:bb:cc:dd:ee:fe");
    }

    @Test
    public void multicastMacIsRejected() {
        assertTrue(rejected("01:00:5e:00:00:01").getMessage().contains("multicast"));
        rejected("33:33:00:00:00:01");
        rejected("03:00:00:00:00:01");
    }

    @Test
    public void broadcastAndAllZeroMacsAreRejected() {
        assertTrue(rejected("ff:ff:ff:ff:ff:ff").getMessage().contains("broadcast"));
        rejected("FF-FF-FF-FF-FF-FF");
        rejected("00:00:00:00:00:00");
        assertFalse(Macs.check("00:00:00:00:00:01", "mac").isEmpty());
    }
}
