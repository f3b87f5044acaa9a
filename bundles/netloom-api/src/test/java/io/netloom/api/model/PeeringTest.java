package io.netloom.api.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.Test;

import io.netloom.api.codec.JsonCodec;

public class PeeringTest {

    private static final Network A = new Network("net-a", "a", "t1", List.of("10.1.0.0/16", "10.3.0.0/16"), "sim",
            Instant.EPOCH, RealisationStatus.PENDING, "");

    @Test
    public void aPeeringStoredBeforeAddressSpacesWereRecordedRoutesTheCurrentOnesWithAccessOn() {
        String stored = "{\"id\":\"peer-1\",\"name\":\"p\",\"tenant\":\"t1\",\"network\":\"net-a\","
                + "\"peerNetwork\":\"net-b\",\"allowForwardedTraffic\":false,\"state\":\"ACTIVE\",\"stateDetail\":\"\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
        Peering p = JsonCodec.gson().fromJson(stored, Peering.class);
        assertTrue(p.allowVirtualNetworkAccess());
        assertFalse(p.autoSync());
        assertNull(p.peerTenant());
        assertEquals(List.of(), p.networkCidrs());
        assertEquals(A.cidrs(), p.routedCidrs(A));
        assertTrue(p.isInSyncWith(A));
        assertEquals("", JsonCodec.gson().fromJson("{\"id\":\"net-a\",\"name\":\"a\",\"tenant\":\"t1\",\"cidrs\":[],"
                + "\"driver\":\"sim\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"status\":\"ACTIVE\","
                + "\"statusDetail\":\"\"}", Network.class).description());
    }

    @Test
    public void aRecordedAddressSpaceIsWhatIsRoutedAndInSyncOnlyWhileItIsTheCurrentOne() {
        Peering p = new Peering("peer-1", "p", "t1", "net-a", "net-b", false, PeeringState.ACTIVE, "", Instant.EPOCH,
                Instant.EPOCH).withRecorded("t2", List.of("10.1.0.0/16"), List.of("10.2.0.0/16"), Instant.EPOCH);
        assertEquals(List.of("10.1.0.0/16"), p.routedCidrs(A));
        assertFalse(p.isInSyncWith(A));
        Peering synced = p.withRecorded("t2", List.of("10.3.0.0/16", "10.1.0.0/16"), p.peerCidrs(), Instant.EPOCH);
        assertTrue("order does not matter", synced.isInSyncWith(A));
        assertEquals("t2", synced.peerTenant());
        assertEquals("net-b", synced.otherSide("net-a"));
        assertNull("a stored peering has no sync state", JsonCodec.gson().fromJson(JsonCodec.gson().toJson(synced),
                Peering.class).syncState());
    }
}
