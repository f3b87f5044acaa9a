package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.netloom.api.driver.ConnectionPolicy.Connection;
import io.netloom.api.model.Protocol;

public class ConntrackCutTest {

    @Test
    public void aTcpEntryIsReadInItsOriginalDirection() {
        ConntrackCut.Tracked t = ConntrackCut.parse("tcp      6 431999 ESTABLISHED src=10.200.5.11 dst=10.200.5.10 "
                + "sport=40000 dport=5001 src=10.200.5.10 dst=10.200.5.11 sport=5001 dport=40000 [ASSURED] mark=0 "
                + "use=1").orElseThrow();
        assertEquals(new Connection(Protocol.TCP, "10.200.5.11", "10.200.5.10", 5001), t.connection());
        assertEquals(List.of("-p", "tcp", "-s", "10.200.5.11", "-d", "10.200.5.10", "--sport", "40000", "--dport",
                "5001"), t.tuple());
    }

    @Test
    public void anIcmpEntryIsDeletedByTypeCodeAndId() {
        ConntrackCut.Tracked t = ConntrackCut.parse("icmp     1 29 src=10.200.77.1 dst=10.200.77.2 type=8 code=0 "
                + "id=11959 src=10.200.77.2 dst=10.200.77.1 type=0 code=0 id=11959 mark=0 use=1").orElseThrow();
        assertEquals(new Connection(Protocol.ICMP, "10.200.77.1", "10.200.77.2", 0), t.connection());
        assertEquals(List.of("-p", "icmp", "-s", "10.200.77.1", "-d", "10.200.77.2", "--icmp-type", "8",
                "--icmp-code", "0", "--icmp-id", "11959"), t.tuple());
    }

    @Test
    public void otherProtocolsAndOtherLinesAreSkipped() {
        assertEquals(Optional.empty(), ConntrackCut.parse("gre 47 179 src=10.0.0.1 dst=10.0.0.2 srckey=0x0"));
        assertEquals(Optional.empty(), ConntrackCut.parse(""));
        assertEquals(Optional.empty(), ConntrackCut.parse("tcp 6 10 CLOSE src=not-an-address dst=10.0.0.2 "
                + "sport=1 dport=2"));
    }

    @Test
    public void onlyNumbersReachTheCommandLine() {
        assertThrows(IllegalStateException.class, () -> ConntrackCut.parse("udp 17 29 src=10.0.0.1 dst=10.0.0.2 "
                + "sport=1 dport=-rf"));
        assertTrue(ConntrackCut.parse("udp 17 29 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=53").isPresent());
    }
}
