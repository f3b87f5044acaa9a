package io.netloom.core.internal.ip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import inet.ipaddr.IPAddress;
import io.netloom.api.ValidationException;

public class CidrsTest {

    private static final String FIELD = "cidrs[0]";

    private static String canonicalPrefix(String text) {
        return Cidrs.canonical(Cidrs.parsePrefix(text, FIELD));
    }

    private static ValidationException rejectedPrefix(String text) {
        ValidationException e = assertThrows(ValidationException.class, () -> Cidrs.parsePrefix(text, FIELD));
        assertEquals("INVALID_CIDR", e.code());
        assertEquals(FIELD, e.field().orElseThrow());
        return e;
    }

    private static ValidationException rejectedAddress(String text) {
        ValidationException e = assertThrows(ValidationException.class, () -> Cidrs.parseAddress(text, "ip"));
        assertEquals("INVALID_ADDRESS", e.code());
        assertEquals("ip", e.field().orElseThrow());
        return e;
    }

    private static IPAddress prefix(String text) {
        return Cidrs.parsePrefix(text, FIELD);
    }

    private static IPAddress address(String text) {
        return Cidrs.parseAddress(text, "ip");
    }

    @Test
    public void wellFormedPrefixesParseToTheirCanonicalForm() {
        assertEquals("10.1.0.0/16", canonicalPrefix("10.1.0.0/16"));
        assertEquals("10.0.0.0/8", canonicalPrefix("10.0.0.0/8"));
        assertEquals("192.168.1.0/24", canonicalPrefix("192.168.1.0/24"));
        assertEquals("10.0.0.5/32", canonicalPrefix("10.0.0.5/32"));
        assertEquals("0.0.0.0/0", canonicalPrefix("0.0.0.0/0"));
        assertEquals("fd00:1::/64", canonicalPrefix("fd00:1::/64"));
        assertEquals("::/0", canonicalPrefix("::/0"));
    }

    @Test
    public void ipv6PrefixesAreCompressedAndLowerCased() {
        assertEquals("fd00:1::/64", canonicalPrefix("FD00:0001:0000:0000::/64"));
        assertEquals("2001:db8::/32", canonicalPrefix("2001:0DB8::/32"));
        assertEquals("fd00:0:1:1:1:1:1:1/128", canonicalPrefix("fd00:0:1:1:1:1:1:1/128"));
        assertEquals("2001:db8::1:0:0:1/128", canonicalPrefix("2001:db8:0:0:1:0:0:1/128"));
    }

    @Test
    public void parsedPrefixIsTheWholeBlock() {
        IPAddress block = prefix("10.1.0.0/16");
        assertEquals(Integer.valueOf(16), block.getNetworkPrefixLength());
        assertEquals("10.1.255.255", Cidrs.canonicalAddress(block.getUpper()));
    }

    @Test
    public void nullAndEmptyPrefixesAreRejected() {
        rejectedPrefix(null);
        rejectedPrefix("");
    }

    @Test
    public void prefixWithoutLengthIsRejected() {
        assertTrue(rejectedPrefix("10.1.0.0").getMessage().contains("no prefix length"));
        rejectedPrefix("fd00:1::");
        rejectedPrefix("10.1.0.0/");
    }

    @Test
    public void prefixLengthOutOfRangeIsRejected() {
        assertTrue(rejectedPrefix("10.0.0.0/33").getMessage().contains("0 to 32"));
        assertTrue(rejectedPrefix("::/129").getMessage().contains("0 to 128"));
        rejectedPrefix("10.0.0.0/-1");
        rejectedPrefix("10.0.0.0/+8");
        rejectedPrefix("10.0.0.0/1000");
    }

    @Test
    public void prefixLengthWithLeadingZeroIsRejected() {
        rejectedPrefix("10.1.0.0/016");
        rejectedPrefix("10.0.0.0/08");
        rejectedPrefix("0.0.0.0/00");
    }

    @Test
    public void octetAbove255IsRejectedAndNamed() {
        assertTrue(rejectedPrefix("10.0.258.0/24").getMessage().contains("258"));
        rejectedPrefix("256.0.0.0/8");
        rejectedPrefix("10.0.1000.0/24");
    }

    @Test
    public void leadingZerosInOctetsAreRejected() {
        assertTrue(rejectedPrefix("010.1.0.0/16").getMessage().contains("leading zero"));
        assertTrue(rejectedPrefix("10.01.0.0/16").getMessage().contains("'01'"));
        rejectedPrefix("10.1.00.0/24");
    }

    @Test
    public void hostBitsSetIsRejectedAndNamesTheNetwork() {
        String message = rejectedPrefix("10.1.0.5/16").getMessage();
        assertTrue(message, message.contains("host bits"));
        assertTrue(message, message.contains("10.1.0.0/16"));
        assertTrue(rejectedPrefix("fd00:1::1/64").getMessage().contains("fd00:1::/64"));
    }

    @Test
    public void whitespaceAnywhereIsRejected() {
        assertTrue(rejectedPrefix(" 10.1.0.0/16").getMessage().contains("whitespace"));
        rejectedPrefix("10.1.0.0/16 ");
        rejectedPrefix("10.1.0.0 /16");
        rejectedPrefix("10.1.0.0/16\n");
        rejectedPrefix("10.1.0.0/\t16");
    }

    @Test
    public void trailingGarbageIsRejected() {
        rejectedPrefix("10.1.0.0/16x");
        rejectedPrefix("10.1.0.0/16/16");
        rejectedPrefix("10.1.0.0//16");
        rejectedPrefix("10.1.0.0x/16");
        rejectedPrefix("10.1.0.0/16\u0000");
    }

    @Test
    public void inetAtonShorthandsAreRejected() {
        assertTrue(rejectedPrefix("10.1/16").getMessage().contains("four"));
        rejectedPrefix("10/8");
        rejectedPrefix("167772160/8");
        assertTrue(rejectedPrefix("0x0a.1.2.3/32").getMessage().contains("0x0a"));
        rejectedPrefix("1.2.3.4.5/32");
        rejectedPrefix("10..0.0/16");
    }

    @Test
    public void wildcardsRangesMasksAndZonesAreRejected() {
        rejectedPrefix("10.*.0.0/16");
        rejectedPrefix("10.0-1.0.0/16");
        rejectedPrefix("10.0.0.0/255.0.0.0");
        assertTrue(rejectedPrefix("fe80::%eth0/64").getMessage().contains("zone"));
        rejectedPrefix("[fd00::]/64");
        rejectedPrefix("/16");
    }

    @Test
    public void malformedIpv6IsRejected() {
        rejectedPrefix("fd00:00001::/64");
        rejectedPrefix("fd00::1::/64");
        rejectedPrefix("fd00:g::/64");
        rejectedPrefix("1:2:3:4:5:6:7:8:9/128");
    }

    @Test
    public void ipv4MappedAndMixedNotationIsRejected() {
        assertTrue(rejectedPrefix("::ffff:10.0.0.0/104").getMessage().contains("IPv4"));
        assertTrue(rejectedPrefix("::ffff:a00:0/104").getMessage().contains("IPv4-mapped"));
        rejectedPrefix("::ffff:0:0/96");
        rejectedAddress("::ffff:10.0.0.1");
        rejectedAddress("::ffff:a00:1");
    }

    @Test
    public void overlongInputIsRejectedWithoutEchoingIt() {
        String text = "10.1.0.0/16" + "0".repeat(60);
        String message = rejectedPrefix(text).getMessage();
        assertFalse(message, message.contains(text));
        assertTrue(message, message.contains("64"));
    }

    @Test
    public void singleAddressesParseToTheirCanonicalForm() {
        assertEquals("10.1.0.5", Cidrs.canonicalAddress(address("10.1.0.5")));
        assertEquals("fd00:1::5", Cidrs.canonicalAddress(address("FD00:1:0::05")));
        assertEquals("::", Cidrs.canonicalAddress(address("::")));
        assertEquals(null, address("10.1.0.5").getNetworkPrefixLength());
    }

    @Test
    public void malformedSingleAddressesAreRejected() {
        rejectedAddress(null);
        rejectedAddress("");
        assertTrue(rejectedAddress("10.1.0.5/32").getMessage().contains("prefix length"));
        rejectedAddress("10.1.0.256");
        rejectedAddress("10.1.0.05");
        rejectedAddress("10.1");
        rejectedAddress(" 10.1.0.5");
        rejectedAddress("example.com");
        rejectedAddress("localhost");
        rejectedAddress("fe80::1%eth0");
    }

    @Test
    public void containsHoldsForNestedPrefixesAndAddresses() {
        IPAddress net = prefix("10.1.0.0/16");
        assertTrue(Cidrs.contains(net, prefix("10.1.2.0/24")));
        assertTrue(Cidrs.contains(net, net));
        assertTrue(Cidrs.contains(net, address("10.1.255.255")));
        assertFalse(Cidrs.contains(net, address("10.2.0.0")));
        assertFalse(Cidrs.contains(prefix("10.1.2.0/24"), net));
        assertTrue(Cidrs.contains(prefix("fd00::/8"), prefix("fd00:1::/64")));
        assertTrue(Cidrs.contains(prefix("::/0"), address("fd00::1")));
    }

    @Test
    public void containsIsFalseAcrossIpVersions() {
        assertFalse(Cidrs.contains(prefix("0.0.0.0/0"), address("::1")));
        assertFalse(Cidrs.contains(prefix("::/0"), address("10.0.0.1")));
        assertFalse(Cidrs.contains(prefix("::/0"), prefix("10.0.0.0/8")));
    }

    @Test
    public void overlapsHoldsForNestedAndEqualPrefixesOnly() {
        assertTrue(Cidrs.overlaps(prefix("10.0.0.0/8"), prefix("10.1.0.0/16")));
        assertTrue(Cidrs.overlaps(prefix("10.1.0.0/16"), prefix("10.0.0.0/8")));
        assertTrue(Cidrs.overlaps(prefix("10.1.0.0/16"), prefix("10.1.0.0/16")));
        assertFalse(Cidrs.overlaps(prefix("10.1.0.0/16"), prefix("10.2.0.0/16")));
        assertFalse(Cidrs.overlaps(prefix("10.1.0.0/24"), prefix("10.1.1.0/24")));
        assertTrue(Cidrs.overlaps(prefix("fd00::/48"), prefix("fd00:0:0:1::/64")));
        assertFalse(Cidrs.overlaps(prefix("0.0.0.0/0"), prefix("::/0")));
    }

    @Test
    public void canonicalRefusesWhatIsNotAPrefixBlock() {
        assertThrows(IllegalArgumentException.class, () -> Cidrs.canonical(address("10.1.0.5")));
        assertThrows(IllegalArgumentException.class, () -> Cidrs.canonicalAddress(prefix("10.1.0.0/16")));
    }
}
