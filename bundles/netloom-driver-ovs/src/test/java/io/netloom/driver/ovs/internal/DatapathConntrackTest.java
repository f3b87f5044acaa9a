package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.netloom.api.driver.ConnectionPolicy.Connection;
import io.netloom.api.model.Protocol;
import io.netloom.hostnet.CommandResult;
import io.netloom.hostnet.HostCommandException;

public class DatapathConntrackTest {

    private static final String TCP = "tcp,orig=(src=10.200.93.11,dst=10.200.93.10,sport=40000,dport=5001),"
            + "reply=(src=10.200.93.10,dst=10.200.93.11,sport=5001,dport=40000),zone=3,protoinfo=(state=ESTABLISHED)";

    @Test
    public void aTcpConnectionIsReadInItsOriginalDirection() {
        DatapathConntrack.Tracked t = DatapathConntrack.parse(TCP).orElseThrow();
        assertEquals(new Connection(Protocol.TCP, "10.200.93.11", "10.200.93.10", 5001), t.connection());
        assertEquals("ct_nw_src=10.200.93.11,ct_nw_dst=10.200.93.10,ct_nw_proto=6,ct_tp_src=40000,ct_tp_dst=5001",
                t.tuple());
    }

    @Test
    public void anIcmpConnectionIsFlushedByTypeCodeAndId() {
        DatapathConntrack.Tracked t = DatapathConntrack.parse("icmp,orig=(src=10.200.93.11,dst=10.200.93.10,id=7,"
                + "type=8,code=0),reply=(src=10.200.93.10,dst=10.200.93.11,id=7,type=0,code=0),zone=3").orElseThrow();
        assertEquals(new Connection(Protocol.ICMP, "10.200.93.11", "10.200.93.10", 0), t.connection());
        assertEquals("ct_nw_src=10.200.93.11,ct_nw_dst=10.200.93.10,ct_nw_proto=1,icmp_type=8,icmp_code=0,icmp_id=7",
                t.tuple());
    }

    @Test
    public void otherLinesAreSkippedAndOnlyNumbersReachTheCommandLine() {
        assertEquals(Optional.empty(), DatapathConntrack.parse("sctp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=1,"
                + "dport=2),zone=1"));
        assertEquals(Optional.empty(), DatapathConntrack.parse(""));
        assertThrows(IllegalStateException.class, () -> DatapathConntrack.parse(
                "udp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=1,dport=zone=9),zone=1"));
    }

    @Test
    public void aZoneIsListedAndAConnectionThatEndedMeanwhileIsNoFailure() {
        List<List<String>> commands = new ArrayList<>();
        DatapathConntrack ended = new DatapathConntrack((command, stdin) -> {
            commands.add(command);
            return command.contains("dpctl/dump-conntrack") ? new CommandResult(command, 0, TCP + "\n", "")
                    : new CommandResult(command, 2, "", "ovs-vswitchd: failed to flush conntrack (No such file or "
                            + "directory)\n");
        }, () -> Path.of("/run/x/ovs-vswitchd.1.ctl"));
        DatapathConntrack.Tracked t = ended.list(3).get(0);
        ended.flush(3, t);
        assertEquals(List.of(List.of("ovs-appctl", "-t", "/run/x/ovs-vswitchd.1.ctl", "dpctl/dump-conntrack",
                "zone=3"), List.of("ovs-appctl", "-t", "/run/x/ovs-vswitchd.1.ctl", "dpctl/flush-conntrack", "zone=3",
                t.tuple())), commands);
        DatapathConntrack broken = new DatapathConntrack((command, stdin) -> new CommandResult(command, 1, "",
                "connection refused"), () -> Path.of("/run/x/ovs-vswitchd.1.ctl"));
        assertThrows(HostCommandException.class, () -> broken.flush(3, t));
    }
}
