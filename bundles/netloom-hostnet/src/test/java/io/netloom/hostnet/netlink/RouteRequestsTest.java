package io.netloom.hostnet.netlink;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.Test;

/**
 * The bytes of {@link RouteRequests}, checked field by field against the kernel's structures, and the reading of
 * answers.
 */
public class RouteRequestsTest {

    @Test
    public void aLinkUpByNameIsOneAcknowledgedNewLinkWithTheNameNulTerminatedAndPadded() {
        RouteRequests requests = new RouteRequests(7);
        int seq = requests.linkUp("nlp1234");
        ByteBuffer b = buffer(requests.bytes());

        assertEquals(7, seq);
        // nlmsghdr 16 + ifinfomsg 16 + rtattr 4 + "nlp1234\0" 8
        assertEquals(44, b.limit());
        assertEquals(44, b.getInt(0));
        assertEquals(RouteRequests.RTM_NEWLINK, b.getShort(4));
        assertEquals(RouteRequests.NLM_F_REQUEST | RouteRequests.NLM_F_ACK, b.getShort(6));
        assertEquals(7, b.getInt(8));
        assertEquals("family unspecified, index 0: found by name", 0, b.get(16));
        assertEquals(0, b.getInt(20));
        assertEquals("flags: up", RouteRequests.IFF_UP, b.getInt(24));
        assertEquals("change: only up", RouteRequests.IFF_UP, b.getInt(28));
        assertEquals(12, b.getShort(32));
        assertEquals(RouteRequests.IFLA_IFNAME, b.getShort(34));
        byte[] name = new byte[8];
        b.get(36, name);
        assertArrayEquals("nlp1234\0".getBytes(), name);
    }

    @Test
    public void addressesAndDefaultRoutesCarryTheFamilyPrefixIndexAndGateway() {
        RouteRequests requests = new RouteRequests(100);
        requests.address(42, "10.200.3.4", 20);
        requests.defaultRoute(42, "10.200.0.1");
        requests.address(43, "fd00:200::5", 64);
        ByteBuffer b = buffer(requests.bytes());

        // address: 16 + ifaddrmsg 8 + IFA_LOCAL 8 + IFA_ADDRESS 8
        assertEquals(40, b.getInt(0));
        assertEquals(RouteRequests.RTM_NEWADDR, b.getShort(4));
        assertEquals(RouteRequests.NLM_F_REQUEST | RouteRequests.NLM_F_ACK | RouteRequests.NLM_F_CREATE
                | RouteRequests.NLM_F_REPLACE, b.getShort(6));
        assertEquals(100, b.getInt(8));
        assertEquals(RouteRequests.AF_INET, b.get(16));
        assertEquals(20, b.get(17));
        assertEquals(42, b.getInt(20));
        assertEquals(8, b.getShort(24));
        assertEquals(RouteRequests.IFA_LOCAL, b.getShort(26));
        assertArrayEquals(new byte[] {10, (byte) 200, 3, 4}, bytes(b, 28, 4));
        assertEquals(RouteRequests.IFA_ADDRESS, b.getShort(34));

        // route: 16 + rtmsg 12 + RTA_GATEWAY 8 + RTA_OIF 8
        int r = 40;
        assertEquals(44, b.getInt(r));
        assertEquals(RouteRequests.RTM_NEWROUTE, b.getShort(r + 4));
        assertEquals(101, b.getInt(r + 8));
        assertEquals(RouteRequests.AF_INET, b.get(r + 16));
        assertEquals("default: no destination prefix", 0, b.get(r + 17));
        assertEquals(RouteRequests.RT_TABLE_MAIN, b.get(r + 20));
        assertEquals(RouteRequests.RTPROT_BOOT, b.get(r + 21));
        assertEquals(RouteRequests.RT_SCOPE_UNIVERSE, b.get(r + 22));
        assertEquals(RouteRequests.RTN_UNICAST, b.get(r + 23));
        assertEquals(RouteRequests.RTA_GATEWAY, b.getShort(r + 30));
        assertArrayEquals(new byte[] {10, (byte) 200, 0, 1}, bytes(b, r + 32, 4));
        assertEquals(RouteRequests.RTA_OIF, b.getShort(r + 38));
        assertEquals(42, b.getInt(r + 40));

        int v6 = r + 44;
        assertEquals(16 + 8 + 20 + 20, b.getInt(v6));
        assertEquals(RouteRequests.AF_INET6, b.get(v6 + 16));
        assertEquals(64, b.get(v6 + 17));
        assertEquals(v6 + 64, b.limit());
        assertEquals(3, requests.count());
        assertEquals("route replace default via 10.200.0.1 dev #42", requests.describe(101));
    }

    @Test
    public void answersAreAcknowledgementsRefusalsAndLinksBySequence() {
        ByteBuffer in = ByteBuffer.allocate(200).order(ByteOrder.nativeOrder());
        // an acknowledgement of 5: NLMSG_ERROR with error 0 (and the request's header after it)
        in.putInt(36).putShort(RouteRequests.NLMSG_ERROR).putShort((short) 0).putInt(5).putInt(0).putInt(0);
        in.put(new byte[16]);
        // a refusal of 6: -ENODEV
        in.putInt(36).putShort(RouteRequests.NLMSG_ERROR).putShort((short) 0).putInt(6).putInt(0).putInt(-19);
        in.put(new byte[16]);
        // the link asked for by 7: index 9
        in.putInt(32).putShort(RouteRequests.RTM_NEWLINK).putShort((short) 0).putInt(7).putInt(0);
        in.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(9).putInt(0).putInt(0);
        RouteRequests.Answers answers = new RouteRequests.Answers();

        answers.read(in.array(), in.position());

        assertTrue(answers.has(5));
        assertEquals(0, answers.error(5));
        assertEquals(19, answers.error(6));
        assertEquals(9, answers.index(7));
        assertEquals(0, answers.error(7));
        assertFalse(answers.has(8));
    }

    @Test
    public void aMessageLongerThanWhatWasReceivedIsRefused() {
        ByteBuffer in = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        in.putInt(100).putShort(RouteRequests.NLMSG_ERROR).putShort((short) 0).putInt(5).putInt(0).putInt(0);
        assertThrows(IllegalStateException.class, () -> new RouteRequests.Answers().read(in.array(), 32));
    }

    @Test
    public void addressesAreParsedStrictlyAndNeverLookedUp() {
        assertArrayEquals(new byte[] {10, (byte) 200, 0, 1}, Addresses.parse("10.200.0.1"));
        assertEquals(16, Addresses.parse("fd00::1").length);
        for (String bad : new String[] {"10.200.1", "10.200.0.256", "10.200.0.1.2", "localhost", "1.2.3.x", "::g",
            ""}) {
            assertThrows(bad, IllegalArgumentException.class, () -> Addresses.parse(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> new RouteRequests(1).linkUp("a-name-longer-than-15"));
    }

    private static ByteBuffer buffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    private static byte[] bytes(ByteBuffer b, int at, int length) {
        byte[] out = new byte[length];
        b.get(at, out);
        return out;
    }
}
