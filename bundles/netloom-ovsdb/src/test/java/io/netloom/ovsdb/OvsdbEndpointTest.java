package io.netloom.ovsdb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.Test;

public class OvsdbEndpointTest {

    @Test
    public void unixEndpointParsesToASocketPath() {
        OvsdbEndpoint endpoint = OvsdbEndpoint.parse("unix:/var/run/openvswitch/db.sock");

        assertEquals(new OvsdbEndpoint.Unix(Path.of("/var/run/openvswitch/db.sock")), endpoint);
        assertTrue(endpoint.socketAddress() instanceof UnixDomainSocketAddress);
        assertEquals("unix:/var/run/openvswitch/db.sock", endpoint.toString());
    }

    @Test
    public void tcpEndpointParsesHostAndPort() {
        OvsdbEndpoint endpoint = OvsdbEndpoint.parse("tcp:127.0.0.1:6640");

        assertEquals(new OvsdbEndpoint.Tcp("127.0.0.1", 6640), endpoint);
        assertEquals(6640, ((InetSocketAddress) endpoint.socketAddress()).getPort());
        assertEquals("tcp:127.0.0.1:6640", endpoint.toString());
    }

    @Test
    public void tcpEndpointAcceptsABracketedIpv6Address() {
        OvsdbEndpoint endpoint = OvsdbEndpoint.parse("tcp:[::1]:6641");

        assertEquals(new OvsdbEndpoint.Tcp("::1", 6641), endpoint);
        assertEquals("tcp:[::1]:6641", endpoint.toString());
    }

    @Test
    public void malformedEndpointsAreRejectedWithTheReason() {
        assertMessage("ssl:1.2.3.4:6640", "expected unix:/path/db.sock or tcp:HOST:PORT");
        assertMessage("unix:", "empty socket path");
        assertMessage("tcp:host", "is not tcp:HOST:PORT");
        assertMessage("tcp:host:abc", "non-numeric port");
        assertMessage("tcp:host:70000", "not in 1-65535");
        assertMessage("tcp::6640", "needs a host");
        assertMessage("tcp:[::1]6640", "is not tcp:[IPV6]:PORT");
    }

    private static void assertMessage(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OvsdbEndpoint.parse(text));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
}
