package io.netloom.reconciler.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.model.Subnet;

/**
 * VNIs of the overlay's segments: derived, the same whatever order the subnets come in, distinct, in range.
 */
public class OverlayTest {

    private static Subnet subnet(String id, long created) {
        return new Subnet(id, id, "t", "net", "10.0.0.0/24", "10.0.0.1", Instant.ofEpochSecond(created));
    }

    @Test
    public void vnisAreDerivedDistinctAndIndependentOfOrder() {
        List<Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            subnets.add(subnet("sub-" + i, i));
        }
        Map<String, Integer> vnis = Overlay.vnis(subnets);
        assertEquals(2000, new HashSet<>(vnis.values()).size());
        vnis.values().forEach(v -> assertTrue(v >= 1 && v <= TunnelEntry.MAX_VNI));
        List<Subnet> reversed = new ArrayList<>(subnets);
        Collections.reverse(reversed);
        assertEquals(vnis, Overlay.vnis(reversed));
        assertEquals(Overlay.hashVni("sub-7"), (int) vnis.get("sub-7"));
    }

    @Test
    public void aCollisionGivesTheLaterSubnetTheNextFreeValue() {
        String first = "sub-a";
        int wanted = Overlay.hashVni(first);
        String second = null;
        for (int i = 0; second == null; i++) {
            if (Overlay.hashVni("x" + i) == wanted) {
                second = "x" + i;
            }
            if (i > 50_000_000) {
                throw new AssertionError("no colliding id found");
            }
        }
        Map<String, Integer> vnis = Overlay.vnis(List.of(subnet(second, 2), subnet(first, 1)));
        assertEquals(wanted, (int) vnis.get(first));
        assertNotEquals(wanted, (int) vnis.get(second));
        assertEquals(wanted == TunnelEntry.MAX_VNI ? 1 : wanted + 1, (int) vnis.get(second));
    }
}
