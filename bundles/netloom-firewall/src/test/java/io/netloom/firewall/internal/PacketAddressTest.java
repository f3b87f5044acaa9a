package io.netloom.firewall.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import inet.ipaddr.IPAddressString;
import io.netloom.api.ValidationException;

public class PacketAddressTest {

    @Test
    public void addressesRoundTripThroughTheirCanonicalText() {
        for (String text : new String[] {"0.0.0.0", "10.1.2.3", "255.255.255.255", "::", "fd00:1::5",
            "2001:db8:ffff:1:2:3:4:ffff"}) {
            assertEquals(text, PacketAddress.parse(text).toString());
        }
    }

    @Test
    public void handReadIpv4AgreesWithTheLibraryAndLeavesEverythingElseToIt() {
        for (String text : new String[] {"0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.0.1", "192.168.100.200"}) {
            assertEquals(text, PacketAddress.of(new IPAddressString(text).getAddress()),
                    new PacketAddress(false, 0L, PacketAddress.dottedQuad(text)));
        }
        for (String text : new String[] {"256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3",
            "1.2.3.4 ", "1.2.3.1000", "1.2.3.-1", "a.b.c.d", "1.2.3.04", "0.0.0.00", "::1", "9999.1.1.1", ""}) {
            assertEquals(text, -1, PacketAddress.dottedQuad(text));
        }
    }

    @Test
    public void shorthandsPrefixesAndGarbageAreRejected() {
        for (String text : new String[] {"", "10.1", "10.0.0.0/8", "10.0.0.*", "fe80::1%eth0", "example.org",
            "10.0.0.1-5"}) {
            ValidationException e = assertThrows(text, ValidationException.class, () -> PacketAddress.parse(text));
            assertEquals("INVALID_ADDRESS", e.code());
        }
        assertThrows(ValidationException.class, () -> PacketAddress.parse(null));
    }

    @Test
    public void prefixesContainWhatLiesInside() {
        Prefix v4 = Prefix.parse("10.1.0.0/16");
        assertTrue(v4.contains(PacketAddress.parse("10.1.255.255")));
        assertFalse(v4.contains(PacketAddress.parse("10.2.0.0")));
        assertTrue(v4.contains(Prefix.parse("10.1.2.0/24")));
        assertFalse(v4.contains(Prefix.parse("10.0.0.0/8")));
        assertTrue(v4.overlaps(Prefix.parse("10.0.0.0/8")));
        assertFalse(v4.overlaps(Prefix.parse("::/0")));
        assertTrue(Prefix.parse("::/0").contains(PacketAddress.parse("fd00::1")));
        assertFalse(Prefix.parse("0.0.0.0/0").contains(PacketAddress.parse("fd00::1")));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.1.0.1/16"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.1.0.1"));
    }
}
