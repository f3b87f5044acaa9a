package io.netloom.api.routing;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * {@link RouteTarget}: every target text read one way, and written back as it was.
 */
public class RouteTargetTest {

    @Test
    public void targetsAreReadOnceAndWrittenBackAsTheyWere() {
        assertEquals(new RouteTarget.Local(), RouteTarget.of("local"));
        assertEquals(new RouteTarget.Peering("peer-1"), RouteTarget.of("peering:peer-1"));
        assertEquals(new RouteTarget.NextHop("10.200.1.9"), RouteTarget.of("10.200.1.9"));
        for (String text : new String[] {"local", "peering:peer-1", "10.200.1.9", "fd00::9"}) {
            assertEquals(text, RouteTarget.of(text).text());
        }
        assertEquals("peering:p", Route.peeringTarget("p"));
        assertEquals(new RouteTarget.Peering("p"), new Route("10.0.0.0/8", "peering:p", "peering").parsedTarget());
    }
}
